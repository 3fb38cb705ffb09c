import { createHash } from 'node:crypto';
import { type RuleSetting, ruleDocsUrl, runRules } from '@galley/linter';
import type { Recipe } from '@galley/recipe';
import { allRules } from '@galley/rules';
import type { LintFinding, LintSummary } from './types.js';

/** At most this many findings are listed per recipe (the counts cover all of them). */
export const MAX_LINT_FINDINGS = 100;

/** Bumped when what a scan records changes, so cached scans are redone once. */
const SCAN_FORMAT = 'findings+extras-1';

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
  const meta = [SCAN_FORMAT, ...settings.map((s) => [s.rule.meta.id, s.severity, s.rule.meta.messages, s.rule.meta.description])];
  return createHash('sha256').update(JSON.stringify(meta)).digest('hex').slice(0, 16);
}

export async function lintSummary(recipe: Recipe, version: string, settings: readonly RuleSetting[] = recommendedSettings()): Promise<LintSummary> {
  const { findings } = await runRules(recipe, [...settings], { online: false });
  const summary: LintSummary = { version, errors: 0, warnings: 0, infos: 0, rules: {} };
  const titles = new Map(settings.map((s) => [s.rule.meta.id, s.rule.meta.description]));
  const listed: LintFinding[] = [];
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...findings].sort(
    (a, b) => order[a.severity] - order[b.severity] || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col),
  );
  for (const f of sorted.slice(0, MAX_LINT_FINDINGS)) {
    listed.push({
      rule: f.ruleId,
      title: titles.get(f.ruleId) ?? f.ruleId,
      severity: f.severity,
      message: f.message,
      file: f.file,
      line: f.line,
      column: f.col,
      docs: ruleDocsUrl(f.ruleId),
    });
  }
  summary.findings = listed;
  if (findings.length > listed.length) summary.findingsTotal = findings.length;
  for (const finding of findings) {
    if (finding.severity === 'error') summary.errors++;
    else if (finding.severity === 'warning') summary.warnings++;
    else summary.infos++;
    summary.rules[finding.ruleId] = (summary.rules[finding.ruleId] ?? 0) + 1;
  }
  return summary;
}
