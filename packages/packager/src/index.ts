/**
 * @galley/packager — a packager's workflow over the recipe model: the next
 * release of a recipe from its diff against the last one (`recipe
 * release`), and new recipes scaffolded (`recipe new`). The diff itself is
 * @galley/recipe's (`compareRecipes`).
 */
export { blockedError, formatRelease, type ReleaseOptions, type ReleasePlan, releaseRecipe } from './release.js';
export { type Scaffold, type ScaffoldOptions, scaffoldRecipe } from './scaffold.js';
