import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { closeRecipe, loadRecipe, loadRecipeAtRef, type Recipe } from '@galley/recipe';
import { commitAll, type FixtureCommit, removeTree, writeTree } from '../../test/support/recipe-fixtures.js';

/**
 * Recipes with real git history for rule tests: each call builds a
 * repository from commits in a temp folder and loads it as a recipe; call
 * `cleanUpGitRecipes()` in `afterAll` to close and remove them.
 */
const opened: { recipe: Recipe; dir: string }[] = [];

export async function gitRecipe(commits: FixtureCommit[], workTree: Record<string, string | null> = {}, at?: string): Promise<Recipe> {
  const dir = writeTree({}, 'galley-rules-git-');
  commitAll(dir, commits);
  for (const [file, content] of Object.entries(workTree)) {
    if (content === null) rmSync(path.join(dir, file), { force: true });
    else writeFileSync(path.join(dir, file), content);
  }
  // `at`: load the recipe as it is at that ref (as `galley deploy` does for a release).
  const recipe = at ? await loadRecipeAtRef(dir, at, { name: 'demo' }) : await loadRecipe(dir, { name: 'demo' });
  opened.push({ recipe, dir });
  return recipe;
}

export function cleanUpGitRecipes(): void {
  for (const { recipe, dir } of opened.splice(0)) {
    closeRecipe(recipe);
    removeTree(dir);
  }
}
