import { checkAppEnv, type EnvProblem } from '@galley/recipe';
import { readAppEnv } from './app-env.js';
import { locateRecipe, type RecipeLocation } from './recipe-locator.js';
import { resolveAppStack } from './render.js';

/** `galley env check <app-env>`: the app env against its recipe (the version it would deploy), as a deploy checks it. */
export interface EnvCheckResult {
  file: string;
  recipe: string;
  /** Where the recipe came from (`folder#tag`). */
  source: string;
  errors: EnvProblem[];
  warnings: EnvProblem[];
}

export async function envCheck(appEnvFile: string, location: RecipeLocation = {}): Promise<EnvCheckResult> {
  const app = await readAppEnv(appEnvFile);
  const located = await locateRecipe(app, location);
  try {
    const stack = resolveAppStack(located, app);
    const check = checkAppEnv(located.recipe, app.env, stack);
    return { file: app.file, recipe: located.recipe.name, source: located.label, ...check };
  } finally {
    await located.dispose();
  }
}
