import { isGalleyError } from '@galley/platform';
import { GitRepository, type GitTag, readHead, type SharedObjects } from '@galley/platform/git';
import {
  diffSnapshots,
  everyComposeFile,
  GitTreeSource,
  type ImageRef,
  parseRecipeVersion,
  type Recipe,
  type RecipeSnapshot,
  readRecipe,
  resolveStack,
  serviceImage,
  services,
  snapshotRecipe,
  sortRecipeVersions,
  summarizeDiff,
  type UpgradeSummary,
} from '@galley/recipe';
import { emptyFeatures, featuresFromReadme } from './abra.js';
import { lintSummary, type recommendedSettings } from './lint-summary.js';
import type { MediaStore } from './media.js';
import { type ScannedExtras, scanExtras } from './scan-extras.js';
import type { Features, InvalidRelease, LintSummary } from './types.js';

/**
 * Reads one recipe repository (a bare mirror) without checking anything out:
 * every release tag, the compose files at each (all of them merged, as abra
 * reads them), the images each service pins, the tag dates, release notes,
 * the README metadata of the default branch and a lint summary of the latest
 * release. Versions already read at the same commit are reused.
 */

export interface ScannedService {
  /** The image as the recipe writes it, without tag and digest (`nginx`, `ghcr.io/x/y`). */
  image: string;
  tag: string;
  /** A digest the recipe pins (`image:tag@sha256:…`). */
  pinned?: string;
  /** Registry host and repository path, when the image reference parses. */
  registry?: string;
  repository?: string;
  /** Why the image cannot be looked up (e.g. an unset variable). */
  error?: string;
}

export interface ScannedVersion {
  version: string;
  commit: string;
  date: string;
  annotated: boolean;
  notes?: string;
  services: Record<string, ScannedService>;
  /** What upgrading from the previous release asks (the recipe diff's summary); absent for the first release. */
  upgrade?: UpgradeSummary;
}

export interface RepoScan {
  name: string;
  defaultBranch: string;
  /** False when the default branch has no compose.yml. */
  isRecipe: boolean;
  category: string;
  features: Features;
  /** The README's first paragraph (for recipes whose forge has no description). */
  readmeDescription: string;
  /** Oldest first. */
  versions: ScannedVersion[];
  /** Tags that are no recipe version. */
  otherTags: string[];
  /** Tags that are not published: no recipe version, or a release whose compose files do not parse or name no image. */
  invalid: InvalidRelease[];
  lint?: LintSummary;
  lintKey?: string;
  /** Licence, maintainers, deprecation, demo link, icon and README images (see scan-extras.ts). */
  extras?: ScannedExtras;
}

export interface ScanOptions {
  name: string;
  /** From the forge; default: the mirror's HEAD. */
  defaultBranch?: string;
  previous?: RepoScan;
  lintSettings: ReturnType<typeof recommendedSettings>;
  lintKey: string;
  /** Called after each release tag read. */
  onTagRead?: () => void;
  /** Where images found in the repository are copied (absent: none are). */
  media?: MediaStore;
  /** The web page of a forge user (for `@user` maintainers). */
  forgeUser?: (user: string) => string | undefined;
  /** Read objects through this reader over many mirrors (it must cover this one) instead of one of its own. */
  shared?: SharedObjects;
}

/** Why a release cannot be published (its compose files), or undefined when it can. */
function releaseProblem(recipe: Recipe, found: Record<string, ScannedService>): Omit<InvalidRelease, 'tag' | 'commit'> | undefined {
  if (recipe.composeFiles.size === 0) return { reason: 'the release has no compose.yml' };
  for (const [file, parsed] of [...recipe.composeFiles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const error = parsed.diagnostics.find((d) => d.severity === 'error');
    if (error) {
      const span = error.span;
      return { reason: `${file} does not parse: ${error.message}`, ...(span ? { location: `${span.file}:${span.line}:${span.col}` } : {}) };
    }
  }
  if (Object.keys(found).length === 0) return { reason: 'no service of the release names an image' };
  return undefined;
}

/** `docker.io/library/nginx` → `nginx`; keeps other registries (`ghcr.io/x/y`). */
export function familiarName(ref: ImageRef): string {
  let text = ref.familiar;
  if (ref.digest !== undefined) text = text.slice(0, -(ref.digest.length + 1));
  if (ref.tag !== undefined) text = text.slice(0, -(ref.tag.length + 1));
  return text;
}

/** The services of a recipe (every compose file merged) and the image each uses. */
export function servicesOf(recipe: Recipe): Record<string, ScannedService> {
  const out: Record<string, ScannedService> = {};
  if (recipe.composeFiles.size === 0) return out;
  const stack = resolveStack(recipe, { composeFiles: everyComposeFile(recipe) });
  for (const service of services(stack.root)) {
    const image = serviceImage(service);
    if (!image) continue;
    if (image.parsed.ok) {
      const ref = image.parsed.ref;
      const scanned: ScannedService = { image: familiarName(ref), tag: ref.tag ?? '', registry: ref.registry, repository: ref.repository };
      if (ref.digest !== undefined) scanned.pinned = ref.digest;
      out[service.name] = scanned;
    } else {
      const value = image.value;
      const colon = value.lastIndexOf(':');
      const slash = value.lastIndexOf('/');
      out[service.name] = {
        image: colon > slash ? value.slice(0, colon) : value,
        tag: colon > slash ? value.slice(colon + 1) : '',
        error: image.parsed.reason,
      };
    }
  }
  return out;
}

async function recipeAt(repo: GitRepository, name: string, commit: string, ref: string, tags: GitTag[]): Promise<Recipe> {
  return readRecipe(new GitTreeSource(repo, commit, `${name}#${ref}`), name, { repository: repo, ref, commit, tags });
}

/**
 * Each release but the first gets the summary of the recipe diff from the
 * release before it (what the site shows as "upgrading from …"). A summary
 * the last run made is kept when both releases are at the same commits;
 * otherwise the two are compared, snapshots of releases not read in this
 * run being read for it.
 */
async function withUpgradeSummaries(
  versions: readonly ScannedVersion[],
  previous: RepoScan | undefined,
  snapshots: Map<string, RecipeSnapshot>,
  snapshotOf: (version: ScannedVersion) => Promise<RecipeSnapshot>,
): Promise<ScannedVersion[]> {
  const before = new Map((previous?.versions ?? []).map((v) => [v.version, v.commit]));
  const snapshot = async (v: ScannedVersion) => {
    let known = snapshots.get(v.version);
    if (!known) {
      known = await snapshotOf(v);
      snapshots.set(v.version, known);
    }
    return known;
  };
  const out: ScannedVersion[] = [];
  for (const [i, version] of versions.entries()) {
    const { upgrade, ...rest } = version;
    const from = versions[i - 1];
    if (!from) {
      out.push(rest);
      continue;
    }
    const kept = upgrade?.from === from.version && before.get(version.version) === version.commit && before.get(from.version) === from.commit;
    if (kept) {
      out.push(version);
      continue;
    }
    const [a, b] = [await snapshot(from), await snapshot(version)];
    // A release whose files cannot be read is published without a summary rather than with a wrong one.
    out.push(a.problems.length || b.problems.length ? rest : { ...rest, upgrade: summarizeDiff(diffSnapshots(a, b), from.version) });
  }
  return out;
}

/** Releases of one repository read at once. */
const RELEASES_AT_ONCE = 8;

export async function scanRepository(gitDir: string, options: ScanOptions): Promise<RepoScan> {
  const repo = new GitRepository(gitDir, options.shared);
  try {
    const tags = await repo.tags();
    const byName = new Map(tags.map((t) => [t.name, t]));
    const versions = sortRecipeVersions(byName.keys());
    const versionSet = new Set(versions);
    const otherTags = [...byName.keys()].filter((t) => !versionSet.has(t)).sort();

    let defaultBranch = options.defaultBranch;
    defaultBranch ??= (await readHead(gitDir)).branch ?? 'main';
    // Only "no such branch" means no recipe: a reader that died (a killed git) fails the scan.
    const orNothing = async (ref: string): Promise<string | undefined> => {
      try {
        return await repo.resolveCommit(ref);
      } catch (error) {
        if (isGalleyError(error, 'git-unknown-ref')) return undefined;
        throw error;
      }
    };
    const headCommit = (await orNothing(`refs/heads/${defaultBranch}`)) ?? (await orNothing('HEAD'));

    const scan: RepoScan = {
      name: options.name,
      defaultBranch,
      isRecipe: false,
      category: '',
      features: emptyFeatures(),
      readmeDescription: '',
      versions: [],
      otherTags,
      invalid: [],
    };
    if (headCommit) {
      const head = await recipeAt(repo, options.name, headCommit, defaultBranch, tags);
      scan.isRecipe = head.files.includes('compose.yml');
      const { features, category } = featuresFromReadme(head.readme?.text);
      scan.category = category;
      scan.features = features;
      scan.readmeDescription = head.readme?.description ?? '';
      if (scan.isRecipe) scan.extras = await scanExtras(repo, headCommit, head, tags, options.media, options.forgeUser);
    }
    if (!scan.isRecipe) return scan;

    for (const tag of otherTags) {
      const parsed = parseRecipeVersion(tag);
      if (!parsed.ok) scan.invalid.push({ tag, reason: parsed.reason, commit: byName.get(tag)!.commit });
    }
    const reusable = new Map((options.previous?.versions ?? []).map((v) => [`${v.version}\0${v.commit}`, v]));
    const reusableInvalid = new Map((options.previous?.invalid ?? []).map((i) => [`${i.tag}\0${i.commit ?? ''}`, i]));
    // Recipes read here share `repo` (one cat-file process): closed once, below. Releases are read a few
    // at a time, so their object requests travel to cat-file in shared batches.
    type Read = { version: string; scanned?: ScannedVersion; invalid?: InvalidRelease; recipe?: Recipe };
    // Snapshots of the releases read in this run, for the upgrade summaries between consecutive ones.
    const snapshots = new Map<string, RecipeSnapshot>();
    const readRelease = async (version: string): Promise<Read> => {
      const tag = byName.get(version)!;
      const known = reusable.get(`${version}\0${tag.commit}`);
      if (known && known.date === tag.date && known.annotated === tag.annotated) return { version, scanned: known };
      const knownInvalid = reusableInvalid.get(`${version}\0${tag.commit}`);
      if (knownInvalid) return { version, invalid: knownInvalid };
      const recipe = await recipeAt(repo, options.name, tag.commit, version, tags);
      const found = servicesOf(recipe);
      options.onTagRead?.();
      const problem = releaseProblem(recipe, found);
      if (problem) return { version, invalid: { tag: version, ...problem, commit: tag.commit } };
      const scanned: ScannedVersion = { version, commit: tag.commit, date: tag.date, annotated: tag.annotated, services: found };
      const notesFile = recipe.releaseNotes.get(version);
      if (notesFile) {
        const notes = (await recipe.source.read(notesFile))?.trim();
        if (notes) scanned.notes = notes;
      }
      snapshots.set(version, await snapshotRecipe(recipe));
      return { version, scanned, recipe };
    };
    let lastRead: { version: string; recipe: Recipe } | undefined;
    for (let i = 0; i < versions.length; i += RELEASES_AT_ONCE) {
      for (const read of await Promise.all(versions.slice(i, i + RELEASES_AT_ONCE).map(readRelease))) {
        if (read.invalid) scan.invalid.push(read.invalid);
        if (read.scanned) scan.versions.push(read.scanned);
        if (read.recipe) lastRead = { version: read.version, recipe: read.recipe };
      }
    }
    scan.invalid.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
    scan.versions = await withUpgradeSummaries(scan.versions, options.previous, snapshots, (v) =>
      recipeAt(repo, options.name, v.commit, v.version, tags).then(snapshotRecipe),
    );
    const latestScan = scan.versions[scan.versions.length - 1];
    if (latestScan) {
      const latest = latestScan.version;
      let latestRecipe = lastRead?.version === latest ? lastRead.recipe : undefined;
      const key = `${options.lintKey}\0${latestScan.commit}`;
      if (options.previous?.lint && options.previous.lintKey === key && options.previous.lint.version === latest) {
        scan.lint = options.previous.lint;
      } else {
        latestRecipe ??= await recipeAt(repo, options.name, latestScan.commit, latest, tags);
        scan.lint = await lintSummary(latestRecipe, latest, options.lintSettings);
      }
      scan.lintKey = key;
    }
    return scan;
  } finally {
    repo.close();
  }
}
