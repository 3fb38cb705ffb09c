import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where galley's own files are at run time. The generator runs from its
 * sources (tests), from packages/generator/dist, or bundled into
 * packages/cli/dist/chunks; in every case the repository (or installed
 * package tree) root is an ancestor holding `site-templates/`.
 */
export function findGalleyRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'site-templates', 'layout.eta'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The default templates folder (`<root>/site-templates`). */
export function defaultTemplatesDir(): string | undefined {
  const root = findGalleyRoot();
  return root ? path.join(root, 'site-templates') : undefined;
}

/** The catalogue's JSON Schema (`<root>/schemas/catalogue.schema.json`), when it is there. */
export function catalogueSchemaFile(): string | undefined {
  const root = findGalleyRoot();
  const file = root ? path.join(root, 'schemas', 'catalogue.schema.json') : undefined;
  return file && existsSync(file) ? file : undefined;
}
