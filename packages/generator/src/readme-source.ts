import { readFileSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '@galley/platform';

/** A recipe's README as read: its markdown and where it came from (for messages). */
export interface ReadmeText {
  text: string;
  file: string;
}

/** Where READMEs come from: a folder of files, or the catalogue's git mirror cache. */
export interface ReadmeSource {
  describe: string;
  /** undefined when the recipe has no README there. */
  read(recipeName: string): Promise<ReadmeText | undefined>;
}

export const MAX_README_BYTES = 1024 * 1024;

/** A recipe name that can be used as a file name (names are untrusted: no `/`, no `..`). */
function fileSafe(name: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name) && name.length <= 200;
}

/**
 * READMEs from a folder: `<dir>/<recipe>.md`, or `<dir>/<recipe>/README.md`
 * (so a folder of recipe checkouts works as it is).
 */
export async function readmesFromDir(dir: string): Promise<ReadmeSource> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new GalleyError(
      'readmes-missing',
      `--readmes ${dir}: ${info ? 'is not a folder' : 'no such folder'} (give the folder that holds <recipe>.md or <recipe>/README.md files)`,
    );
  }
  return {
    describe: dir,
    async read(name) {
      if (!fileSafe(name)) return undefined;
      for (const file of [path.join(dir, `${name}.md`), path.join(dir, name, 'README.md')]) {
        const text = readReadmeFile(file);
        if (text !== undefined) return { text, file };
      }
      return undefined;
    },
  };
}

/** The function @galley/catalogue exports to read a README from its git mirror cache. */
export type ReadRecipeReadme = (cacheDir: string, recipeName: string, ref?: string) => Promise<string | undefined>;

export function readmesFromCache(cacheDir: string, readRecipeReadme: ReadRecipeReadme): ReadmeSource {
  return {
    describe: cacheDir,
    async read(name) {
      try {
        const text = await readRecipeReadme(cacheDir, name);
        if (text === undefined) return undefined;
        if (Buffer.byteLength(text) > MAX_README_BYTES) throw tooLarge(`${cacheDir} (${name})`);
        return { text, file: `${cacheDir} (${name})` };
      } catch (error) {
        if (error instanceof GalleyError) throw error;
        throw new GalleyError('readme-unreadable', `cannot read the README of ${name} from the cache ${cacheDir}: ${(error as Error).message}`);
      }
    },
  };
}

/**
 * Synchronous on purpose: thousands of small local files read several times
 * faster so than through promises, and the build has nothing else to do meanwhile.
 */
function readReadmeFile(file: string): string | undefined {
  try {
    const info = statSync(file);
    if (info.isDirectory()) return undefined;
    if (info.size > MAX_README_BYTES) throw tooLarge(file);
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof GalleyError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const why =
      code === 'EACCES'
        ? 'permission denied (fix its permissions, or leave it out of --readmes)'
        : code === 'ELOOP'
          ? 'it is a symbolic link that loops (point it at a file, or remove it)'
          : (error as Error).message;
    throw new GalleyError('readme-unreadable', `${file}: cannot read this README: ${why}`, { file });
  }
}

function tooLarge(file: string): GalleyError {
  return new GalleyError(
    'readme-too-large',
    `${file}: the README is larger than ${MAX_README_BYTES / 1024} KiB: galley does not render it (shorten it, or leave it out)`,
  );
}
