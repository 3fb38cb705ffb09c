import path from 'node:path';
import type { GitRepository, GitTag } from '@galley/platform/git';
import type { HttpClient } from '@galley/platform/http';
import type { Recipe } from '@galley/recipe';
import { MAX_MEDIA_BYTES, type MediaStore } from './media.js';
import { type RecipeExtras, readRecipeExtras } from './recipe-extras.js';
import type { GalleyRecipeInfo, MediaFile, RecipeMedia } from './types.js';

/**
 * The recipe extras as a scan keeps them (in the scan state, so an
 * unchanged repository is not read again): images that live in the
 * repository are already copied into the media cache; https ones are
 * fetched when the catalogue entry is made (online runs only).
 */
export interface ScannedExtras extends Omit<RecipeExtras, 'images' | 'iconFile'> {
  images: { src: string; alt: string; media?: MediaFile }[];
  icon?: { src: string; media: MediaFile };
}

/** A README image path inside the repository (`logo.png`, `./docs/a.png`, `/a.png`), or undefined for URLs and paths that leave it. */
function repoPath(src: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//') || src.startsWith('#')) return undefined;
  let clean = src.replace(/[?#].*$/, '');
  try {
    clean = decodeURIComponent(clean);
  } catch {
    return undefined;
  }
  const normal = path.posix.normalize(clean.replace(/^\/+/, ''));
  return normal.startsWith('..') || normal === '.' ? undefined : normal;
}

export async function scanExtras(
  repo: GitRepository,
  commit: string,
  recipe: Recipe,
  tags: readonly GitTag[],
  media: MediaStore | undefined,
  forgeUser?: (user: string) => string | undefined,
): Promise<ScannedExtras> {
  const extras = await readRecipeExtras({ recipe, tags, ...(forgeUser ? { forgeUser } : {}) });
  const { images, iconFile, ...rest } = extras;
  const out: ScannedExtras = { ...rest, images: [] };
  let tree: Map<string, { oid: string; size: number }> | undefined;
  const local = async (file: string): Promise<MediaFile | undefined> => {
    if (!media) return undefined;
    tree ??= new Map((await repo.tree(commit)).map((e) => [e.path, e]));
    const entry = tree.get(file);
    if (!entry || entry.size > MAX_MEDIA_BYTES) return undefined;
    const stored = await media.put(await repo.readBlobBytes(entry.oid));
    return 'reason' in stored ? undefined : stored;
  };
  for (const image of images) {
    const file = repoPath(image.src);
    const stored = file ? await local(file) : undefined;
    out.images.push(stored ? { ...image, media: stored } : image);
  }
  if (iconFile) {
    const stored = await local(iconFile);
    if (stored) out.icon = { src: iconFile, media: stored };
  }
  return out;
}

export interface ExtrasOptions {
  media?: MediaStore;
  /** Fetches https images; absent offline. */
  http?: HttpClient;
  refresh: boolean;
  now: number;
  /** The forge's icon URL of the repository (`icon` in the catalogue). */
  forgeIcon?: string;
  /** The forge says the repository is archived. */
  archived: boolean;
}

/** The `galley` fields a catalogue entry gets from the scanned extras (fetching https images when online). */
export async function galleyExtras(extras: ScannedExtras | undefined, options: ExtrasOptions): Promise<Partial<GalleyRecipeInfo>> {
  const out: Partial<GalleyRecipeInfo> = {};
  if (options.archived) out.deprecated = { reason: 'The repository is archived on its forge.', from: 'forge' };
  if (!extras) return out;
  if (extras.licence) out.licence = extras.licence;
  if (extras.maintainers.length) out.maintainers = extras.maintainers;
  if (extras.deprecated && !out.deprecated) out.deprecated = extras.deprecated;
  if (extras.demo) out.demo = extras.demo;
  const media = options.media;
  if (!media) return out;
  const remote = (src: string) => media.remoteImage(src, options.http, { refresh: options.refresh, now: options.now });
  const recipeMedia: RecipeMedia = { images: [] };
  for (const image of extras.images) {
    const file = image.media ? media.relocate(image.media) : /^https:\/\//i.test(image.src) ? await remote(image.src) : undefined;
    if (file) recipeMedia.images.push({ ...file, src: image.src, alt: image.alt });
  }
  if (options.forgeIcon && /^https:\/\//i.test(options.forgeIcon)) {
    const file = await remote(options.forgeIcon);
    if (file) recipeMedia.icon = { ...file, src: options.forgeIcon };
  }
  if (!recipeMedia.icon && extras.icon) recipeMedia.icon = { ...media.relocate(extras.icon.media), src: extras.icon.src };
  if (recipeMedia.icon || recipeMedia.images.length) out.media = recipeMedia;
  return out;
}
