import type { RecipeLocation } from '@galley/deploy';
import { GalleyError } from '@galley/platform';

/** The flags that say where an app's recipe is (deploy, undeploy --prune, secret). */
export interface RecipeLocationFlags {
  recipe?: string;
  repo?: string;
  version?: string;
  chaos?: boolean;
}

export function recipeLocation(flags: RecipeLocationFlags): RecipeLocation {
  if (flags.recipe && flags.repo) throw new GalleyError('usage', 'give --recipe DIR or --repo URL, not both');
  const out: RecipeLocation = {};
  if (flags.recipe) out.recipeDir = flags.recipe;
  if (flags.repo) out.repo = flags.repo;
  if (flags.version) out.version = flags.version;
  if (flags.chaos) out.chaos = true;
  return out;
}

/**
 * The first Ctrl-C (or SIGTERM) asks the running deploy to stop waiting,
 * release its lock and report; a second one exits at once.
 */
export function onInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    process.stderr.write(`\ngalley: ${signal}: stopping (press Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
