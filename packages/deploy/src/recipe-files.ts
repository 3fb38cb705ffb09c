import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import type { Recipe } from '@galley/recipe';

/**
 * The files a rendered compose file reads (config templates, env files),
 * written out of a recipe that lives in git (a release tag) into a private
 * temporary folder, so `docker stack deploy` can read them. Removed by
 * `dispose()`; a recipe that is a work tree needs none of this.
 */
export interface MaterialisedFiles {
  dir: string;
  dispose(): Promise<void>;
}

export async function materialiseFiles(recipe: Recipe, files: readonly string[]): Promise<MaterialisedFiles> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-deploy-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    for (const file of files) {
      if (file.startsWith('../') || path.isAbsolute(file)) continue;
      const text = await recipe.source.read(file);
      if (text === undefined) {
        throw new GalleyError('recipe-file-missing', `the stack reads ${file}, which recipe ${recipe.name} (${recipe.source.label}) does not have`);
      }
      const target = path.join(dir, file);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await writeFile(target, text, { mode: 0o600 });
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { dir, dispose };
}
