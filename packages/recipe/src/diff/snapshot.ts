import { abraExport } from '../abra-sh.js';
import { isExternal, labelsOf, type ServiceNode, serviceImage, services, type TopLevelKind, topLevel, versionVariable } from '../compose/model.js';
import type { Diagnostic, Span } from '../diagnostics.js';
import { type EnvEntry, type EnvFile, envEntry } from '../env-file.js';
import { envRequirements } from '../env-requirements.js';
import type { ImageRef } from '../image-ref.js';
import { type Recipe, recipeDiagnostics } from '../recipe.js';
import { composeFilesOf, everyComposeFile, resolveStack } from '../stack.js';
import { isRecipeVersion } from '../versions/recipe-version.js';
import { entries, get, isMap, scalarString, toJS, type YNode } from '../yaml/nodes.js';

/**
 * One version of a recipe reduced to what an operator lives with: services
 * and their images, health checks, deploy policies and Traefik labels; the
 * stack's secrets, configs (with their file's content), volumes and
 * networks; the `.env.sample` keys (required or optional); the overlays it
 * offers. Every item keeps where it is written. Two snapshots are compared
 * by `diffSnapshots`, so what a diff sees is plain data: key order, anchors
 * and comments are gone.
 */
export interface RecipeSnapshot {
  name: string;
  /** What the version is called in messages: a tag, a folder, `work tree`. */
  label: string;
  /** The release this is, when the tag (or folder name) is a recipe version. */
  release?: string;
  /** The `coop-cloud.${STACK_NAME}.version` label of the `app` service. */
  versionLabel?: { value: string; span: Span };
  /** Compose files the comparison resolved: every file, or those the app env selects. */
  composeFiles: string[];
  /** Whether an app env (not `.env.sample`) chose the compose files and values. */
  appEnv: boolean;
  overlays: Map<string, OverlaySnapshot>;
  services: Map<string, ServiceSnapshot>;
  secrets: Map<string, SecretSnapshot>;
  configs: Map<string, ConfigSnapshot>;
  volumes: Map<string, ObjectSnapshot>;
  networks: Map<string, ObjectSnapshot>;
  /** `.env.sample` keys, `COMPOSE_FILE` aside. */
  env: Map<string, EnvSnapshot>;
  /** Keys the app env sets (uncommented), when one was given. */
  appEnvKeys?: Set<string>;
  /** Release notes files by version (`release/<version>`). */
  releaseNotes: Map<string, string>;
  /** Error-level problems reading this version (its YAML, its env file). */
  problems: Diagnostic[];
}

export interface ObjectSnapshot {
  name: string;
  span: Span;
  external: boolean;
}

export interface ImageSnapshot {
  /** After interpolation. */
  value: string;
  span: Span;
  ref?: ImageRef;
}

export interface KeyedValue {
  /** A stable JSON text of the value (keys sorted), for comparing. */
  value: string;
  span: Span;
}

export interface ServiceSnapshot {
  name: string;
  span: Span;
  image?: ImageSnapshot;
  healthcheck?: KeyedValue;
  /** `deploy.*` keys (labels aside) → value. */
  deploy: Map<string, KeyedValue>;
  /** `traefik.*` labels (service and deploy labels) → value. */
  traefik: Map<string, KeyedValue>;
}

export interface SecretSnapshot extends ObjectSnapshot {
  versionVariable?: string;
  /** The version `.env.sample` (or the app env) gives, commented lines included. */
  version?: string;
  /** `length=…`, `generate=false`, … of that line. */
  modifiers: Record<string, string>;
}

export interface ConfigSnapshot extends ObjectSnapshot {
  file?: string;
  /** The file's text, when the recipe has it. */
  content?: string;
  versionVariable?: string;
  version?: string;
}

export interface EnvSnapshot {
  name: string;
  value: string;
  commented: boolean;
  /** Required as `galley env check` defines it (see `envRequirements`). */
  required: boolean;
  /** The compose file that first uses it without a default (required keys only). */
  usedIn?: string;
  modifiers: Record<string, string>;
  /** The `.env.sample` line as written (comment and modifiers included), to copy into an app env. */
  text: string;
  span: Span;
}

export interface OverlaySnapshot {
  file: string;
  /** Selected by an uncommented `COMPOSE_FILE` line of `.env.sample`. */
  defaultOn: boolean;
  /** Where `.env.sample` mentions it, if it does. */
  span?: Span;
}

export interface SnapshotOptions {
  /** Name for messages (default: the ref or the source's label). */
  label?: string;
  /** Resolve with an app's env file instead of `.env.sample`: its values and its `COMPOSE_FILE`. */
  appEnv?: EnvFile;
}

/** Stands for the stack name in the names a diff prints (both versions get the same). */
export const STACK_PLACEHOLDER = '${STACK_NAME}';

const VERSION_LABEL = /^coop-cloud\.[^.]+\.version$/;
const BASE_COMPOSE = /^(?:docker-)?compose\.ya?ml$/;

/** Reduces a recipe version to a snapshot (reads config files through the recipe's source). */
export async function snapshotRecipe(recipe: Recipe, options: SnapshotOptions = {}): Promise<RecipeSnapshot> {
  const appEnv = options.appEnv;
  const composeFiles = appEnv ? composeFilesOf(appEnv).files : everyComposeFile(recipe);
  const stack = resolveStack(recipe, { ...(appEnv ? { env: appEnv } : {}), composeFiles, stackName: STACK_PLACEHOLDER });
  const root = stack.root;
  const sample = recipe.envSample;
  const valueEnv = appEnv ?? sample;

  const label = options.label ?? recipe.git?.ref ?? recipe.source.label;
  const snapshot: RecipeSnapshot = {
    name: recipe.name,
    label,
    composeFiles: stack.composeFiles,
    appEnv: Boolean(appEnv),
    overlays: overlaysOf(recipe, sample),
    services: new Map(),
    secrets: new Map(),
    configs: new Map(),
    volumes: objects(root, 'volumes'),
    networks: objects(root, 'networks'),
    env: new Map(),
    releaseNotes: new Map(recipe.releaseNotes),
    // Files that cannot be read; an unset `${X:?…}` is the deployer's to set, no reason not to compare.
    problems: recipeDiagnostics(recipe).filter((d) => d.severity === 'error'),
  };
  const release = [recipe.git?.ref, lastSegment(recipe.source.label)].find((r): r is string => Boolean(r && isRecipeVersion(r)));
  if (release) snapshot.release = release;
  if (appEnv) snapshot.appEnvKeys = new Set(appEnv.entries.filter((e) => !e.commented).map((e) => e.name));

  for (const service of services(root)) {
    const described = describeService(service);
    snapshot.services.set(service.name, described);
    if (service.name === 'app') {
      const labels = labelsOf(get(get(service.node, 'deploy'), 'labels'));
      for (const [key, { value, node }] of labels) {
        if (VERSION_LABEL.test(key)) snapshot.versionLabel = { value: value.trim(), span: node.span };
      }
    }
  }

  for (const { name, node, keySpan } of topLevel(root, 'secrets')) {
    const ref = versionVariable(node);
    const secret: SecretSnapshot = { name, span: keySpan, external: isExternal(node), modifiers: {} };
    if (ref) {
      secret.versionVariable = ref.name;
      // The recipe's own version (an app env keeps its version across upgrades).
      const line = lineFor(sample, ref.name);
      if (line) {
        secret.version = line.value;
        secret.modifiers = { ...line.modifiers };
      }
    }
    snapshot.secrets.set(name, secret);
  }

  const configs = topLevel(root, 'configs');
  const contents = await Promise.all(
    configs.map(({ node }) => {
      const file = normalizeFile(scalarString(get(node, 'file')));
      return file ? recipe.source.read(file).catch(() => undefined) : Promise.resolve(undefined);
    }),
  );
  configs.forEach(({ name, node, keySpan }, i) => {
    const config: ConfigSnapshot = { name, span: keySpan, external: isExternal(node) };
    const file = normalizeFile(scalarString(get(node, 'file')));
    if (file) config.file = file;
    const content = contents[i] ?? scalarString(get(node, 'content'));
    if (content !== undefined) config.content = content;
    const ref = versionVariable(node);
    if (ref) {
      config.versionVariable = ref.name;
      const version = abraExport(recipe.abraSh, ref.name)?.value ?? lineFor(valueEnv, ref.name)?.value ?? ref.argument;
      if (version !== undefined) config.version = version;
    }
    snapshot.configs.set(name, config);
  });

  for (const requirement of envRequirements(sample, stack)) {
    if (requirement.name === 'COMPOSE_FILE') continue;
    const { entry } = requirement;
    const env: EnvSnapshot = {
      name: requirement.name,
      value: entry.value,
      commented: entry.commented,
      required: requirement.required,
      modifiers: entry.modifiers,
      text: sample!.text.slice(entry.span.offset, entry.span.endOffset).trim(),
      span: entry.span,
    };
    if (requirement.usedAt) env.usedIn = requirement.usedAt.file;
    snapshot.env.set(requirement.name, env);
  }
  return snapshot;
}

function lastSegment(label: string): string {
  const hash = label.lastIndexOf('#');
  if (hash !== -1) return label.slice(hash + 1);
  return label.replace(/\/+$/, '').split('/').pop() ?? label;
}

function normalizeFile(file: string | undefined): string | undefined {
  return file?.replace(/^\.\//, '');
}

/** The line for a key: the last uncommented one, else the last commented one. */
function lineFor(env: EnvFile | undefined, name: string): EnvEntry | undefined {
  if (!env) return undefined;
  return envEntry(env, name) ?? env.entries.findLast((e) => e.name === name);
}

function objects(root: YNode | null, kind: TopLevelKind): Map<string, ObjectSnapshot> {
  return new Map(topLevel(root, kind).map(({ name, node, keySpan }) => [name, { name, span: keySpan, external: isExternal(node) }]));
}

function describeService(service: ServiceNode): ServiceSnapshot {
  const out: ServiceSnapshot = {
    name: service.name,
    span: service.keySpan,
    deploy: new Map(),
    traefik: new Map(),
  };
  const image = serviceImage(service);
  if (image) {
    out.image = { value: image.value, span: image.node.span };
    if (image.parsed.ok) out.image.ref = image.parsed.ref;
  }
  const healthcheck = get(service.node, 'healthcheck');
  if (healthcheck) out.healthcheck = { value: stableJson(toJS(healthcheck)), span: healthcheck.span };
  const deploy = get(service.node, 'deploy');
  for (const [key, value, pair] of entries(deploy)) {
    if (key !== 'labels') out.deploy.set(key, { value: stableJson(toJS(value)), span: pair.key.span });
  }
  for (const labels of [get(service.node, 'labels'), isMap(deploy) ? get(deploy, 'labels') : undefined]) {
    for (const [key, { value, node }] of labelsOf(labels)) {
      if (key.startsWith('traefik.')) out.traefik.set(key, { value: JSON.stringify(value.trim()), span: node.span });
    }
  }
  return out;
}

/** The overlays (every compose file but the base) and whether `.env.sample`'s `COMPOSE_FILE` lines select them. */
function overlaysOf(recipe: Recipe, sample: EnvFile | undefined): Map<string, OverlaySnapshot> {
  const files = everyComposeFile(recipe);
  const overlays = BASE_COMPOSE.test(files[0] ?? '') ? files.slice(1) : files;
  const out = new Map<string, OverlaySnapshot>();
  const active = new Set(composeFilesOf(sample).files);
  for (const file of overlays) {
    const overlay: OverlaySnapshot = { file, defaultOn: active.has(file) };
    const mention = sample?.entries.find((e) => e.name === 'COMPOSE_FILE' && e.raw.split(':').some((part) => part.trim().replace(/^\.\//, '') === file));
    if (mention) overlay.span = mention.span;
    out.set(file, overlay);
  }
  return out;
}

/** JSON with object keys sorted, so two values compare equal however their keys were ordered. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
