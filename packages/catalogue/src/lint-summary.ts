import { createHash } from 'node:crypto';
import { type RuleSetting, runRules } from '@galley/linter';
import type { Recipe } from '@galley/recipe';
import { allRules } from '@galley/rules';
import type { LintSummary } from './types.js';

/**
 * The lint summary the catalogue shows per recipe: the rules of the
 * `recommended` preset at their default severity, offline, over the recipe
 * as it is at its latest release.
 */
export function recommendedSettings(): RuleSetting[] {
  return allRules
    .filter((rule) => rule.meta.presets.includes('recommended') && !rule.meta.requires?.includes('online'))
    .map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));
}

/** Changes when the rule set does (so cached summaries are redone). */
export function lintFingerprint(settings: readonly RuleSetting[] = recommendedSettings()): string {
  const meta = settings.map((s) => [s.rule.meta.id, s.severity, s.rule.meta.messages]);
  return createHash('sha256').update(JSON.stringify(meta)).digest('hex').slice(0, 16);
}

export async function lintSummary(recipe: Recipe, version: string, settings: readonly RuleSetting[] = recommendedSettings()): Promise<LintSummary> {
  const { findings } = await runRules(recipe, [...settings], { online: false });
  const summary: LintSummary = { version, errors: 0, warnings: 0, infos: 0, rules: {} };
  for (const finding of findings) {
    if (finding.severity === 'error') summary.errors++;
    else if (finding.severity === 'warning') summary.warnings++;
    else summary.infos++;
    summary.rules[finding.ruleId] = (summary.rules[finding.ruleId] ?? 0) + 1;
  }
  return summary;
}
