import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@galley/platform/fs';
import type { CatalogueSidecar as Sidecar } from './generated/sidecar-schema.js';

/**
 * Catalogue-wide facts live in a file beside the catalogue
 * (`recipes.json` → `recipes.galley.json`), never in it: abra reads every
 * top-level key of recipes.json as a recipe. Sites read it for "when was
 * this catalogue made", "when was upstream last checked", where the copies
 * of images are, and "what changed in the last run".
 * `schemas/catalogue-sidecar.schema.json` defines it (the type is generated
 * from it). `galley catalogue generate` writes it with the catalogue, in one
 * atomic step; `writeSidecar` is for other tools.
 */
export type CatalogueSidecar = Sidecar;

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

/**
 * The next sidecar: these facts over the previous sidecar's (fields other
 * tools wrote are kept); without `upstreamCheckedAt` (an offline run) the
 * previous one stays; without `media` (no copies made) there is none.
 */
export function nextSidecar(previous: CatalogueSidecar | undefined, facts: CatalogueSidecar): CatalogueSidecar {
  const next: CatalogueSidecar = { ...previous, ...facts };
  if (facts.upstreamCheckedAt === undefined) {
    if (previous?.upstreamCheckedAt !== undefined) next.upstreamCheckedAt = previous.upstreamCheckedAt;
    else delete next.upstreamCheckedAt;
  }
  if (facts.media === undefined) delete next.media;
  return next;
}

export function sidecarText(sidecar: CatalogueSidecar): string {
  return `${JSON.stringify(sidecar, null, 2)}\n`;
}

/** Writes the sidecar atomically: these facts over the previous sidecar's (see nextSidecar). */
export async function writeSidecar(catalogueFile: string, facts: CatalogueSidecar): Promise<void> {
  await writeFileAtomic(sidecarPath(catalogueFile), sidecarText(nextSidecar(await readSidecar(catalogueFile), facts)));
}
