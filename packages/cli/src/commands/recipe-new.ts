import path from 'node:path';
import { scaffoldRecipe } from '@galley/packager';
import { EXIT, visible } from '@galley/platform';

export interface RecipeNewOptions {
  dir?: string;
  image?: string;
  git: boolean;
  json?: boolean;
}

export async function recipeNew(name: string, options: RecipeNewOptions): Promise<number> {
  const scaffold = await scaffoldRecipe(name, {
    ...(options.dir ? { parent: options.dir } : {}),
    ...(options.image ? { image: options.image } : {}),
    git: options.git,
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(scaffold, null, 2)}\n`);
    return EXIT.OK;
  }
  const rel = visible(path.relative(process.cwd(), scaffold.dir) || '.');
  process.stdout.write(
    `created ${rel}/ (${scaffold.files.join(', ')})${scaffold.git ? ', a git repository' : ''}\n` +
      `next: replace each REPLACE comment, then\n  galley lint ${rel}\n  galley recipe release ${rel} --dry-run\n`,
  );
  return EXIT.OK;
}
