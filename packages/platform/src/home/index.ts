import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where galley's own files are at run time: `schemas/`, `site-templates/`
 * and `docs/`. They have one layout wherever galley runs: at the root of
 * the repository (the sources under jest, `packages/<name>/dist`) and at
 * the root of the package (`dist/galley/` after `npm run build`, and the
 * installed `galley`), with the code below that root (`src/`, `dist/`,
 * `lib/`). So the root is the nearest ancestor of this module that holds
 * the markers below; an installed package never looks past its own root,
 * because its own copies are there.
 */
const MARKERS = [path.join('schemas', 'catalogue.schema.json'), path.join('site-templates', 'layout.eta')];

let found: { home: string | undefined } | undefined;

/** The folder holding galley's own files, or undefined when they are missing (a broken install). */
export function galleyHome(from?: string): string | undefined {
  if (from !== undefined) return search(from);
  found ??= { home: search(path.dirname(fileURLToPath(import.meta.url))) };
  return found.home;
}

function search(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (MARKERS.every((marker) => existsSync(path.join(dir, marker)))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
