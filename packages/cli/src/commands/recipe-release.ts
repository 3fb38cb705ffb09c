import { blockedError, formatRelease, releaseRecipe } from '@galley/packager';
import { EXIT } from '@galley/platform';
import { formatDiffText } from '@galley/recipe';
import { reportError } from '../errors.js';

export interface RecipeReleaseOptions {
  major?: boolean;
  minor?: boolean;
  patch?: boolean;
  dryRun?: boolean;
  push?: boolean;
  remote: string;
  json?: boolean;
}

export async function recipeRelease(dir: string, options: RecipeReleaseOptions): Promise<number> {
  const bump = options.major ? 'major' : options.minor ? 'minor' : options.patch ? 'patch' : undefined;
  const plan = await releaseRecipe(dir, { ...(bump ? { bump } : {}), dryRun: Boolean(options.dryRun), push: Boolean(options.push), remote: options.remote });
  if (options.json) process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  else {
    if (plan.diff) process.stdout.write(`${formatDiffText(plan.diff)}\n`);
    process.stdout.write(formatRelease(plan));
  }
  // A dry run shows the plan, and still says that lint errors would refuse it.
  if (plan.blockers.length) return reportError(blockedError(plan));
  return EXIT.OK;
}
