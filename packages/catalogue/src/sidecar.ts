import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@galley/platform/fs';

/**
 * Catalogue-wide facts live in a file beside the catalogue
 * (`recipes.json` → `recipes.galley.json`), never in it: abra reads every
 * top-level key of recipes.json as a recipe. The site reads it for "when
 * was this catalogue made" and "when was upstream last checked".
 */
export interface CatalogueSidecar {
  /** ISO 8601 time of the run that wrote the catalogue (SOURCE_DATE_EPOCH when set). */
  generatedAt: string;
  /** ISO 8601 time of the last run that asked the registries (offline runs keep the previous one). */
  upstreamCheckedAt?: string;
  /** The folder of mirrored icons and README images, relative to the catalogue's folder. */
  media?: string;
  [key: string]: unknown;
}

/** `recipes.json` → `recipes.galley.json` (the same folder). */
export function sidecarPath(catalogueFile: string): string {
  return `${catalogueFile.replace(/\.json$/i, '')}.galley.json`;
}

/** The sidecar of a catalogue file, or undefined when there is none (or it is not one). */
export async function readSidecar(catalogueFile: string): Promise<CatalogueSidecar | undefined> {
  try {
    const data = JSON.parse(await readFile(sidecarPath(catalogueFile), 'utf8')) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
    const sidecar = data as CatalogueSidecar;
    return typeof sidecar.generatedAt === 'string' ? sidecar : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the sidecar atomically, keeping fields other runs (or tools) added. */
export async function writeSidecar(catalogueFile: string, facts: CatalogueSidecar): Promise<void> {
  const previous = await readSidecar(catalogueFile);
  const next: CatalogueSidecar = { ...previous, ...facts };
  if (facts.upstreamCheckedAt === undefined && previous?.upstreamCheckedAt) next.upstreamCheckedAt = previous.upstreamCheckedAt;
  else if (facts.upstreamCheckedAt === undefined) delete next.upstreamCheckedAt;
  if (facts.media === undefined) delete next.media;
  await writeFileAtomic(sidecarPath(catalogueFile), `${JSON.stringify(next, null, 2)}\n`);
}
