import path from 'node:path';
import { galleyHome } from '@galley/platform/home';

/**
 * Where galley's own files are at run time: the repository's root, or the
 * installed package's (see `@galley/platform/home`); both hold
 * `site-templates/` and `schemas/`.
 */
export function findGalleyRoot(): string | undefined {
  return galleyHome();
}

/** The default templates folder (`<root>/site-templates`). */
export function defaultTemplatesDir(): string | undefined {
  const root = findGalleyRoot();
  return root ? path.join(root, 'site-templates') : undefined;
}
