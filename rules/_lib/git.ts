import type { RuleContext } from '@galley/linter';
import type { GitTag } from '@galley/platform/git';
import { compareRecipeVersions, isRecipeVersion, latestRecipeVersion } from '@galley/recipe';

/** The release tag the recipe was loaded at (e.g. by `galley deploy` of an older release), if any. */
function currentReleaseTag(context: RuleContext): GitTag | undefined {
  const git = context.recipe.git;
  if (!git?.ref || !isRecipeVersion(git.ref)) return undefined;
  return git.tags.find((t) => t.name === git.ref);
}

function newest(tags: GitTag[]): GitTag | undefined {
  const latest = latestRecipeVersion(tags.map((t) => t.name));
  return latest === undefined ? undefined : tags.find((t) => t.name === latest);
}

/**
 * The newest release tag as seen from what is linted: of all tags for a work
 * tree, or of the tags up to the release the recipe was loaded at (linting
 * an older release must not compare it with releases made after it).
 */
export function latestReleaseTag(context: RuleContext): GitTag | undefined {
  const tags = context.recipe.git?.tags ?? [];
  const current = currentReleaseTag(context);
  return newest(current ? tags.filter((t) => compareRecipeVersions(t.name, current.name) <= 0) : tags);
}

/**
 * The release the linted files should be compared with: the one before the
 * release the recipe was loaded at, or the newest release for a work tree.
 */
export function previousReleaseTag(context: RuleContext): GitTag | undefined {
  const tags = context.recipe.git?.tags ?? [];
  const current = currentReleaseTag(context);
  return newest(current ? tags.filter((t) => compareRecipeVersions(t.name, current.name) < 0) : tags);
}
