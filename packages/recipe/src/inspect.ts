import { abraExport } from './abra-sh.js';
import { isExternal, passthroughEnvironment, serviceImage, serviceReferences, services, topLevel, versionVariable } from './compose/model.js';
import type { Diagnostic } from './diagnostics.js';
import { APP_ENV_KEYS } from './env-check.js';
import { firstEnvEntry } from './env-file.js';
import type { ReadmeMetadata, Score } from './readme-metadata.js';
import { type Recipe, recipeDiagnostics } from './recipe.js';
import type { Stack } from './stack.js';
import { compareRecipeVersions, parseRecipeVersion } from './versions/recipe-version.js';
import { get, scalarString } from './yaml/nodes.js';

/** What `galley recipe inspect` prints: the resolved recipe, never secret values. */
export interface RecipeDescription {
  name: string;
  source: string;
  kind: Recipe['kind'];
  ref?: string;
  stackName: string;
  composeFiles: { inUse: string[]; available: string[]; missing: string[] };
  services: {
    name: string;
    image?: { written: string; resolved: string; normalized?: string; tag?: string; digest?: string; error?: string };
    networks: string[];
    volumes: string[];
    secrets: string[];
    configs: string[];
  }[];
  secrets: {
    name: string;
    external: boolean;
    swarmName?: string;
    versionVariable?: string;
    version?: string;
    modifiers: Record<string, string>;
  }[];
  configs: {
    name: string;
    file?: string;
    swarmName?: string;
    templateDriver?: string;
    versionVariable?: string;
    version?: string;
    versionSource?: 'abra.sh' | 'env' | 'default';
  }[];
  networks: { name: string; external: boolean }[];
  volumes: { name: string; external: boolean }[];
  env: {
    used: { name: string; declared: 'env' | 'commented' | 'abra.sh' | 'no'; defaulted: boolean; uses: number }[];
    declaredUnused: string[];
  };
  versions: { tag: string; annotated: boolean; date: string; releaseVersion: boolean }[];
  metadata?: {
    category?: string;
    status?: ScoreDescription;
    image?: { image?: string; rating?: number; source?: string; url?: string };
    healthcheck?: ScoreDescription;
    backups?: ScoreDescription;
    email?: ScoreDescription;
    tests?: ScoreDescription;
    sso?: ScoreDescription;
  };
  abraShExports: { name: string; value: string }[];
  diagnostics: { code: string; severity: string; message: string; location?: string }[];
}

type ScoreDescription = { raw: string; value?: number | string; label?: string };

/** Variables every recipe's env file has without compose using them (abra's own keys). */
const ENV_FILE_ONLY = new Set<string>(APP_ENV_KEYS);

export function describeRecipe(recipe: Recipe, stack: Stack): RecipeDescription {
  const root = stack.root;
  const env = stack.env;
  const declared = new Map<string, 'env' | 'commented' | 'abra.sh'>();
  for (const e of recipe.abraSh?.exports ?? []) declared.set(e.name, 'abra.sh');
  for (const e of env?.entries ?? []) if (declared.get(e.name) !== 'env') declared.set(e.name, e.commented ? 'commented' : 'env');

  const serviceList = services(root).map((service) => {
    const image = serviceImage(service);
    const out: RecipeDescription['services'][number] = {
      name: service.name,
      networks: serviceReferences(service.node, 'networks').map((r) => r.name),
      volumes: serviceReferences(service.node, 'volumes').map((r) => r.name),
      secrets: serviceReferences(service.node, 'secrets').map((r) => r.name),
      configs: serviceReferences(service.node, 'configs').map((r) => r.name),
    };
    if (image) {
      out.image = { written: image.written, resolved: image.value };
      if (image.parsed.ok) {
        out.image.normalized = image.parsed.ref.normalized;
        if (image.parsed.ref.tag) out.image.tag = image.parsed.ref.tag;
        if (image.parsed.ref.digest) out.image.digest = image.parsed.ref.digest;
      } else out.image.error = image.parsed.reason;
    }
    return out;
  });

  const secrets = topLevel(root, 'secrets').map(({ name, node }) => {
    const ref = versionVariable(node);
    const entry = ref && env ? firstEnvEntry(env, ref.name) : undefined;
    const out: RecipeDescription['secrets'][number] = {
      name,
      external: isExternal(node),
      modifiers: entry?.modifiers ?? {},
    };
    const swarmName = scalarString(get(node, 'name'));
    if (swarmName) out.swarmName = swarmName;
    if (ref) out.versionVariable = ref.name;
    if (entry) out.version = entry.value;
    return out;
  });

  const configs = topLevel(root, 'configs').map(({ name, node }) => {
    const ref = versionVariable(node);
    const out: RecipeDescription['configs'][number] = { name };
    const file = scalarString(get(node, 'file'));
    if (file) out.file = file;
    const swarmName = scalarString(get(node, 'name'));
    if (swarmName) out.swarmName = swarmName;
    const driver = scalarString(get(node, 'template_driver'));
    if (driver) out.templateDriver = driver;
    if (ref) {
      out.versionVariable = ref.name;
      const exported = abraExport(recipe.abraSh, ref.name);
      const fromEnv = env ? firstEnvEntry(env, ref.name) : undefined;
      if (fromEnv) {
        out.version = fromEnv.value;
        out.versionSource = 'env';
      } else if (exported) {
        out.version = exported.value;
        out.versionSource = 'abra.sh';
      } else if (ref.argument !== undefined) {
        out.version = ref.argument;
        out.versionSource = 'default';
      }
    }
    return out;
  });

  const uses = new Map<string, { defaulted: boolean; uses: number }>();
  for (const ref of stack.refs) {
    const known = uses.get(ref.name) ?? { defaulted: false, uses: 0 };
    known.uses++;
    known.defaulted ||= ref.form === ':-' || ref.form === '-';
    uses.set(ref.name, known);
  }
  for (const service of services(root)) {
    for (const name of passthroughEnvironment(service.node)) {
      const known = uses.get(name) ?? { defaulted: false, uses: 0 };
      known.uses++;
      uses.set(name, known);
    }
  }
  uses.delete('STACK_NAME');
  const used = [...uses.entries()]
    .map(([name, u]) => ({ name, declared: declared.get(name) ?? ('no' as const), defaulted: u.defaulted, uses: u.uses }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const declaredUnused = [...declared.entries()]
    .filter(([name, state]) => state === 'env' && !uses.has(name) && !ENV_FILE_ONLY.has(name))
    .map(([name]) => name)
    .sort();

  const versions = [...(recipe.git?.tags ?? [])]
    .sort((a, b) => compareRecipeVersions(a.name, b.name))
    .map((t) => ({ tag: t.name, annotated: t.annotated, date: t.date, releaseVersion: parseRecipeVersion(t.name).ok }));

  const diagnostics: Diagnostic[] = [...recipeDiagnostics(recipe), ...stack.diagnostics];
  const description: RecipeDescription = {
    name: recipe.name,
    source: recipe.source.label,
    kind: recipe.kind,
    stackName: stack.stackName,
    composeFiles: { inUse: stack.composeFiles, available: [...recipe.composeFiles.keys()], missing: stack.missingComposeFiles },
    services: serviceList,
    secrets,
    configs,
    networks: topLevel(root, 'networks').map(({ name, node }) => ({ name, external: isExternal(node) })),
    volumes: topLevel(root, 'volumes').map(({ name, node }) => ({ name, external: isExternal(node) })),
    env: { used, declaredUnused },
    versions,
    abraShExports: (recipe.abraSh?.exports ?? []).map((e) => ({ name: e.name, value: e.value })),
    diagnostics: diagnostics.map((d) => {
      const out: RecipeDescription['diagnostics'][number] = { code: d.code, severity: d.severity, message: d.message };
      if (d.span) out.location = `${d.span.file}:${d.span.line}:${d.span.col}`;
      return out;
    }),
  };
  if (recipe.git?.ref) description.ref = recipe.git.ref;
  const metadata = recipe.readme?.metadata;
  if (metadata) description.metadata = describeMetadata(metadata);
  return description;
}

function describeMetadata(m: ReadmeMetadata): NonNullable<RecipeDescription['metadata']> {
  const score = (s: Score | undefined): ScoreDescription | undefined => {
    if (!s) return undefined;
    const out: ScoreDescription = { raw: s.raw };
    if (s.value !== undefined) out.value = s.value;
    if (s.label) out.label = s.label;
    return out;
  };
  const out: NonNullable<RecipeDescription['metadata']> = {};
  if (m.category) out.category = m.category;
  for (const key of ['status', 'healthcheck', 'backups', 'email', 'tests', 'sso'] as const) {
    const s = score(m[key]);
    if (s) out[key] = s;
  }
  if (m.image) {
    const image: NonNullable<NonNullable<RecipeDescription['metadata']>['image']> = {};
    if (m.image.image) image.image = m.image.image;
    if (m.image.rating !== undefined) image.rating = m.image.rating;
    if (m.image.source) image.source = m.image.source;
    if (m.image.url) image.url = m.image.url;
    out.image = image;
  }
  return out;
}

/** A readable multi-section text of a description, for terminals. */
export function formatRecipeDescription(d: RecipeDescription): string {
  const lines: string[] = [];
  const section = (title: string) => lines.push('', title);
  lines.push(`${d.name}  (${d.kind === 'recipe' ? 'recipe' : 'compose file'} from ${d.source}${d.ref ? `, at ${d.ref}` : ''})`);
  lines.push(`stack name: ${d.stackName}`);
  lines.push(`compose files in use: ${d.composeFiles.inUse.join(', ') || '(none)'}`);
  const others = d.composeFiles.available.filter((f) => !d.composeFiles.inUse.includes(f));
  if (others.length) lines.push(`other compose files: ${others.join(', ')}`);
  if (d.composeFiles.missing.length) lines.push(`missing (named in COMPOSE_FILE): ${d.composeFiles.missing.join(', ')}`);

  section('services');
  for (const s of d.services) {
    const image = s.image ? (s.image.written === s.image.resolved ? s.image.resolved : `${s.image.written} → ${s.image.resolved}`) : '(no image)';
    lines.push(`  ${s.name}: ${image}${s.image?.normalized ? `  [${s.image.normalized}]` : ''}${s.image?.error ? `  (${s.image.error})` : ''}`);
    const refs = (['networks', 'volumes', 'secrets', 'configs'] as const).filter((k) => s[k].length).map((k) => `${k}: ${s[k].join(', ')}`);
    if (refs.length) lines.push(`    ${refs.join('; ')}`);
  }
  if (d.secrets.length) {
    section('secrets (values are never shown)');
    for (const s of d.secrets) {
      const mods = Object.entries(s.modifiers)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      lines.push(
        `  ${s.name}: ${s.versionVariable ? `${s.versionVariable}=${s.version ?? '(not set)'}` : '(not versioned)'}${mods ? `  # ${mods}` : ''}${s.swarmName ? `  → ${s.swarmName}` : ''}`,
      );
    }
  }
  if (d.configs.length) {
    section('configs');
    for (const c of d.configs) {
      lines.push(
        `  ${c.name}: ${c.file ?? '(no file)'}${c.templateDriver ? ` (${c.templateDriver})` : ''}${c.versionVariable ? `  ${c.versionVariable}=${c.version ?? '(not set)'}${c.versionSource ? ` from ${c.versionSource}` : ''}` : '  (not versioned)'}`,
      );
    }
  }
  if (d.networks.length) {
    section('networks');
    for (const n of d.networks) lines.push(`  ${n.name}${n.external ? ' (external)' : ''}`);
  }
  if (d.volumes.length) {
    section('volumes');
    for (const v of d.volumes) lines.push(`  ${v.name}${v.external ? ' (external)' : ''}`);
  }
  section('environment variables used by compose');
  for (const v of d.env.used) {
    const state =
      v.declared === 'env'
        ? 'in env file'
        : v.declared === 'abra.sh'
          ? 'exported by abra.sh'
          : v.declared === 'commented'
            ? 'commented out in env file'
            : v.defaulted
              ? 'defaulted in compose'
              : 'NOT DECLARED';
    lines.push(`  ${v.name}: ${state}`);
  }
  if (d.env.declaredUnused.length) lines.push(`  declared but unused: ${d.env.declaredUnused.join(', ')}`);
  if (d.versions.length) {
    section('versions (oldest first)');
    for (const v of d.versions)
      lines.push(`  ${v.tag}  ${v.date.slice(0, 10)}  ${v.annotated ? 'annotated' : 'lightweight'}${v.releaseVersion ? '' : '  (not a release version)'}`);
  }
  if (d.metadata) {
    section('README metadata');
    const m = d.metadata;
    if (m.category) lines.push(`  category: ${m.category}`);
    for (const key of ['status', 'healthcheck', 'backups', 'email', 'tests', 'sso'] as const) {
      const s = m[key];
      if (s) lines.push(`  ${key}: ${s.value ?? '(empty)'}${s.label ? ` (${s.label})` : ''}`);
    }
    if (m.image)
      lines.push(
        `  image: ${m.image.image ?? '?'}${m.image.rating !== undefined ? `, rating ${m.image.rating}` : ''}${m.image.source ? `, ${m.image.source}` : ''}`,
      );
  }
  if (d.abraShExports.length) {
    section('abra.sh exports');
    for (const e of d.abraShExports) lines.push(`  ${e.name}=${e.value}`);
  }
  if (d.diagnostics.length) {
    section('problems');
    for (const p of d.diagnostics) lines.push(`  ${p.location ? `${p.location}: ` : ''}${p.severity}: ${p.message}`);
  }
  return `${lines.join('\n')}\n`;
}
