/**
 * Image tags as upgrade candidates, with the semantics Renovate and abra's
 * tagcmp share (see reference/catalogue.md):
 *
 * - `[v]N[.N[.N[.N]]][letters-glued prerelease][-suffix]`;
 * - `-rc1`, `-beta`, … right after the numbers are prereleases, the rest of
 *   the text after the first `-` is the variant suffix (`alpine`, `fpm`, …);
 * - dates (`20191109`, `2019-11-09`) and long build numbers are formats of
 *   their own; dotted calendar versions (`2024.10.1`) are versions;
 * - `latest` and other words, commit hashes, `${VAR}` tags are never
 *   candidates: parsing them gives a reason instead.
 */

export type TagFormat = 'semver' | 'date' | 'build';

export interface ParsedTag {
  raw: string;
  format: TagFormat;
  /** `v` when the tag is written `v1.2.3`. */
  prefix: '' | 'v';
  /** The numeric components: `1.2.3` → [1, 2, 3]. */
  numbers: number[];
  /** `rc1` in `1.2.3-rc1` or `b2` in `3.8.0b2`; absent for releases. */
  prerelease?: string;
  /** The variant after the first `-` (without the prerelease): `alpine`, `social-amd64`. */
  suffix: string;
}

export type TagParseResult = { ok: true; tag: ParsedTag } | { ok: false; raw: string; reason: string };

export type UpgradeKind = 'major' | 'minor' | 'patch';

/** Words that name a moving target also when a variant follows them (`latest-alpine`, `stable_fpm`, `lts-slim`). */
const FLOATING_WORDS = new Set([
  'latest',
  'stable',
  'edge',
  'main',
  'master',
  'develop',
  'dev',
  'nightly',
  'mainline',
  'lts',
  'rolling',
  'testing',
  'unstable',
  'canary',
]);
/** Tags that move without a version: the words above, and these alone (`release-1.2` and `beta-3` are versions). */
const FLOATING = new Set([...FLOATING_WORDS, 'current', 'release', 'beta', 'alpha', 'next', 'preview']);
const PRERELEASE = /^(?:rc|beta|alpha|a|b|pre|preview|dev|m|snapshot|next|canary|nightly)\.?\d*(?:\.\d+)*$/i;
const SEMVER_LIKE = /^(v?)(\d+(?:\.\d+){0,3})([a-zA-Z][a-zA-Z0-9.]*)?(?:-(.+))?$/;
const DATE = /^(v?)((?:19|20)\d{2})[-.]?(0[1-9]|1[0-2])[-.]?(0[1-9]|[12]\d|3[01])(?:-(.+))?$/;
const HASH = /^(?:sha-|git-|g)?[0-9a-f]{7,40}$/;
const BUILD = /^(v?)(\d{7,})(?:-(.+))?$/;

export function parseTag(raw: string): TagParseResult {
  const fail = (reason: string): TagParseResult => ({ ok: false, raw, reason });
  if (!raw) return fail('the tag is empty');
  if (raw.includes('$')) return fail('the tag is a variable, not a version');
  if (raw.startsWith('sha256:')) return fail('a digest is not a tag');
  if (FLOATING.has(raw.toLowerCase())) return fail(`"${raw}" is a floating tag that moves without a version`);
  if (HASH.test(raw) && /[a-f]/.test(raw)) return fail('a commit hash has no order');

  const date = DATE.exec(raw);
  // Dates: 20191109 and 2019-11-09. Dotted calendar versions (2024.10.1, 2023.12.10)
  // are versions: they compare number by number like any other.
  if (date && /^(v?)\d{8}(?:-|$)|^(v?)\d{4}-\d{2}-\d{2}(?:-|$)/.test(raw)) {
    const suffix = splitPrerelease(date[5] ?? '');
    const tag: ParsedTag = {
      raw,
      format: 'date',
      prefix: date[1] === 'v' ? 'v' : '',
      numbers: [Number(`${date[2]}${date[3]}${date[4]}`)],
      suffix: suffix.suffix,
    };
    if (suffix.prerelease) tag.prerelease = suffix.prerelease;
    return { ok: true, tag };
  }

  const build = BUILD.exec(raw);
  if (build) {
    const suffix = splitPrerelease(build[3] ?? '');
    const tag: ParsedTag = {
      raw,
      format: 'build',
      prefix: build[1] === 'v' ? 'v' : '',
      numbers: [Number(build[2])],
      suffix: suffix.suffix,
    };
    if (suffix.prerelease) tag.prerelease = suffix.prerelease;
    return { ok: true, tag };
  }

  const m = SEMVER_LIKE.exec(raw);
  if (!m) {
    if (/^[a-z]/i.test(raw) && !/^v\d/.test(raw)) return fail(`"${raw}" does not start with a version number`);
    if (/\d+(\.\d+){4,}/.test(raw)) return fail('more than four numeric components');
    return fail(`"${raw}" is not a version the upgrade rules understand`);
  }
  const numbers = m[2]!.split('.').map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) return fail('a version number is too large');
  const glued = m[3];
  const split = splitPrerelease(m[4] ?? '');
  const tag: ParsedTag = { raw, format: 'semver', prefix: m[1] === 'v' ? 'v' : '', numbers, suffix: split.suffix };
  if (glued) {
    if (!/^[a-zA-Z]+\.?\d*$/.test(glued)) return fail(`"${glued}" glued to the version is not a prerelease marker`);
    tag.prerelease = glued;
  } else if (split.prerelease) {
    tag.prerelease = split.prerelease;
  }
  return { ok: true, tag };
}

/** `rc1-alpine` → prerelease `rc1`, suffix `alpine`; `alpine` → suffix only. */
function splitPrerelease(text: string): { prerelease?: string; suffix: string } {
  if (!text) return { suffix: '' };
  const dash = text.indexOf('-');
  const first = dash === -1 ? text : text.slice(0, dash);
  if (PRERELEASE.test(first)) return { prerelease: first, suffix: dash === -1 ? '' : text.slice(dash + 1) };
  return { suffix: text };
}

/** Natural order of prerelease labels: `alpha` < `beta` < `rc`, `rc2` < `rc10`. */
function comparePrerelease(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1; // a release is newer than any prerelease
  if (b === undefined) return -1;
  const parts = (s: string) => s.toLowerCase().match(/\d+|[a-z]+/g) ?? [];
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      if (Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/**
 * Orders two parsed tags: by numbers (missing components count as 0), then
 * release above prerelease. Negative when `a` is older. Only meaningful for
 * tags of the same format.
 */
export function compareParsedTags(a: ParsedTag, b: ParsedTag): number {
  const n = Math.max(a.numbers.length, b.numbers.length);
  for (let i = 0; i < n; i++) {
    const x = a.numbers[i] ?? 0;
    const y = b.numbers[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return comparePrerelease(a.prerelease, b.prerelease);
}

/**
 * Orders tag strings: parseable tags by version (formats apart: build < date
 * < semver), unparseable ones after them, alphabetically; ties by text.
 */
export function compareTags(a: string, b: string): number {
  const pa = parseTag(a);
  const pb = parseTag(b);
  if (pa.ok && pb.ok) {
    if (pa.tag.format !== pb.tag.format) return FORMAT_ORDER[pa.tag.format] - FORMAT_ORDER[pb.tag.format];
    const c = compareParsedTags(pa.tag, pb.tag);
    if (c !== 0) return c;
  } else if (pa.ok !== pb.ok) {
    return pa.ok ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const FORMAT_ORDER: Record<TagFormat, number> = { build: 0, date: 1, semver: 2 };

/**
 * Whether `candidate` is an upgrade path for `current`: same format, same
 * `v` style, same number of components, same suffix, and a prerelease only
 * when the current tag is one.
 */
export function isCompatible(current: ParsedTag, candidate: ParsedTag): boolean {
  return (
    current.format === candidate.format &&
    current.prefix === candidate.prefix &&
    current.numbers.length === candidate.numbers.length &&
    current.suffix === candidate.suffix &&
    (candidate.prerelease === undefined || current.prerelease !== undefined)
  );
}

/** Major, minor or patch by the first differing component; undefined if not newer. */
export function classifyUpgrade(current: ParsedTag, candidate: ParsedTag): UpgradeKind | undefined {
  if (compareParsedTags(current, candidate) >= 0) return undefined;
  for (let i = 0; i < Math.max(current.numbers.length, candidate.numbers.length); i++) {
    if ((current.numbers[i] ?? 0) !== (candidate.numbers[i] ?? 0)) return i === 0 ? 'major' : i === 1 ? 'minor' : 'patch';
  }
  return 'patch'; // same numbers, prerelease → release or a later prerelease
}

const variantShape = (suffix: string): string => suffix.replace(/\d+/g, '#');
const variantNumbers = (suffix: string): number[] => (suffix.match(/\d+/g) ?? []).map(Number);

/** Whether `candidate` is the same kind of tag as `current` on another variant line (a suffix of the same shape, other numbers). */
function isOtherVariant(current: ParsedTag, candidate: ParsedTag): boolean {
  return (
    current.format === candidate.format &&
    current.prefix === candidate.prefix &&
    current.numbers.length === candidate.numbers.length &&
    current.suffix !== candidate.suffix &&
    /\d/.test(current.suffix) &&
    variantShape(current.suffix) === variantShape(candidate.suffix) &&
    (candidate.prerelease === undefined || current.prerelease !== undefined)
  );
}

/** Orders tags of one variant shape: by version, then by the variant's numbers. */
function compareVariants(a: ParsedTag, b: ParsedTag): number {
  const byVersion = compareParsedTags(a, b);
  if (byVersion !== 0) return byVersion;
  const x = variantNumbers(a.suffix);
  const y = variantNumbers(b.suffix);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  }
  return 0;
}

export interface UpgradeCandidates {
  current: string;
  /** Why the current tag has no upgrade path, when it cannot be parsed. */
  currentUnparseable?: string;
  patch?: string;
  minor?: string;
  major?: string;
  /**
   * The newest tag of another variant line (`8.0-fpm-alpine3.19` for
   * `8.0-fpm-alpine3.13`, `17-3.6` for `16-3.4`): same format, `v` style and
   * number of components, a suffix of the same shape with other numbers, newer
   * by the version then the suffix's numbers. Absent when it is one of the
   * compatible candidates above.
   */
  variant?: string;
  /** Candidates that could not be parsed, with the reason. */
  unparseable: { tag: string; reason: string }[];
}

/**
 * The best patch, minor and major upgrade for `current` among `candidates`
 * (each the highest compatible tag of its kind).
 */
export function findUpgrades(current: string, candidates: Iterable<string>): UpgradeCandidates {
  const out: UpgradeCandidates = { current, unparseable: [] };
  const parsedCurrent = parseTag(current);
  const best: Partial<Record<UpgradeKind, ParsedTag>> = {};
  let variant: ParsedTag | undefined;
  for (const raw of candidates) {
    const parsed = parseTag(raw);
    if (!parsed.ok) {
      out.unparseable.push({ tag: raw, reason: parsed.reason });
      continue;
    }
    if (parsedCurrent.ok && isOtherVariant(parsedCurrent.tag, parsed.tag) && compareVariants(parsedCurrent.tag, parsed.tag) < 0) {
      if (!variant || compareVariants(variant, parsed.tag) < 0) variant = parsed.tag;
    }
    if (!parsedCurrent.ok || !isCompatible(parsedCurrent.tag, parsed.tag)) continue;
    const kind = classifyUpgrade(parsedCurrent.tag, parsed.tag);
    if (!kind) continue;
    const known = best[kind];
    if (!known || compareParsedTags(known, parsed.tag) < 0) best[kind] = parsed.tag;
  }
  if (!parsedCurrent.ok) out.currentUnparseable = parsedCurrent.reason;
  for (const kind of ['patch', 'minor', 'major'] as const) {
    const tag = best[kind];
    if (tag) out[kind] = tag.raw;
  }
  if (variant && ![out.patch, out.minor, out.major].includes(variant.raw)) out.variant = variant.raw;
  out.unparseable.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return out;
}

/** Whether a tag floats: a floating word alone (`latest`, `beta`), or a floating word with a variant (`latest-alpine`, `stable_fpm`). */
export function isFloatingTag(tag: string): boolean {
  const lower = tag.toLowerCase();
  return FLOATING.has(lower) || FLOATING_WORDS.has(lower.split(/[-_.]/)[0] ?? '');
}
