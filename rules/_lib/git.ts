import type { RuleContext } from '@galley/linter';
import { latestRecipeVersion, type GitTag } from '@galley/recipe';

/** The newest release tag of the recipe, when it has git history with release tags. */
export function latestReleaseTag(context: RuleContext): GitTag | undefined {
  const tags = context.recipe.git?.tags ?? [];
  const latest = latestRecipeVersion(tags.map((t) => t.name));
  return latest === undefined ? undefined : tags.find((t) => t.name === latest);
}
