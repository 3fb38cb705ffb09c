import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { getPair, isMap, isSeq, parseYaml, type Span, toJS, type YNode } from '@galley/recipe';
import { parseDuration } from './duration.js';
import { DEFAULT_MAX_SHRINK } from './policy.js';
import { schemaValidator } from './schema-files.js';

/** Where recipe repositories are listed. `id` names the source in output and messages. */
export type SourceSpec =
  | { kind: 'github'; id: string; org: string; apiUrl: string; tokenEnv: string }
  | { kind: 'gitea'; id: string; url: string; org: string; tokenEnv: string }
  | { kind: 'list'; id: string; file: string };

export interface RegistryHostSettings {
  /** Base URL to ask instead of the host itself. */
  url?: string;
  /** Plain http. */
  insecure?: boolean;
}

export interface RegistrySettings {
  concurrency: number;
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  tagsTtlMs: number;
  digestsTtlMs: number;
  imageDates: boolean;
  maxUnparseable: number;
  hosts: Record<string, RegistryHostSettings>;
  /** Docker client config with credentials; absent: none. */
  dockerConfig?: string;
}

export interface CatalogueSettings {
  sources: SourceSpec[];
  /** Absolute path of the catalogue file. */
  out: string;
  cacheDir: string;
  readmesDir?: string;
  /** Where the copies of icons and README images go (absent: none are made). Default: `media/` beside the catalogue file. */
  mediaDir?: string;
  offline: boolean;
  /** Ignore the scan state and the registry cache (everything is read and asked again). */
  refresh: boolean;
  includeArchived: boolean;
  /** Only these recipes (others keep their previous entries). */
  only?: string[];
  /** Repository names (`*` wildcards) that are no recipes: skipped, and said so. */
  exclude: string[];
  /** The share of its recipes (0–1) a run may remove; more refuses to write (default 0.1). */
  maxShrink: number;
  /** Write the catalogue even when it lost more than `maxShrink` of its recipes. */
  allowShrink: boolean;
  /** Files to write the run's changes to: `.json` as JSON, anything else as Markdown. */
  changes: string[];
  /** Layout of recipes.json: galley's (keys sorted, two-space indent) or abra's own. */
  format: CatalogueFormat;
  git: { concurrency: number; timeoutMs: number };
  forge: { timeoutMs: number; retries: number };
  registry: RegistrySettings;
  /** The configuration file read, if any. */
  configFile?: string;
}

export type CatalogueFormat = 'galley' | 'abra';

/** Command-line flags that override the configuration file. */
export interface CatalogueFlags {
  config?: string;
  source?: string[];
  out?: string;
  cache?: string;
  readmes?: string;
  /** A folder for the copies of icons and README images; false: make none (`--no-media`). */
  media?: string | boolean;
  offline?: boolean;
  refresh?: boolean;
  includeArchived?: boolean;
  only?: string[];
  concurrency?: number;
  gitConcurrency?: number;
  imageDates?: boolean;
  retries?: number;
  timeout?: string;
  exclude?: string[];
  allowShrink?: boolean;
  changes?: string[];
  format?: CatalogueFormat;
}

export const CONFIG_FILE_NAMES = ['galley-catalogue.yml', 'galley-catalogue.yaml'];

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'galley');
}

export function defaultRegistrySettings(): RegistrySettings {
  return {
    concurrency: 8,
    timeoutMs: 30_000,
    retries: 5,
    backoffBaseMs: 500,
    backoffMaxMs: 60_000,
    tagsTtlMs: 3_600_000,
    digestsTtlMs: 86_400_000,
    imageDates: false,
    maxUnparseable: 100,
    hosts: {},
    dockerConfig: path.join(os.homedir(), '.docker', 'config.json'),
  };
}

interface RawConfig {
  sources?: Array<Record<string, unknown>>;
  out?: string;
  cache?: string;
  readmes?: string;
  includeArchived?: boolean;
  offline?: boolean;
  exclude?: string[];
  maxShrink?: number | string;
  format?: CatalogueFormat;
  changes?: string | string[];
  git?: { concurrency?: number; timeout?: string | number };
  forge?: { timeout?: string | number; retries?: number };
  registry?: {
    concurrency?: number;
    timeout?: string | number;
    retries?: number;
    backoff?: { base?: string | number; max?: string | number };
    ttl?: { tags?: string | number; digests?: string | number };
    imageDates?: boolean;
    maxUnparseable?: number;
    dockerConfig?: string;
    hosts?: Record<string, RegistryHostSettings>;
  };
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** Follows an ajv instance path through the YAML tree to the node (or key) it names. */
function spanAt(root: YNode | null, pointer: string, extraKey: string | undefined, fallback: Span): Span {
  let node: YNode | undefined = root ?? undefined;
  let span = root?.span ?? fallback;
  const steps = pointer
    ? pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    : [];
  if (extraKey !== undefined) steps.push(extraKey);
  for (const [i, step] of steps.entries()) {
    if (isSeq(node)) node = node.items[Number(step)];
    else if (isMap(node)) {
      const pair = getPair(node, step);
      // An unknown key points at the key itself.
      if (pair && extraKey !== undefined && i === steps.length - 1) return pair.key.span;
      node = pair?.value;
    } else node = undefined;
    if (!node) break;
    span = node.span;
  }
  return span;
}

/** Reads and validates a configuration file; errors name the file and line. */
export async function readConfigFile(file: string): Promise<{ raw: RawConfig; file: string }> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new GalleyError('unreadable', `cannot read ${file}: ${error.code === 'ENOENT' ? 'it does not exist' : error.message}`, { file });
  });
  const parsed = parseYaml(text, file);
  const syntax = parsed.diagnostics.find((d) => d.severity === 'error');
  if (syntax) throw new GalleyError('bad-config', syntax.message, { span: syntax.span, file });
  const data = parsed.root ? toJS(parsed.root) : {};
  const validate = schemaValidator('catalogue-config.schema.json');
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    // The most specific error: the deepest path, unknown keys first.
    const best = [...errors].sort(
      (a, b) =>
        b.instancePath.split('/').length - a.instancePath.split('/').length ||
        Number(b.keyword === 'additionalProperties') - Number(a.keyword === 'additionalProperties'),
    )[0]!;
    const extra = best.keyword === 'additionalProperties' ? String((best.params as { additionalProperty: string }).additionalProperty) : undefined;
    const fallback: Span = { file, line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };
    const span = spanAt(parsed.root, best.instancePath, extra, fallback);
    const where = best.instancePath ? best.instancePath.slice(1).replace(/\//g, '.') : 'the file';
    const message =
      extra !== undefined
        ? `unknown setting "${extra}" in ${where === 'the file' ? 'the top level' : where} (see docs/catalogue.md for the settings)`
        : best.keyword === 'oneOf' || best.keyword === 'maxProperties' || best.keyword === 'minProperties'
          ? `${where}: not a valid ${where.startsWith('sources') ? 'source (write one of github: ORG, gitea: {url, org}, list: FILE)' : 'value'}`
          : `${where} ${best.message ?? 'is invalid'}`;
    throw new GalleyError('bad-config', message, { span, file });
  }
  return { raw: data as RawConfig, file };
}

/**
 * Ports fetch refuses to connect to (the WHATWG fetch "bad port" list):
 * a URL with one fails on every request, so it is a configuration error.
 */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137,
  139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

function checkPort(url: string, what: string, file: string | undefined): void {
  let port: string;
  try {
    port = new URL(url).port;
  } catch {
    throw new GalleyError('bad-config', `${what}: "${url}" is not a URL`, file ? { file } : {});
  }
  if (port && BAD_PORTS.has(Number(port))) {
    throw new GalleyError(
      'bad-config',
      `${what}: port ${port} of ${url} is one HTTP clients refuse to connect to (a "bad port", reserved for other protocols): use another port`,
      file ? { file } : {},
    );
  }
}

/** A share as `0.1` or `10%`. */
function parseShare(value: number | string, file: string | undefined): number {
  const n = typeof value === 'number' ? value : Number(value.trim().replace(/%$/, '')) / (value.trim().endsWith('%') ? 100 : 1);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new GalleyError('bad-config', `maxShrink: "${value}" is not a share between 0 and 1 (or 0% and 100%)`, file ? { file } : {});
  }
  return n;
}

/** Parses `github:ORG`, `gitea:https://host/ORG`, `list:FILE` (a `--source` flag). */
export function parseSourceFlag(spec: string, cwd: string): SourceSpec {
  const colon = spec.indexOf(':');
  const kind = colon === -1 ? '' : spec.slice(0, colon);
  const value = spec.slice(colon + 1);
  if (kind === 'github' && value) return githubSource({ org: value });
  if (kind === 'gitea') {
    const m = /^(https?:\/\/.+?)\/([^/]+)\/?$/.exec(value);
    if (m) return giteaSource({ url: m[1]!, org: m[2]! });
  }
  if (kind === 'list' && value) return listSource(path.resolve(cwd, expandHome(value)), value);
  throw new GalleyError('bad-flag', `--source ${spec}: write github:ORG, gitea:https://HOST/ORG or list:FILE`);
}

function githubSource(value: { org: string; api?: string; tokenEnv?: string }): SourceSpec {
  const apiUrl = (value.api ?? 'https://api.github.com').replace(/\/+$/, '');
  const id = apiUrl === 'https://api.github.com' ? `github:${value.org}` : `github:${apiUrl}/${value.org}`;
  return { kind: 'github', id, org: value.org, apiUrl, tokenEnv: value.tokenEnv ?? 'GITHUB_TOKEN' };
}

function giteaSource(value: { url: string; org: string; tokenEnv?: string }): SourceSpec {
  const url = value.url.replace(/\/+$/, '');
  return { kind: 'gitea', id: `gitea:${url}/${value.org}`, url, org: value.org, tokenEnv: value.tokenEnv ?? 'GITEA_TOKEN' };
}

function listSource(file: string, written: string): SourceSpec {
  return { kind: 'list', id: `list:${written}`, file };
}

function sourcesFromConfig(raw: RawConfig, dir: string): SourceSpec[] {
  return (raw.sources ?? []).map((entry) => {
    if ('github' in entry) {
      const value = entry.github;
      return githubSource(typeof value === 'string' ? { org: value } : (value as { org: string }));
    }
    if ('gitea' in entry) return giteaSource(entry.gitea as { url: string; org: string });
    const written = String(entry.list);
    return listSource(path.resolve(dir, expandHome(written)), written);
  });
}

function registrySettingsOf(raw: RawConfig, flags: CatalogueFlags, dir: string, env: NodeJS.ProcessEnv): RegistrySettings {
  const fromConfig = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(dir, expandHome(p)));
  const defaults = defaultRegistrySettings();
  const r = raw.registry ?? {};
  const registry: RegistrySettings = {
    concurrency: flags.concurrency ?? r.concurrency ?? defaults.concurrency,
    timeoutMs:
      flags.timeout !== undefined ? parseDuration(flags.timeout, '--timeout') : r.timeout !== undefined ? parseDuration(r.timeout) : defaults.timeoutMs,
    retries: flags.retries ?? r.retries ?? defaults.retries,
    backoffBaseMs: r.backoff?.base !== undefined ? parseDuration(r.backoff.base) : defaults.backoffBaseMs,
    backoffMaxMs: r.backoff?.max !== undefined ? parseDuration(r.backoff.max) : defaults.backoffMaxMs,
    tagsTtlMs: r.ttl?.tags !== undefined ? parseDuration(r.ttl.tags) : defaults.tagsTtlMs,
    digestsTtlMs: r.ttl?.digests !== undefined ? parseDuration(r.ttl.digests) : defaults.digestsTtlMs,
    imageDates: flags.imageDates ?? r.imageDates ?? defaults.imageDates,
    maxUnparseable: r.maxUnparseable ?? defaults.maxUnparseable,
    hosts: r.hosts ?? {},
  };
  const dockerConfig = fromConfig(r.dockerConfig) ?? (env.DOCKER_CONFIG ? path.join(env.DOCKER_CONFIG, 'config.json') : defaults.dockerConfig);
  if (dockerConfig) registry.dockerConfig = dockerConfig;
  return registry;
}

/** The registry settings of a configuration file (defaults without one): `galley recipe upgrade --config`. */
export async function readRegistrySettings(
  configFile: string | undefined,
  flags: CatalogueFlags = {},
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<RegistrySettings> {
  if (!configFile) return registrySettingsOf({}, flags, cwd, env);
  const file = path.resolve(cwd, configFile);
  const { raw } = await readConfigFile(file);
  return registrySettingsOf(raw, flags, path.dirname(file), env);
}

/**
 * The settings of one run: defaults, then the configuration file (the
 * `--config` one, or `galley-catalogue.yml` in `cwd` when there is one), then
 * the flags. Throws a GalleyError (exit 2) for unusable configuration.
 */
export async function resolveCatalogueSettings(flags: CatalogueFlags, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<CatalogueSettings> {
  let configFile: string | undefined;
  if (flags.config) configFile = path.resolve(cwd, flags.config);
  else {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(cwd, name);
      if (
        await readFile(candidate).then(
          () => true,
          () => false,
        )
      ) {
        configFile = candidate;
        break;
      }
    }
  }
  const raw: RawConfig = configFile ? (await readConfigFile(configFile)).raw : {};
  const dir = configFile ? path.dirname(configFile) : cwd;
  const fromConfig = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(dir, expandHome(p)));
  const fromFlag = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(cwd, expandHome(p)));

  const sources = flags.source?.length ? flags.source.map((s) => parseSourceFlag(s, cwd)) : sourcesFromConfig(raw, dir);
  if (sources.length === 0) {
    throw new GalleyError(
      'no-sources',
      'no recipe sources: give --source github:ORG, gitea:https://HOST/ORG or list:FILE, or list them under `sources:` in galley-catalogue.yml',
    );
  }
  const registry = registrySettingsOf(raw, flags, dir, env);
  for (const [name, value] of [
    ['--concurrency', flags.concurrency],
    ['--git-concurrency', flags.gitConcurrency],
    ['--retries', flags.retries],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < (name === '--retries' ? 0 : 1))) {
      throw new GalleyError('bad-flag', `${name} must be a whole number${name === '--retries' ? '' : ' of at least 1'}`);
    }
  }

  for (const [host, value] of Object.entries(registry.hosts)) {
    if (value.url !== undefined) checkPort(value.url, `registry.hosts.${host}.url`, configFile);
  }
  for (const source of sources) {
    if (source.kind === 'gitea') checkPort(source.url, `the source ${source.id}`, configFile);
    if (source.kind === 'github') checkPort(source.apiUrl, `the source ${source.id}`, configFile);
  }
  const configChanges = raw.changes === undefined ? [] : Array.isArray(raw.changes) ? raw.changes : [raw.changes];

  const settings: CatalogueSettings = {
    sources,
    out: fromFlag(flags.out) ?? fromConfig(raw.out) ?? path.resolve(cwd, 'recipes.json'),
    cacheDir: fromFlag(flags.cache) ?? fromConfig(raw.cache) ?? defaultCacheDir(env),
    offline: flags.offline ?? raw.offline ?? false,
    refresh: flags.refresh ?? false,
    includeArchived: flags.includeArchived ?? raw.includeArchived ?? false,
    exclude: [...(raw.exclude ?? []), ...(flags.exclude ?? [])],
    maxShrink: raw.maxShrink !== undefined ? parseShare(raw.maxShrink, configFile) : DEFAULT_MAX_SHRINK,
    allowShrink: flags.allowShrink ?? false,
    changes: flags.changes?.length ? flags.changes.map((f) => fromFlag(f)!) : configChanges.map((f) => fromConfig(f)!),
    format: flags.format ?? raw.format ?? 'galley',
    git: {
      concurrency: flags.gitConcurrency ?? raw.git?.concurrency ?? 8,
      timeoutMs: raw.git?.timeout !== undefined ? parseDuration(raw.git.timeout) : 300_000,
    },
    forge: {
      timeoutMs: raw.forge?.timeout !== undefined ? parseDuration(raw.forge.timeout) : 30_000,
      retries: raw.forge?.retries ?? 5,
    },
    registry,
  };
  const readmes = fromFlag(flags.readmes) ?? fromConfig(raw.readmes);
  if (readmes) settings.readmesDir = readmes;
  if (flags.media !== false) settings.mediaDir = typeof flags.media === 'string' ? fromFlag(flags.media)! : path.join(path.dirname(settings.out), 'media');
  if (flags.only?.length) settings.only = [...flags.only];
  if (configFile) settings.configFile = configFile;
  return settings;
}
