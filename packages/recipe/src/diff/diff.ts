import type { Span } from '../diagnostics.js';
import type { ImageRef } from '../image-ref.js';
import { classifyUpgrade, compareParsedTags, parseTag } from '../versions/image-tag.js';
import { compareRecipeVersions, isRecipeVersion } from '../versions/recipe-version.js';
import { nameSimilarity, pairRenames } from './similarity.js';
import type { EnvSnapshot, ImageSnapshot, KeyedValue, ObjectSnapshot, RecipeSnapshot, ServiceSnapshot } from './snapshot.js';
import { STACK_PLACEHOLDER } from './snapshot.js';

/** What a change is about; also the order of sections in reports. */
export type ChangeCategory = 'services' | 'images' | 'env' | 'overlays' | 'secrets' | 'configs' | 'volumes' | 'networks' | 'healthchecks' | 'deploy' | 'routes';

export const CHANGE_CATEGORIES: readonly ChangeCategory[] = [
  'services',
  'images',
  'env',
  'overlays',
  'secrets',
  'configs',
  'volumes',
  'networks',
  'healthchecks',
  'deploy',
  'routes',
];

export type ChangeKind =
  | 'service-added'
  | 'service-removed'
  | 'service-renamed'
  | 'image-changed'
  | 'env-added'
  | 'env-removed'
  | 'env-renamed'
  | 'env-default-changed'
  | 'env-now-required'
  | 'env-now-optional'
  | 'overlay-added'
  | 'overlay-removed'
  | 'overlay-default-changed'
  | 'secret-added'
  | 'secret-removed'
  | 'secret-version-changed'
  | 'config-added'
  | 'config-removed'
  | 'config-changed'
  | 'volume-added'
  | 'volume-removed'
  | 'network-added'
  | 'network-removed'
  | 'healthcheck-changed'
  | 'deploy-changed'
  | 'route-changed';

/** A recipe version bump, by Co-op Cloud's release rules. */
export type ReleaseLevel = 'major' | 'minor' | 'patch';

/**
 * How an image moved: by the first version number that changed, a new
 * variant (`16-alpine` → `16-bookworm`), another image altogether, only the
 * digest, or tags too different to order (`latest` → `1.2`).
 */
export type ImageJump = 'major' | 'minor' | 'patch' | 'variant' | 'replaced' | 'digest' | 'unknown';

export interface ChangeLocation {
  file: string;
  line: number;
  col: number;
  /** `to`: in the newer version; `from`: in the older one (for what was removed). */
  version: 'from' | 'to';
}

export interface Change {
  kind: ChangeKind;
  category: ChangeCategory;
  /** What changed: a service, an env key, a secret, a file… */
  subject: string;
  /** One line for people, without the location. */
  message: string;
  /** What an operator must do about it, when anything. */
  action?: string;
  /** A new required env var, a new secret, a removed volume, a major image jump. */
  breaking: boolean;
  /** The recipe version bump this change calls for. */
  level: ReleaseLevel;
  location?: ChangeLocation;
  service?: string;
  /** Values before and after, as text (images, env values, versions). */
  from?: string;
  to?: string;
  /** image-changed: how the image moved, and whether it went back. */
  jump?: ImageJump;
  downgrade?: boolean;
  /** env-*: whether the key is required in the newer version. */
  required?: boolean;
  /** env-*: a required key the app env given does not set. */
  missingInAppEnv?: boolean;
  /** env-*: the key's `.env.sample` line as written (`KEY=value # modifiers`), to copy into an app env. */
  line?: string;
}

export interface DiffSide {
  label: string;
  /** The recipe version it is (its tag or folder name), if it is one. */
  release?: string;
  /** Its version label. */
  version?: string;
}

export interface ReleaseNote {
  version: string;
  file: string;
  /** Filled in by `compareRecipes` (read from the newer version). */
  text?: string;
}

export interface RecipeDiff {
  recipe: string;
  from: DiffSide;
  to: DiffSide;
  /** Whether an app env (not `.env.sample`) chose the compose files. */
  appEnv: boolean;
  /** Breaking changes first, then by category, then by where they are written. */
  changes: Change[];
  breaking: boolean;
  /** The bump the changes call for; undefined when nothing an operator sees changed. */
  level?: ReleaseLevel;
  /** `release/<version>` notes after `from` up to `to` (and `release/next` when `to` is no release). */
  releaseNotes: ReleaseNote[];
}

const CATEGORY: Record<ChangeKind, ChangeCategory> = {
  'service-added': 'services',
  'service-removed': 'services',
  'service-renamed': 'services',
  'image-changed': 'images',
  'env-added': 'env',
  'env-removed': 'env',
  'env-renamed': 'env',
  'env-default-changed': 'env',
  'env-now-required': 'env',
  'env-now-optional': 'env',
  'overlay-added': 'overlays',
  'overlay-removed': 'overlays',
  'overlay-default-changed': 'overlays',
  'secret-added': 'secrets',
  'secret-removed': 'secrets',
  'secret-version-changed': 'secrets',
  'config-added': 'configs',
  'config-removed': 'configs',
  'config-changed': 'configs',
  'volume-added': 'volumes',
  'volume-removed': 'volumes',
  'network-added': 'networks',
  'network-removed': 'networks',
  'healthcheck-changed': 'healthchecks',
  'deploy-changed': 'deploy',
  'route-changed': 'routes',
};

/** Where a change is: a span of the newer version (`to`) or, for what was removed, of the older one. */
type Where = [span: Span | undefined, version: 'from' | 'to'];

/** The changes found so far; each is a patch-level, non-breaking change unless `extra` says otherwise. */
class Changes {
  readonly list: Change[] = [];

  add(kind: ChangeKind, subject: string, message: string, [span, version]: Where, extra: Partial<Change> = {}): Change {
    const change: Change = { kind, category: CATEGORY[kind], subject, message, breaking: false, level: 'patch', ...extra };
    if (span) change.location = { file: span.file, line: span.line, col: span.col, version };
    for (const key of ['from', 'to', 'action'] as const) if (change[key] === undefined) delete change[key];
    this.list.push(change);
    return change;
  }
}

/** Compares two snapshots of a recipe (older first). Pure: same snapshots, same diff. */
export function diffSnapshots(from: RecipeSnapshot, to: RecipeSnapshot): RecipeDiff {
  const found = new Changes();
  diffServices(from, to, found);
  diffEnv(from, to, found);
  diffOverlays(from, to, found);
  diffSecrets(from, to, found);
  diffConfigs(from, to, found);
  diffObjects(from.volumes, to.volumes, 'volume', found);
  diffObjects(from.networks, to.networks, 'network', found);
  const changes = found.list;
  if (!to.appEnv) exemptNewOverlays(from, to, changes);

  const order = new Map(CHANGE_CATEGORIES.map((c, i) => [c, i]));
  changes.sort(
    (a, b) =>
      Number(b.breaking) - Number(a.breaking) ||
      order.get(a.category)! - order.get(b.category)! ||
      compareLocations(a.location, b.location) ||
      (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0),
  );
  const breaking = changes.some((c) => c.breaking);
  const diff: RecipeDiff = {
    recipe: to.name,
    from: side(from),
    to: side(to),
    appEnv: to.appEnv,
    changes,
    breaking,
    releaseNotes: notesBetween(from, to),
  };
  const level = breaking ? 'major' : changes.some((c) => c.level === 'minor') ? 'minor' : changes.length ? 'patch' : undefined;
  if (level) diff.level = level;
  return diff;
}

/**
 * What only an overlay new in this version brings (its secrets, required
 * settings, images) breaks no deployed app: none has that overlay in its
 * `COMPOSE_FILE` yet. Such changes are new optional settings (minor). With an
 * app env, the app's own selection decides, and nothing is exempt.
 */
function exemptNewOverlays(from: RecipeSnapshot, to: RecipeSnapshot, changes: Change[]): void {
  const fresh = new Set([...to.overlays.keys()].filter((f) => !from.overlays.has(f)));
  if (!fresh.size) return;
  for (const change of changes) {
    if (!change.breaking || change.location?.version !== 'to') continue;
    const file = change.category === 'env' ? to.env.get(change.subject)?.usedIn : change.location.file;
    if (!file || !fresh.has(file)) continue;
    change.breaking = false;
    change.level = 'minor';
    change.message += ` (only with the new overlay ${file})`;
  }
}

function side(s: RecipeSnapshot): DiffSide {
  const out: DiffSide = { label: s.label };
  if (s.release) out.release = s.release;
  if (s.versionLabel) out.version = s.versionLabel.value;
  return out;
}

function compareLocations(a: ChangeLocation | undefined, b: ChangeLocation | undefined): number {
  if (!a || !b) return Number(!a) - Number(!b);
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col;
}

/** Names in `from` only, in `to` only, and pairs of those likely renamed (`score` at least `threshold`). */
function split<T extends { name: string }>(
  from: Map<string, T>,
  to: Map<string, T>,
  score: (r: T, a: T) => number,
  threshold: number,
): { removed: T[]; added: T[]; renamed: [T, T][] } {
  const removed = [...from.values()].filter((x) => !to.has(x.name));
  const added = [...to.values()].filter((x) => !from.has(x.name));
  const renamed = pairRenames(removed, added, score, threshold);
  const gone = new Set(renamed.flat());
  return { removed: removed.filter((x) => !gone.has(x)), added: added.filter((x) => !gone.has(x)), renamed };
}

// ---- services, images, health checks, deploy policies, routes ----------------

function diffServices(from: RecipeSnapshot, to: RecipeSnapshot, found: Changes): void {
  // A service that left and one that came with the same image are most likely one service renamed.
  const { removed, added, renamed } = split(from.services, to.services, (r, a) => Number(Boolean(r.image?.ref && r.image.ref.name === a.image?.ref?.name)), 1);
  for (const s of added) {
    found.add('service-added', s.name, `service ${s.name} added${s.image ? ` (${s.image.value})` : ''}`, [s.span, 'to'], { service: s.name });
  }
  for (const s of removed) {
    found.add('service-removed', s.name, `service ${s.name} removed`, [s.span, 'from'], {
      service: s.name,
      action: 'its containers stop on deploy; data in its volumes stays',
    });
  }
  for (const [old, now] of renamed) {
    found.add('service-renamed', now.name, `service ${old.name} renamed to ${now.name} (a guess: same image ${now.image?.ref?.name ?? ''})`, [now.span, 'to'], {
      service: now.name,
      from: old.name,
      to: now.name,
      action: `the swarm removes ${old.name} and starts ${now.name}; move data by hand if they used different volumes`,
    });
    diffService(old, now, found);
  }
  for (const [name, now] of to.services) {
    const old = from.services.get(name);
    if (old) diffService(old, now, found);
  }
}

function diffService(old: ServiceSnapshot, now: ServiceSnapshot, found: Changes): void {
  const service = now.name;
  if (old.image && now.image && old.image.value !== now.image.value) imageChange(service, old.image, now.image, found);
  else if (!old.image && now.image) {
    found.add('image-changed', service, `${service}: now runs image ${now.image.value}`, [now.image.span, 'to'], {
      service,
      to: now.image.value,
      level: 'minor',
      jump: 'unknown',
    });
  }
  const healthcheck = keyedChange(old.healthcheck, now.healthcheck);
  if (healthcheck) {
    const keys = healthcheck === 'changed' ? changedKeys(old.healthcheck!.value, now.healthcheck!.value) : [];
    const detail = keys.map((k) => describeKeyChange(k, old.healthcheck!.value, now.healthcheck!.value)).join('; ');
    const where: Where = now.healthcheck ? [now.healthcheck.span, 'to'] : [old.healthcheck?.span, 'from'];
    found.add('healthcheck-changed', service, `${service}: healthcheck ${healthcheck}${detail ? ` (${detail})` : ''}`, where, { service });
  }
  diffKeyed(
    'deploy-changed',
    service,
    old.deploy,
    now.deploy,
    (key) => `deploy.${key}`,
    (v) => v,
    found,
  );
  diffKeyed(
    'route-changed',
    service,
    old.traefik,
    now.traefik,
    (key) => key,
    (v) => JSON.parse(v) as string,
    found,
  );
}

/** Per key of two maps of stable JSON values: added, removed or changed. */
function diffKeyed(
  kind: 'deploy-changed' | 'route-changed',
  service: string,
  old: Map<string, KeyedValue>,
  now: Map<string, KeyedValue>,
  name: (key: string) => string,
  show: (value: string) => string,
  found: Changes,
): void {
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(key);
    const b = now.get(key);
    const state = keyedChange(a, b);
    if (!state) continue;
    const before = a && show(a.value);
    const after = b && show(b.value);
    const what = state === 'changed' ? `${before} → ${after}` : (after ?? before);
    found.add(kind, `${service} ${name(key)}`, `${service}: ${name(key)} ${state}: ${what}`, b ? [b.span, 'to'] : [a?.span, 'from'], {
      service,
      ...(before !== undefined ? { from: before } : {}),
      ...(after !== undefined ? { to: after } : {}),
    });
  }
}

function keyedChange(old: KeyedValue | undefined, now: KeyedValue | undefined): 'added' | 'removed' | 'changed' | undefined {
  if (!old && now) return 'added';
  if (old && !now) return 'removed';
  if (old && now && old.value !== now.value) return 'changed';
  return undefined;
}

/** Top-level keys whose values differ between two stable JSON objects. */
function changedKeys(before: string, after: string): string[] {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return [];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

function describeKeyChange(key: string, before: string, after: string): string {
  const a = (JSON.parse(before) as Record<string, unknown>)[key];
  const b = (JSON.parse(after) as Record<string, unknown>)[key];
  const show = (v: unknown) => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
  return `${key} ${show(a)} → ${show(b)}`;
}

/** How an image moved between two references (see `ImageJump`). */
export function imageJump(from: ImageRef, to: ImageRef): { jump: ImageJump; downgrade: boolean } {
  if (from.name !== to.name) return { jump: 'replaced', downgrade: false };
  if ((from.tag ?? 'latest') === (to.tag ?? 'latest')) return { jump: from.digest !== to.digest ? 'digest' : 'unknown', downgrade: false };
  const a = parseTag(from.tag ?? 'latest');
  const b = parseTag(to.tag ?? 'latest');
  if (!a.ok || !b.ok) return { jump: 'unknown', downgrade: false };
  if (a.tag.format !== b.tag.format || a.tag.suffix !== b.tag.suffix || a.tag.prefix !== b.tag.prefix) return { jump: 'variant', downgrade: false };
  const order = compareParsedTags(a.tag, b.tag);
  if (order === 0) return { jump: 'unknown', downgrade: false };
  const kind = order < 0 ? classifyUpgrade(a.tag, b.tag) : classifyUpgrade(b.tag, a.tag);
  // A date or build number says nothing about compatibility: a new one is an update, not a major jump.
  const jump = a.tag.format === 'semver' ? (kind ?? 'unknown') : 'minor';
  return { jump, downgrade: order > 0 };
}

const JUMP_TEXT: Record<ImageJump, string> = {
  major: 'major',
  minor: 'minor',
  patch: 'patch',
  variant: 'variant changed',
  replaced: 'another image',
  digest: 'digest only',
  unknown: 'tags cannot be ordered',
};

function imageChange(service: string, old: ImageSnapshot, now: ImageSnapshot, found: Changes): void {
  const moved = old.ref && now.ref ? imageJump(old.ref, now.ref) : { jump: 'unknown' as const, downgrade: false };
  const breaking = moved.jump === 'major' || moved.jump === 'replaced';
  const level: ReleaseLevel = breaking ? 'major' : moved.jump === 'patch' || moved.jump === 'digest' ? 'patch' : 'minor';
  const version = (ref: ImageRef) => `${ref.tag ?? 'latest'}${ref.digest && moved.jump === 'digest' ? `@${ref.digest.slice(7, 19)}` : ''}`;
  const what =
    old.ref && now.ref && old.ref.name === now.ref.name
      ? `${old.ref.familiar.replace(/[:@].*$/, '')} ${version(old.ref)} → ${version(now.ref)}`
      : `${old.value} → ${now.value}`;
  found.add('image-changed', service, `${service}: ${what} (${JUMP_TEXT[moved.jump]}${moved.downgrade ? ', a downgrade' : ''})`, [now.span, 'to'], {
    service,
    from: old.value,
    to: now.value,
    breaking,
    level,
    jump: moved.jump,
    downgrade: moved.downgrade,
    ...(breaking ? { action: 'read the upstream upgrade notes; back up the data first' } : {}),
  });
}

// ---- .env.sample ---------------------------------------------------------------

/** The `.env.sample` line as written, to copy into an app env. */
function envLine(e: EnvSnapshot): string {
  return e.text;
}

function missing(to: RecipeSnapshot, e: EnvSnapshot): boolean {
  return Boolean(e.required && to.appEnvKeys && !to.appEnvKeys.has(e.name));
}

function requiredAction(to: RecipeSnapshot, e: EnvSnapshot): string {
  return missing(to, e) ? `the app env lacks it: add the line ${envLine(e)}` : `the app env must set it (.env.sample has ${envLine(e)})`;
}

function diffEnv(from: RecipeSnapshot, to: RecipeSnapshot, found: Changes): void {
  // A guess: names alike (a secret's version variable only ever becomes another one), a shared value helping.
  const secretVersion = (name: string) => /^SECRET_.+_VERSION$/.test(name);
  const { removed, added, renamed } = split(
    from.env,
    to.env,
    (r, a) =>
      secretVersion(r.name) !== secretVersion(a.name)
        ? 0
        : nameSimilarity(r.name, a.name) + (sameValue(r, a) ? 0.1 : 0) - (r.commented !== a.commented ? 0.05 : 0),
    0.75,
  );
  const add = (kind: ChangeKind, e: EnvSnapshot, message: string, extra: Partial<Change> = {}) => {
    const removal = kind === 'env-removed';
    found.add(kind, e.name, message, [e.span, removal ? 'from' : 'to'], {
      required: !removal && e.required,
      ...(missing(to, e) && !removal ? { missingInAppEnv: true } : {}),
      ...(e.required && !removal ? { line: envLine(e) } : {}),
      ...extra,
    });
  };
  const required = (e: EnvSnapshot): Partial<Change> => ({ breaking: true, level: 'major', action: requiredAction(to, e) });

  for (const e of added) {
    if (e.required) add('env-added', e, `${e.name} added, required`, { to: e.value, ...required(e) });
    else add('env-added', e, `${e.name} added, optional${e.commented ? ' (commented out)' : ''}`, { level: 'minor', to: e.value });
  }
  for (const e of removed) add('env-removed', e, `${e.name} removed`, { from: e.value, action: 'the app env may drop it' });
  for (const [old, now] of renamed) {
    add('env-renamed', now, `${old.name} renamed to ${now.name} (a guess by name${sameValue(old, now) ? ' and value' : ''})`, {
      from: old.name,
      to: now.name,
      ...(now.required ? required(now) : { action: `rename it in the app env if it sets ${old.name}` }),
    });
  }
  // A secret's version moving is reported with the secret.
  const secretVersions = new Set([...to.secrets.values()].filter((s) => from.secrets.has(s.name)).map((s) => s.versionVariable));
  for (const [name, now] of to.env) {
    const old = from.env.get(name);
    if (!old || secretVersions.has(name)) continue;
    const values = { from: old.value, to: now.value };
    if (now.required && !old.required) {
      add(
        'env-now-required',
        now,
        `${name} is now required${old.commented ? ', now set in .env.sample' : ', compose no longer gives it a default'}`,
        required(now),
      );
    } else if (old.commented !== now.commented) {
      // Commented out: optional now, whatever it was before.
      add('env-default-changed', now, now.commented ? `${name} is now commented out (optional)` : `${name} is now set by default (${envLine(now)})`, values);
    } else if (!now.required && old.required) {
      add('env-now-optional', now, `${name} is no longer required`);
    } else if (old.value !== now.value) {
      add('env-default-changed', now, `${name} default changed: ${show(old.value)} → ${show(now.value)}`, values);
    }
  }
}

function sameValue(a: EnvSnapshot, b: EnvSnapshot): boolean {
  return a.value.length >= 3 && a.value === b.value;
}

function show(value: string): string {
  return value === '' ? '(empty)' : value;
}

// ---- overlays ------------------------------------------------------------------

function diffOverlays(from: RecipeSnapshot, to: RecipeSnapshot, found: Changes): void {
  for (const [file, overlay] of to.overlays) {
    const old = from.overlays.get(file);
    const where: Where = [overlay.span ?? fileStart(file), 'to'];
    if (!old) {
      const state = overlay.defaultOn ? 'on by default' : 'off by default: add it to COMPOSE_FILE to use it';
      found.add('overlay-added', file, `overlay ${file} added (${state})`, where, { level: 'minor' });
    } else if (old.defaultOn !== overlay.defaultOn) {
      found.add('overlay-default-changed', file, `overlay ${file} is now ${overlay.defaultOn ? 'on' : 'off'} by default in .env.sample`, where);
    }
  }
  for (const [file, overlay] of from.overlays) {
    if (to.overlays.has(file)) continue;
    found.add('overlay-removed', file, `overlay ${file} removed`, [overlay.span ?? fileStart(file), 'from'], {
      level: 'minor',
      action: `an app env that lists ${file} in COMPOSE_FILE must drop it`,
    });
  }
}

function fileStart(file: string): Span {
  return { file, line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };
}

// ---- secrets, configs, volumes, networks -----------------------------------------

function diffSecrets(from: RecipeSnapshot, to: RecipeSnapshot, found: Changes): void {
  for (const [name, secret] of to.secrets) {
    const old = from.secrets.get(name);
    const command =
      secret.modifiers.generate === 'false'
        ? `galley secret insert <app env> ${name} ${secret.version ?? 'v1'} (it is never generated)`
        : `galley secret generate <app env> ${name}`;
    if (!old) {
      const version = secret.versionVariable ? ` (${secret.versionVariable}${secret.version ? `=${secret.version}` : ''})` : '';
      found.add('secret-added', name, `secret ${name} added${version}`, [secret.span, 'to'], {
        breaking: true,
        level: 'major',
        to: secret.version,
        action: `${command.startsWith('galley secret insert') ? 'insert' : 'generate'} it: ${command}`,
      });
    } else if (old.version !== secret.version && old.version !== undefined && secret.version !== undefined) {
      const object = `${STACK_PLACEHOLDER}_${name}_${secret.version}`;
      found.add(
        'secret-version-changed',
        name,
        `secret ${name}: ${secret.versionVariable ?? 'version'} ${old.version} → ${secret.version} in .env.sample (a new secret ${object})`,
        [secret.span, 'to'],
        { from: old.version, to: secret.version, action: `an app env that moves to ${secret.version} needs the new secret: ${command}` },
      );
    }
  }
  for (const [name, secret] of from.secrets) {
    if (to.secrets.has(name)) continue;
    found.add('secret-removed', name, `secret ${name} removed`, [secret.span, 'from'], {
      action: `the old secret stays in the swarm: galley secret rm <app env> ${name} removes it`,
    });
  }
}

function diffConfigs(from: RecipeSnapshot, to: RecipeSnapshot, found: Changes): void {
  for (const [name, config] of to.configs) {
    const old = from.configs.get(name);
    if (!old) {
      found.add('config-added', name, `config ${name} added${config.file ? ` (${config.file})` : ''}`, [config.span, 'to']);
      continue;
    }
    const contentChanged = old.content !== config.content;
    const versionChanged = old.version !== config.version;
    if (!contentChanged && !versionChanged && old.file === config.file) continue;
    const parts: string[] = [];
    if (old.file !== config.file) parts.push(`file ${old.file ?? '(none)'} → ${config.file ?? '(none)'}`);
    if (contentChanged) parts.push('content changed');
    if (versionChanged) parts.push(`${config.versionVariable ?? 'version'} ${old.version ?? '(none)'} → ${config.version ?? '(none)'}`);
    found.add('config-changed', name, `config ${name}: ${parts.join(', ')}`, [config.span, 'to'], {
      from: old.version,
      to: config.version,
      ...(contentChanged && !versionChanged && config.versionVariable
        ? { action: `bump ${config.versionVariable}: the swarm refuses a changed config under the same name` }
        : {}),
    });
  }
  for (const [name, config] of from.configs) {
    if (!to.configs.has(name)) found.add('config-removed', name, `config ${name} removed`, [config.span, 'from']);
  }
}

function diffObjects(from: Map<string, ObjectSnapshot>, to: Map<string, ObjectSnapshot>, what: 'volume' | 'network', found: Changes): void {
  for (const [name, object] of to) {
    if (from.has(name)) continue;
    found.add(`${what}-added`, name, `${what} ${name} added${object.external ? ' (external: it must exist before deploying)' : ''}`, [object.span, 'to']);
  }
  for (const [name, object] of from) {
    if (to.has(name)) continue;
    // A removed volume leaves the app's data behind, unused: an operator must move or back it up.
    const data = what === 'volume' && !object.external;
    found.add(`${what}-removed`, name, `${what} ${name} removed`, [object.span, 'from'], {
      ...(data
        ? { breaking: true, level: 'major', action: `its data stays behind in the volume ${STACK_PLACEHOLDER}_${name}: move or back it up, then remove it` }
        : {}),
    });
  }
}

// ---- release notes ---------------------------------------------------------------

/** Release notes of `to` for the versions after `from` up to `to`; `release/next` too when `to` is no release. */
function notesBetween(from: RecipeSnapshot, to: RecipeSnapshot): ReleaseNote[] {
  const lower = from.release ?? (from.versionLabel && isRecipeVersion(from.versionLabel.value) ? from.versionLabel.value : undefined);
  const upper = to.release;
  const out: ReleaseNote[] = [];
  for (const [version, file] of to.releaseNotes) {
    if (!isRecipeVersion(version)) continue;
    if (lower && compareRecipeVersions(version, lower) <= 0) continue;
    if (upper && compareRecipeVersions(version, upper) > 0) continue;
    out.push({ version, file });
  }
  out.sort((a, b) => compareRecipeVersions(a.version, b.version));
  const next = to.releaseNotes.get('next');
  if (!upper && next) out.push({ version: 'next', file: next });
  return out;
}
