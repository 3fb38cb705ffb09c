import path from 'node:path';
import { GalleyError, indentedList, visible } from '@galley/platform';
import {
  formatDiagnostic,
  get,
  isExternal,
  isMap,
  labelsOf,
  resolveStack,
  type Span,
  type Stack,
  scalarString,
  serviceReferences,
  services,
  type TopLevelKind,
  toJS,
  topLevel,
  versionVariable,
} from '@galley/recipe';
import { stringify } from 'yaml';
import type { AppEnv } from './app-env.js';
import type { LocatedRecipe } from './recipe-locator.js';

/** abra's default convergence timeout when the recipe sets no `coop-cloud.<stack>.timeout` label. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
/** Docker's limit on the names of secrets, configs and other swarm objects. */
export const MAX_OBJECT_NAME_LENGTH = 64;

/** A top-level secret or config of the stack, as the swarm will name it. */
export interface StackObject {
  kind: 'secret' | 'config';
  /** The key under `secrets:` / `configs:` in compose. */
  key: string;
  /** The swarm object's name. */
  name: string;
  external: boolean;
  /** The file it is made from (recipe-relative), for objects stack deploy creates. */
  file?: string;
  /** The `*_VERSION` variable in its name, and that variable's value. */
  versionVariable?: string;
  version?: string;
  templateDriver?: string;
  /** Where it is declared. */
  span: Span;
  /** Services that use it (short names). */
  usedBy: string[];
}

export interface RenderedStack {
  stackName: string;
  recipe: string;
  /** The release deployed, or in chaos mode the version label the recipe carries (if any). */
  version?: string;
  chaos: boolean;
  chaosVersion?: string;
  /** The compose file given to `docker stack deploy` (interpolation already done, `$` escaped). */
  compose: string;
  /** Service names as written in compose (`app`, `db`); swarm names are `<stack>_<name>`. */
  services: string[];
  /** The image of each service, as the compose file names it. */
  images: Record<string, string>;
  /** The `coop-cloud.<stack>.*` labels the app service carries. */
  labels: Record<string, string>;
  /** Seconds to wait for convergence: the `coop-cloud.<stack>.timeout` label, else 300. */
  timeoutSeconds: number;
  secrets: StackObject[];
  configs: StackObject[];
  /** Networks the stack uses but does not create (`external: true`), by their swarm names. */
  externalNetworks: string[];
  /** Recipe-relative files the compose file reads (config and secret `file:`, `env_file:`). */
  files: string[];
}

/** The app's stack: the recipe's compose files picked by the env file, merged and interpolated. */
export function resolveAppStack(located: LocatedRecipe, app: AppEnv): Stack {
  const stack = resolveStack(located.recipe, { env: app.env, stackName: app.stackName });
  if (stack.missingComposeFiles.length) {
    const files = stack.missingComposeFiles.join(', ');
    throw new GalleyError(
      'compose-file-missing',
      `COMPOSE_FILE names ${files}, which recipe ${located.recipe.name} (${located.label}) does not have`,
      stack.composeFileSpan ? { span: stack.composeFileSpan } : { file: app.file },
    );
  }
  const errors = stack.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const lines = indentedList(errors.map((d) => formatDiagnostic(d)));
    throw new GalleyError('stack-unusable', `the stack of ${visible(app.file)} cannot be rendered:\n${lines}`);
  }
  if (!stack.root) throw new GalleyError('stack-empty', `recipe ${located.recipe.name} has no compose file to deploy (${located.label})`);
  return stack;
}

export interface RenderOptions {
  /**
   * The folder relative `file:` and `env_file:` paths are resolved against
   * (made absolute, since `docker stack deploy -c -` would resolve them
   * against its working directory). Absent: they stay as written.
   */
  baseDir?: string;
}

/** Renders the compose file `docker stack deploy` gets, with the coop-cloud labels on the app service. */
export function renderStack(stack: Stack, located: LocatedRecipe, _app: AppEnv, options: RenderOptions = {}): RenderedStack {
  const root = stack.root!;
  const serviceNodes = services(root);
  const appService = serviceNodes.find((s) => s.name === 'app');
  if (!appService) {
    throw new GalleyError('no-app-service', `recipe ${located.recipe.name} has no service named "app": Co-op Cloud recipes name their main service app`, {
      file: stack.composeFiles[0] ?? 'compose.yml',
    });
  }
  const prefix = `coop-cloud.${stack.stackName}`;
  const written = labelsOf(get(get(appService.node, 'deploy'), 'labels'));
  const recipeVersionLabel = written.get(`${prefix}.version`)?.value;
  const version = located.chaos ? recipeVersionLabel || undefined : located.version;
  const labels: Record<string, string> = { [`${prefix}.recipe`]: located.recipe.name };
  if (version) labels[`${prefix}.version`] = version;
  labels[`${prefix}.chaos`] = String(located.chaos);
  if (located.chaos) labels[`${prefix}.chaos-version`] = located.chaosVersion ?? 'unknown';
  const timeoutLabel = written.get(`${prefix}.timeout`)?.value;
  const timeoutSeconds = parseTimeout(timeoutLabel);
  if (timeoutLabel !== undefined) labels[`${prefix}.timeout`] = timeoutLabel;

  const document = toJS(root) as Record<string, unknown>;
  const serviceDocs = document.services as Record<string, Record<string, unknown>>;
  const appDoc = serviceDocs.app!;
  if (!isPlainObject(appDoc.deploy)) appDoc.deploy = {};
  const deploy = appDoc.deploy as Record<string, unknown>;
  deploy.labels = { ...labelMap(deploy.labels), ...labels };

  const secrets = stackObjects(stack, 'secrets');
  const configs = stackObjects(stack, 'configs');
  const files = new Set<string>();
  for (const o of [...secrets, ...configs]) if (o.file) files.add(o.file);
  for (const kind of ['secrets', 'configs'] as const) {
    const section = document[kind] as Record<string, Record<string, unknown>> | undefined;
    for (const object of Object.values(section ?? {})) {
      if (isPlainObject(object) && typeof object.file === 'string') object.file = resolvePath(object.file, options.baseDir);
    }
  }
  for (const service of Object.values(serviceDocs)) if (isPlainObject(service)) passThroughFromAppEnv(service, stack.variables);
  for (const service of Object.values(serviceDocs)) {
    if (!isPlainObject(service)) continue;
    const envFile = service.env_file;
    if (typeof envFile === 'string') {
      files.add(normalise(envFile));
      service.env_file = resolvePath(envFile, options.baseDir);
    } else if (Array.isArray(envFile)) {
      service.env_file = envFile.map((f) => {
        if (typeof f === 'string') {
          files.add(normalise(f));
          return resolvePath(f, options.baseDir);
        }
        if (isPlainObject(f) && typeof f.path === 'string') {
          files.add(normalise(f.path));
          return { ...f, path: resolvePath(f.path, options.baseDir) };
        }
        return f;
      });
    }
  }

  const rendered: RenderedStack = {
    stackName: stack.stackName,
    recipe: located.recipe.name,
    chaos: located.chaos,
    compose: stringify(escapeDollars(document), { lineWidth: 0 }),
    services: serviceNodes.map((s) => s.name),
    images: Object.fromEntries(Object.entries(serviceDocs).map(([name, doc]) => [name, isPlainObject(doc) && typeof doc.image === 'string' ? doc.image : ''])),
    labels,
    timeoutSeconds,
    secrets,
    configs,
    externalNetworks: topLevel(root, 'networks')
      .filter((n) => isMap(n.node) && isExternal(n.node))
      .map((n) => scalarString(get(n.node, 'name')) ?? n.name),
    files: [...files].sort(),
  };
  if (version) rendered.version = version;
  if (located.chaosVersion) rendered.chaosVersion = located.chaosVersion;
  return rendered;
}

/**
 * `environment: [KEY]` (or `KEY:` without a value) passes a variable through
 * from the deployer's environment: `docker stack deploy` looks it up in its
 * own, where abra puts the app env. Galley's own environment is not the app
 * env, so the app's value is written in; a key the app does not set is left
 * to docker (unset in the container, unless galley's environment has it).
 */
function passThroughFromAppEnv(service: Record<string, unknown>, variables: ReadonlyMap<string, string>): void {
  const env = service.environment;
  if (Array.isArray(env)) {
    service.environment = env.map((item) => (typeof item === 'string' && !item.includes('=') && variables.has(item) ? `${item}=${variables.get(item)}` : item));
  } else if (isPlainObject(env)) {
    for (const [key, value] of Object.entries(env)) if ((value === null || value === undefined) && variables.has(key)) env[key] = variables.get(key);
  }
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_TIMEOUT_SECONDS;
  const n = Number(value.trim().replace(/s$/, ''));
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_TIMEOUT_SECONDS;
}

/** The stack's top-level secrets or configs with the names the swarm gives them. */
export function stackObjects(stack: Stack, kind: Extract<TopLevelKind, 'secrets' | 'configs'>): StackObject[] {
  const root = stack.root;
  const users = new Map<string, string[]>();
  for (const service of services(root)) {
    for (const ref of serviceReferences(service.node, kind)) {
      const list = users.get(ref.name) ?? [];
      if (!list.includes(service.name)) list.push(service.name);
      users.set(ref.name, list);
    }
  }
  return topLevel(root, kind).map((item) => {
    const external = isMap(item.node) && isExternal(item.node);
    const declaredName = scalarString(get(item.node, 'name'));
    const name = declaredName ?? (external ? item.name : `${stack.stackName}_${item.name}`);
    const object: StackObject = {
      kind: kind === 'secrets' ? 'secret' : 'config',
      key: item.name,
      name,
      external,
      span: item.keySpan,
      usedBy: users.get(item.name) ?? [],
    };
    const file = scalarString(get(item.node, 'file'));
    if (file !== undefined) object.file = normalise(file);
    const variable = versionVariable(item.node);
    if (variable) {
      object.versionVariable = variable.name;
      const value = stack.variables.get(variable.name);
      if (value !== undefined) object.version = value;
    }
    const driver = scalarString(get(item.node, 'template_driver'));
    if (driver) object.templateDriver = driver;
    return object;
  });
}

function normalise(file: string): string {
  return path.posix.normalize(file.replace(/\\/g, '/')).replace(/^\.\//, '');
}

function resolvePath(file: string, baseDir: string | undefined): string {
  if (!baseDir || path.isAbsolute(file)) return file;
  return path.join(baseDir, normalise(file));
}

function labelMap(labels: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(labels)) {
    for (const item of labels) {
      if (typeof item !== 'string') continue;
      const eq = item.indexOf('=');
      out[eq === -1 ? item : item.slice(0, eq)] = eq === -1 ? '' : item.slice(eq + 1);
    }
  } else if (isPlainObject(labels)) {
    for (const [k, v] of Object.entries(labels)) out[k] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `docker stack deploy` interpolates `$VAR` again with its own environment;
 * the stack is already interpolated, so every `$` left is a literal one.
 */
export function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = escapeDollars(v);
    return out;
  }
  return value;
}
