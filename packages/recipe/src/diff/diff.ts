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
  /** env-*: the key's `.env.sample` line (`KEY=value`), to copy into an app env. */
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

/** Compares two snapshots of a recipe (older first). Pure: same snapshots, same diff. */
export function diffSnapshots(from: RecipeSnapshot, to: RecipeSnapshot): RecipeDiff {
  const changes: Change[] = [];
  const add = (change: Change) => changes.push(change);

  diffServices(from, to, add);
  diffEnv(from, to, add);
  diffOverlays(from, to, add);
  diffSecrets(from, to, add);
  diffConfigs(from, to, add);
  diffObjects(from.volumes, to.volumes, 'volume', add);
  diffObjects(from.networks, to.networks, 'network', add);

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

function at(span: Span | undefined, version: 'from' | 'to'): ChangeLocation | undefined {
  return span ? { file: span.file, line: span.line, col: span.col, version } : undefined;
}

function located(change: Change, span: Span | undefined, version: 'from' | 'to'): Change {
  const location = at(span, version);
  if (location) change.location = location;
  return change;
}

// ---- services, images, health checks, deploy policies, routes ----------------

function diffServices(from: RecipeSnapshot, to: RecipeSnapshot, add: (c: Change) => void): void {
  const removed = [...from.services.values()].filter((s) => !to.services.has(s.name));
  const added = [...to.services.values()].filter((s) => !from.services.has(s.name));
  // A service that left and one that came with the same image are most likely one service renamed.
  const renames = pairRenames(removed, added, (r, a) => (r.image?.ref && a.image?.ref && r.image.ref.name === a.image.ref.name ? 1 : 0), 1);
  const renamedFrom = new Set(renames.map(([r]) => r.name));
  const renamedTo = new Set(renames.map(([, a]) => a.name));

  for (const service of added) {
    if (renamedTo.has(service.name)) continue;
    add(
      located(
        {
          kind: 'service-added',
          category: 'services',
          subject: service.name,
          service: service.name,
          message: `service ${service.name} added${service.image ? ` (${service.image.value})` : ''}`,
          breaking: false,
          level: 'patch',
        },
        service.span,
        'to',
      ),
    );
  }
  for (const service of removed) {
    if (renamedFrom.has(service.name)) continue;
    add(
      located(
        {
          kind: 'service-removed',
          category: 'services',
          subject: service.name,
          service: service.name,
          message: `service ${service.name} removed`,
          action: `its containers stop on deploy; data in its volumes stays`,
          breaking: false,
          level: 'patch',
        },
        service.span,
        'from',
      ),
    );
  }
  for (const [old, now] of renames) {
    add(
      located(
        {
          kind: 'service-renamed',
          category: 'services',
          subject: now.name,
          service: now.name,
          from: old.name,
          to: now.name,
          message: `service ${old.name} renamed to ${now.name} (a guess: same image ${now.image?.ref?.name ?? ''})`,
          action: `the swarm removes ${old.name} and starts ${now.name}; move data by hand if they used different volumes`,
          breaking: false,
          level: 'patch',
        },
        now.span,
        'to',
      ),
    );
    diffService(old, now, add);
  }
  for (const [name, now] of to.services) {
    const old = from.services.get(name);
    if (old) diffService(old, now, add);
  }
}

function diffService(old: ServiceSnapshot, now: ServiceSnapshot, add: (c: Change) => void): void {
  const service = now.name;
  if (old.image && now.image && old.image.value !== now.image.value) add(imageChange(service, old.image, now.image));
  else if (!old.image && now.image) {
    add(
      located(
        {
          kind: 'image-changed',
          category: 'images',
          subject: service,
          service,
          to: now.image.value,
          message: `${service}: now runs image ${now.image.value}`,
          breaking: false,
          level: 'minor',
          jump: 'unknown',
        },
        now.image.span,
        'to',
      ),
    );
  }

  const healthcheck = keyedChange(old.healthcheck, now.healthcheck);
  if (healthcheck) {
    const keys = healthcheck === 'changed' ? changedKeys(old.healthcheck!.value, now.healthcheck!.value) : [];
    add(
      located(
        {
          kind: 'healthcheck-changed',
          category: 'healthchecks',
          subject: service,
          service,
          message: `${service}: healthcheck ${healthcheck}${keys.length ? ` (${keys.map((k) => describeKeyChange(k, old.healthcheck!.value, now.healthcheck!.value)).join('; ')})` : ''}`,
          breaking: false,
          level: 'patch',
        },
        (now.healthcheck ?? old.healthcheck)?.span ?? now.span,
        now.healthcheck ? 'to' : 'from',
      ),
    );
  }

  for (const key of unionKeys(old.deploy, now.deploy)) {
    const state = keyedChange(old.deploy.get(key), now.deploy.get(key));
    if (!state) continue;
    const before = old.deploy.get(key)?.value;
    const after = now.deploy.get(key)?.value;
    const change: Change = {
      kind: 'deploy-changed',
      category: 'deploy',
      subject: `${service}.deploy.${key}`,
      service,
      message: `${service}: deploy.${key} ${state}${state === 'changed' ? `: ${before} → ${after}` : `: ${after ?? before}`}`,
      breaking: false,
      level: 'patch',
    };
    if (before !== undefined) change.from = before;
    if (after !== undefined) change.to = after;
    add(located(change, (now.deploy.get(key) ?? old.deploy.get(key))?.span, now.deploy.has(key) ? 'to' : 'from'));
  }

  for (const key of unionKeys(old.traefik, now.traefik)) {
    const state = keyedChange(old.traefik.get(key), now.traefik.get(key));
    if (!state) continue;
    const before = old.traefik.get(key) && JSON.parse(old.traefik.get(key)!.value);
    const after = now.traefik.get(key) && JSON.parse(now.traefik.get(key)!.value);
    const change: Change = {
      kind: 'route-changed',
      category: 'routes',
      subject: `${service} ${key}`,
      service,
      message: `${service}: ${key} ${state}${state === 'changed' ? `: ${before} → ${after}` : `: ${after ?? before}`}`,
      breaking: false,
      level: 'patch',
    };
    if (before !== undefined) change.from = before;
    if (after !== undefined) change.to = after;
    add(located(change, (now.traefik.get(key) ?? old.traefik.get(key))?.span, now.traefik.has(key) ? 'to' : 'from'));
  }
}

function unionKeys<V>(a: Map<string, V>, b: Map<string, V>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])];
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

function imageChange(service: string, old: ImageSnapshot, now: ImageSnapshot): Change {
  const moved = old.ref && now.ref ? imageJump(old.ref, now.ref) : { jump: 'unknown' as const, downgrade: false };
  const breaking = moved.jump === 'major' || moved.jump === 'replaced';
  const level: ReleaseLevel = breaking ? 'major' : moved.jump === 'patch' || moved.jump === 'digest' ? 'patch' : 'minor';
  const sameName = old.ref && now.ref && old.ref.name === now.ref.name;
  const what = sameName
    ? `${old.ref!.familiar.replace(/[:@].*$/, '')} ${old.ref!.tag ?? 'latest'}${old.ref!.digest && moved.jump === 'digest' ? `@${old.ref!.digest.slice(7, 19)}` : ''} → ${now.ref!.tag ?? 'latest'}${now.ref!.digest && moved.jump === 'digest' ? `@${now.ref!.digest.slice(7, 19)}` : ''}`
    : `${old.value} → ${now.value}`;
  const change: Change = {
    kind: 'image-changed',
    category: 'images',
    subject: service,
    service,
    from: old.value,
    to: now.value,
    message: `${service}: ${what} (${JUMP_TEXT[moved.jump]}${moved.downgrade ? ', a downgrade' : ''})`,
    breaking,
    level,
    jump: moved.jump,
    downgrade: moved.downgrade,
  };
  if (breaking) change.action = 'read the upstream upgrade notes; back up the data first';
  return located(change, now.span, 'to');
}

// ---- .env.sample ---------------------------------------------------------------

function envLine(e: EnvSnapshot): string {
  return `${e.name}=${e.value}`;
}

function missing(to: RecipeSnapshot, e: EnvSnapshot): boolean {
  return Boolean(e.required && to.appEnvKeys && !to.appEnvKeys.has(e.name));
}

function requiredAction(to: RecipeSnapshot, e: EnvSnapshot): string {
  return missing(to, e) ? `the app env lacks it: add the line ${envLine(e)}` : `the app env must set it (.env.sample has ${envLine(e)})`;
}

function diffEnv(from: RecipeSnapshot, to: RecipeSnapshot, add: (c: Change) => void): void {
  const removed = [...from.env.values()].filter((e) => !to.env.has(e.name));
  const added = [...to.env.values()].filter((e) => !from.env.has(e.name));
  // A guess: names alike (a secret's version variable only ever becomes another one), a shared value helping.
  const secretVersion = (name: string) => /^SECRET_.+_VERSION$/.test(name);
  const renames = pairRenames(
    removed,
    added,
    (r, a) =>
      secretVersion(r.name) !== secretVersion(a.name)
        ? 0
        : nameSimilarity(r.name, a.name) + (sameValue(r, a) ? 0.1 : 0) - (r.commented !== a.commented ? 0.05 : 0),
    0.75,
  );
  const renamedFrom = new Set(renames.map(([r]) => r.name));
  const renamedTo = new Set(renames.map(([, a]) => a.name));

  const envChange = (kind: ChangeKind, e: EnvSnapshot, message: string, extra: Partial<Change> = {}): Change => {
    const change: Change = {
      kind,
      category: 'env',
      subject: e.name,
      message,
      breaking: false,
      level: 'patch',
      required: e.required,
      ...extra,
    };
    if (missing(to, e)) change.missingInAppEnv = true;
    if (kind !== 'env-removed' && e.required) change.line = envLine(e);
    return located(change, e.span, kind === 'env-removed' ? 'from' : 'to');
  };

  for (const e of added) {
    if (renamedTo.has(e.name)) continue;
    add(
      e.required
        ? envChange('env-added', e, `${e.name} added, required`, { breaking: true, level: 'major', to: e.value, action: requiredAction(to, e) })
        : envChange('env-added', e, `${e.name} added, optional${e.commented ? ' (commented out)' : ''}`, { level: 'minor', to: e.value }),
    );
  }
  for (const e of removed) {
    if (renamedFrom.has(e.name)) continue;
    add(envChange('env-removed', e, `${e.name} removed`, { from: e.value, required: false, action: 'the app env may drop it' }));
  }
  for (const [old, now] of renames) {
    const extra: Partial<Change> = { from: old.name, to: now.name };
    if (now.required) Object.assign(extra, { breaking: true, level: 'major', action: requiredAction(to, now) });
    else extra.action = `rename it in the app env if it sets ${old.name}`;
    add(envChange('env-renamed', now, `${old.name} renamed to ${now.name} (a guess by name${sameValue(old, now) ? ' and value' : ''})`, extra));
  }
  // A secret's version moving is reported with the secret.
  const secretVersions = new Set([...to.secrets.values()].filter((s) => from.secrets.has(s.name)).map((s) => s.versionVariable));
  for (const [name, now] of to.env) {
    const old = from.env.get(name);
    if (!old || secretVersions.has(name)) continue;
    if (now.required && !old.required) {
      const why = old.commented ? ', now set in .env.sample' : ', compose no longer gives it a default';
      add(envChange('env-now-required', now, `${name} is now required${why}`, { breaking: true, level: 'major', action: requiredAction(to, now) }));
    } else if (old.commented !== now.commented) {
      // Commented out: optional now, whatever it was before.
      const message = now.commented ? `${name} is now commented out (optional)` : `${name} is now set by default (${envLine(now)})`;
      add(envChange('env-default-changed', now, message, { from: old.value, to: now.value }));
    } else if (!now.required && old.required) {
      add(envChange('env-now-optional', now, `${name} is no longer required`));
    } else if (old.value !== now.value) {
      add(envChange('env-default-changed', now, `${name} default changed: ${show(old.value)} → ${show(now.value)}`, { from: old.value, to: now.value }));
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

function diffOverlays(from: RecipeSnapshot, to: RecipeSnapshot, add: (c: Change) => void): void {
  for (const [file, overlay] of to.overlays) {
    const old = from.overlays.get(file);
    if (!old) {
      add(
        located(
          {
            kind: 'overlay-added',
            category: 'overlays',
            subject: file,
            message: `overlay ${file} added (${overlay.defaultOn ? 'on by default' : `off by default: add it to COMPOSE_FILE to use it`})`,
            breaking: false,
            level: 'minor',
          },
          overlay.span ?? fileStart(file),
          'to',
        ),
      );
    } else if (old.defaultOn !== overlay.defaultOn) {
      add(
        located(
          {
            kind: 'overlay-default-changed',
            category: 'overlays',
            subject: file,
            message: `overlay ${file} is now ${overlay.defaultOn ? 'on' : 'off'} by default in .env.sample`,
            breaking: false,
            level: 'patch',
          },
          overlay.span ?? fileStart(file),
          'to',
        ),
      );
    }
  }
  for (const [file, overlay] of from.overlays) {
    if (to.overlays.has(file)) continue;
    add(
      located(
        {
          kind: 'overlay-removed',
          category: 'overlays',
          subject: file,
          message: `overlay ${file} removed`,
          action: `an app env that lists ${file} in COMPOSE_FILE must drop it`,
          breaking: false,
          level: 'minor',
        },
        overlay.span ?? fileStart(file),
        'from',
      ),
    );
  }
}

function fileStart(file: string): Span {
  return { file, line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };
}

// ---- secrets, configs, volumes, networks -----------------------------------------

/** `${STACK_NAME}_db_password_v1`: the name the swarm object gets. */
function swarmName(name: string, version: string | undefined): string {
  return `${STACK_PLACEHOLDER}_${name}${version ? `_${version}` : ''}`;
}

function diffSecrets(from: RecipeSnapshot, to: RecipeSnapshot, add: (c: Change) => void): void {
  for (const [name, secret] of to.secrets) {
    const old = from.secrets.get(name);
    const manual = secret.modifiers.generate === 'false';
    const how = manual
      ? `insert it: galley secret insert <app env> ${name} ${secret.version ?? 'v1'} (it is never generated)`
      : `generate it: galley secret generate <app env> ${name}`;
    if (!old) {
      const change: Change = {
        kind: 'secret-added',
        category: 'secrets',
        subject: name,
        message: `secret ${name} added${secret.versionVariable ? ` (${secret.versionVariable}${secret.version ? `=${secret.version}` : ''})` : ''}`,
        action: how,
        breaking: true,
        level: 'major',
      };
      if (secret.version) change.to = secret.version;
      add(located(change, secret.span, 'to'));
    } else if (old.version !== secret.version && old.version !== undefined && secret.version !== undefined) {
      add(
        located(
          {
            kind: 'secret-version-changed',
            category: 'secrets',
            subject: name,
            from: old.version,
            to: secret.version,
            message: `secret ${name}: ${secret.versionVariable ?? 'version'} ${old.version} → ${secret.version} in .env.sample (a new secret ${swarmName(name, secret.version)})`,
            action: `an app env that moves to ${secret.version} needs the new secret: ${how.replace(/^(generate|insert) it: /, '')}`,
            breaking: false,
            level: 'patch',
          },
          secret.span,
          'to',
        ),
      );
    }
  }
  for (const [name, secret] of from.secrets) {
    if (to.secrets.has(name)) continue;
    add(
      located(
        {
          kind: 'secret-removed',
          category: 'secrets',
          subject: name,
          message: `secret ${name} removed`,
          action: `the old secret stays in the swarm: galley secret rm <app env> ${name} removes it`,
          breaking: false,
          level: 'patch',
        },
        secret.span,
        'from',
      ),
    );
  }
}

function diffConfigs(from: RecipeSnapshot, to: RecipeSnapshot, add: (c: Change) => void): void {
  for (const [name, config] of to.configs) {
    const old = from.configs.get(name);
    if (!old) {
      add(
        located(
          {
            kind: 'config-added',
            category: 'configs',
            subject: name,
            message: `config ${name} added${config.file ? ` (${config.file})` : ''}`,
            breaking: false,
            level: 'patch',
          },
          config.span,
          'to',
        ),
      );
      continue;
    }
    const contentChanged = old.content !== config.content;
    const versionChanged = old.version !== config.version;
    if (!contentChanged && !versionChanged && old.file === config.file) continue;
    const parts: string[] = [];
    if (old.file !== config.file) parts.push(`file ${old.file ?? '(none)'} → ${config.file ?? '(none)'}`);
    if (contentChanged) parts.push('content changed');
    if (versionChanged) parts.push(`${config.versionVariable ?? 'version'} ${old.version ?? '(none)'} → ${config.version ?? '(none)'}`);
    const change: Change = {
      kind: 'config-changed',
      category: 'configs',
      subject: name,
      message: `config ${name}: ${parts.join(', ')}`,
      breaking: false,
      level: 'patch',
    };
    if (old.version !== undefined) change.from = old.version;
    if (config.version !== undefined) change.to = config.version;
    if (contentChanged && !versionChanged && config.versionVariable) {
      change.action = `bump ${config.versionVariable}: the swarm refuses a changed config under the same name`;
    }
    add(located(change, config.span, 'to'));
  }
  for (const [name, config] of from.configs) {
    if (to.configs.has(name)) continue;
    add(
      located(
        { kind: 'config-removed', category: 'configs', subject: name, message: `config ${name} removed`, breaking: false, level: 'patch' },
        config.span,
        'from',
      ),
    );
  }
}

function diffObjects(from: Map<string, ObjectSnapshot>, to: Map<string, ObjectSnapshot>, what: 'volume' | 'network', add: (c: Change) => void): void {
  const category = what === 'volume' ? 'volumes' : 'networks';
  for (const [name, object] of to) {
    if (from.has(name)) continue;
    add(
      located(
        {
          kind: `${what}-added`,
          category,
          subject: name,
          message: `${what} ${name} added${object.external ? ' (external: it must exist before deploying)' : ''}`,
          breaking: false,
          level: 'patch',
        },
        object.span,
        'to',
      ),
    );
  }
  for (const [name, object] of from) {
    if (to.has(name)) continue;
    const volume = what === 'volume';
    const change: Change = {
      kind: `${what}-removed`,
      category,
      subject: name,
      message: `${what} ${name} removed`,
      // A removed volume leaves the app's data behind, unused: an operator must move or back it up.
      breaking: volume && !object.external,
      level: volume && !object.external ? 'major' : 'patch',
    };
    if (volume && !object.external) change.action = `its data stays behind in the volume ${STACK_PLACEHOLDER}_${name}: move or back it up, then remove it`;
    add(located(change, object.span, 'from'));
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
