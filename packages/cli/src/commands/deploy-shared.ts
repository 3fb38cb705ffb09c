import type { RecipeLocation } from '@galley/deploy';

/** The flags that say where an app's recipe is (deploy, undeploy --prune, secret, env). */
export interface RecipeLocationFlags {
  recipe?: string;
  repo?: string;
  version?: string;
  chaos?: boolean;
}

export function recipeLocation(flags: RecipeLocationFlags): RecipeLocation {
  const out: RecipeLocation = {};
  if (flags.recipe) out.recipeDir = flags.recipe;
  if (flags.repo) out.repo = flags.repo;
  if (flags.version) out.version = flags.version;
  if (flags.chaos) out.chaos = true;
  return out;
}

/** `--context NAME`, when given. */
export function contextOption(flags: { context?: string }): { context?: string } {
  return flags.context ? { context: flags.context } : {};
}

export { claimInterrupt } from '../interrupt.js';
