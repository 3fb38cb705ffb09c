import { GitRepository, type GitTag, readHead } from '@galley/platform/git';
import {
  everyComposeFile,
  GitTreeSource,
  type ImageRef,
  type Recipe,
  readRecipe,
  resolveStack,
  serviceImage,
  services,
  sortRecipeVersions,
} from '@galley/recipe';
import { featuresFromMetadata } from './features.js';
import { lintSummary, type recommendedSettings } from './lint-summary.js';
import type { MediaStore } from './media.js';
import { type ScannedExtras, scanExtras } from './scan-extras.js';
import type { Features, LintSummary } from './types.js';

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

export async function scanRepository(gitDir: string, options: ScanOptions): Promise<RepoScan> {
  const repo = new GitRepository(gitDir);
  try {
    const tags = await repo.tags();
    const byName = new Map(tags.map((t) => [t.name, t]));
    const versions = sortRecipeVersions(byName.keys());
    const versionSet = new Set(versions);
    const otherTags = [...byName.keys()].filter((t) => !versionSet.has(t)).sort();

    let defaultBranch = options.defaultBranch;
    defaultBranch ??= (await readHead(gitDir)).branch ?? 'main';
    const headCommit = await repo.resolveCommit(`refs/heads/${defaultBranch}`).catch(() => repo.resolveCommit('HEAD').catch(() => undefined));

    const scan: RepoScan = {
      name: options.name,
      defaultBranch,
      isRecipe: false,
      category: '',
      features: featuresFromMetadata(undefined),
      readmeDescription: '',
      versions: [],
      otherTags,
    };
    if (headCommit) {
      const head = await recipeAt(repo, options.name, headCommit, defaultBranch, tags);
      scan.isRecipe = head.files.includes('compose.yml');
      scan.category = head.readme?.metadata?.category ?? '';
      scan.features = featuresFromMetadata(head.readme?.metadata);
      scan.readmeDescription = head.readme?.description ?? '';
      if (scan.isRecipe) scan.extras = await scanExtras(repo, headCommit, head, tags, options.media, options.forgeUser);
    }
    if (!scan.isRecipe) return scan;

    const reusable = new Map((options.previous?.versions ?? []).map((v) => [`${v.version}\0${v.commit}`, v]));
    // Recipes read here share `repo` (one cat-file process): closed once, below.
    let latestRecipe: Recipe | undefined;
    const latest = versions[versions.length - 1];
    for (const version of versions) {
      const tag = byName.get(version)!;
      const known = reusable.get(`${version}\0${tag.commit}`);
      if (known && known.date === tag.date && known.annotated === tag.annotated) {
        scan.versions.push(known);
        continue;
      }
      const recipe = await recipeAt(repo, options.name, tag.commit, version, tags);
      const scanned: ScannedVersion = { version, commit: tag.commit, date: tag.date, annotated: tag.annotated, services: servicesOf(recipe) };
      const notesFile = recipe.releaseNotes.get(version);
      if (notesFile) {
        const notes = (await recipe.source.read(notesFile))?.trim();
        if (notes) scanned.notes = notes;
      }
      scan.versions.push(scanned);
      options.onTagRead?.();
      if (version === latest) latestRecipe = recipe;
    }
    if (latest) {
      const latestScan = scan.versions[scan.versions.length - 1]!;
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
