import { applyRecipeUpgrade, formatUpgradeDiff, formatUpgradeTable, planRecipeUpgrade, readRegistrySettings, type UpgradeLevel } from '@galley/catalogue';
import { EXIT, visible } from '@galley/platform';

export interface RecipeUpgradeOptions {
  patch?: boolean;
  minor?: boolean;
  major?: boolean;
  dryRun?: boolean;
  json?: boolean;
  config?: string;
}

export async function recipeUpgrade(dir: string, options: RecipeUpgradeOptions): Promise<number> {
  // commander refuses more than one of them.
  const level: UpgradeLevel = (['patch', 'minor', 'major'] as const).find((l) => options[l]) ?? 'minor';
  const registry = await readRegistrySettings(options.config);
  const plan = await planRecipeUpgrade(dir, { level, registry });
  if (!options.dryRun) await applyRecipeUpgrade(plan);
  if (options.json) {
    const images = plan.images.map(({ edits: _edits, ...rest }) => rest);
    process.stdout.write(`${JSON.stringify({ dir, level, dryRun: Boolean(options.dryRun), images, changed: plan.changes.map((c) => c.file) }, null, 2)}\n`);
  } else {
    if (options.dryRun) process.stdout.write(formatUpgradeDiff(plan));
    process.stdout.write(formatUpgradeTable(plan));
    if (!options.dryRun && plan.changes.length) process.stdout.write(`updated ${visible(plan.changes.map((c) => c.file).join(', '))}\n`);
    if (options.dryRun && plan.changes.length) process.stdout.write('dry run: nothing was written\n');
  }
  return plan.images.some((i) => i.status === 'failed') ? EXIT.PARTIAL : EXIT.OK;
}
