import semver from 'semver';
import { compareTags } from './image-tag.js';

/**
 * A recipe release tag: `<recipe semver>+<main image tag>` (e.g.
 * `2.0.1+1.0.6-social-amd64`), a bare recipe semver (`1.0.3`, `v1.0.3`), or
 * the 2021 scheme `<upstream tag>_<n>` (e.g. `1.14.1-rootless_1`).
 */
export type RecipeVersion =
  | { raw: string; scheme: 'semver'; recipe: string; major: number; minor: number; patch: number; upstream?: string }
  | { raw: string; scheme: 'legacy'; upstream: string; n: number };

export type RecipeVersionResult = { ok: true; version: RecipeVersion } | { ok: false; raw: string; reason: string };

const NEW_SCHEME = /^(v?\d+\.\d+\.\d+)(?:\+(.+))?$/;
const LEGACY_SCHEME = /^(.+)_(\d+)$/;

export function parseRecipeVersion(raw: string): RecipeVersionResult {
  const m = NEW_SCHEME.exec(raw);
  // Loose: `v1.0.3` and `01.2.3` are read as 1.0.3 and 1.2.3, as recipes write them.
  const parsed = m ? semver.parse(m[1]!, { loose: true }) : null;
  if (m && parsed) {
    const version: RecipeVersion = { raw, scheme: 'semver', recipe: parsed.version, major: parsed.major, minor: parsed.minor, patch: parsed.patch };
    if (m[2] !== undefined) version.upstream = m[2];
    return { ok: true, version };
  }
  const legacy = LEGACY_SCHEME.exec(raw);
  if (legacy) return { ok: true, version: { raw, scheme: 'legacy', upstream: legacy[1]!, n: Number(legacy[2]) } };
  return {
    ok: false,
    raw,
    reason: `"${raw}" is neither <recipe semver>+<image tag> (e.g. 1.0.0+2.3.4) nor the 2021 form <image tag>_<n>`,
  };
}

export function isRecipeVersion(raw: string): boolean {
  return parseRecipeVersion(raw).ok;
}

/**
 * Orders recipe versions oldest first: the 2021 scheme before semver ones;
 * semver by the recipe part, then the upstream part; legacy by the upstream
 * tag, then `n`. Unparseable versions sort before all, by text.
 */
export function compareRecipeVersions(a: string, b: string): number {
  const pa = parseRecipeVersion(a);
  const pb = parseRecipeVersion(b);
  if (!pa.ok || !pb.ok) {
    if (pa.ok !== pb.ok) return pa.ok ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const va = pa.version;
  const vb = pb.version;
  if (va.scheme !== vb.scheme) return va.scheme === 'legacy' ? -1 : 1;
  if (va.scheme === 'semver' && vb.scheme === 'semver') {
    const c = semver.compare(va.recipe, vb.recipe);
    if (c !== 0) return c;
    return compareTags(va.upstream ?? '', vb.upstream ?? '');
  }
  if (va.scheme === 'legacy' && vb.scheme === 'legacy') {
    const c = compareTags(va.upstream, vb.upstream);
    if (c !== 0) return c;
    return va.n - vb.n;
  }
  return 0;
}

/** Sorts release tags oldest first, leaving out tags that are no recipe version. */
export function sortRecipeVersions(tags: Iterable<string>): string[] {
  return [...tags].filter(isRecipeVersion).sort(compareRecipeVersions);
}

/** The newest release among tags, if any. */
export function latestRecipeVersion(tags: Iterable<string>): string | undefined {
  const sorted = sortRecipeVersions(tags);
  return sorted[sorted.length - 1];
}

export type RecipeBump = 'major' | 'minor' | 'patch';

/**
 * The release after `previous` (a recipe version, or none yet): its recipe
 * part bumped by semver rules, `+<upstream>` from the main app image's tag.
 * A first release, or one after the 2021 scheme, starts from 0.0.0
 * (`minor` → 0.1.0).
 */
export function nextRecipeVersion(previous: string | undefined, bump: RecipeBump, upstream?: string): string {
  const parsed = previous === undefined ? undefined : parseRecipeVersion(previous);
  const base = parsed?.ok && parsed.version.scheme === 'semver' ? parsed.version.recipe : '0.0.0';
  const recipe = semver.inc(base, bump)!;
  return upstream ? `${recipe}+${upstream}` : recipe;
}
