import { visible } from '@galley/platform';
import type { LintReport, TargetResult } from '../engine.js';
import type { Rule, Severity } from '../rule.js';
import { plural } from './common.js';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warn', info: 'info' };

interface Check {
  ref: string;
  rule: Rule;
  severity: Severity;
  state: 'satisfied' | 'failed' | 'skipped';
  findings: number;
}

function checksOf(result: TargetResult, rules: readonly Rule[]): Check[] {
  const ran = new Set(result.ruleIds);
  return rules
    .filter((r) => r.meta.abra)
    .map((rule) => {
      const findings = result.findings.filter((f) => f.ruleId === rule.meta.id);
      const severity = findings[0]?.severity ?? result.severities?.[rule.meta.id] ?? rule.meta.severity;
      const state = !ran.has(rule.meta.id) ? 'skipped' : findings.length ? 'failed' : 'satisfied';
      return { ref: rule.meta.abra!, rule, severity, state, findings: findings.length } satisfies Check;
    })
    .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * A checklist like `abra recipe lint`'s: for each recipe, every abra check
 * galley mirrors (R001…), its severity, whether it is satisfied, failed (with
 * how many findings) or skipped (its rule did not run: not in the presets, or
 * it needs `--online`), and the galley rule that checks it. Findings
 * themselves are in the other formats.
 */
export function formatAbra(report: LintReport): string {
  const lines: string[] = [];
  let failed = 0;
  let failedErrors = 0;
  for (const result of report.targets) {
    const checks = checksOf(result, report.available);
    if (lines.length) lines.push('');
    lines.push(`${visible(result.target)} (${result.kind === 'recipe' ? 'recipe' : 'compose file'})`);
    const rows = [['REF', 'SEVERITY', 'SATISFIED', 'CHECK', 'RULE']];
    for (const c of checks) {
      const satisfied = c.state === 'skipped' ? 'skipped' : c.state === 'satisfied' ? 'yes' : `no (${c.findings})`;
      rows.push([c.ref, LEVEL[c.severity], satisfied, c.rule.meta.description, c.rule.meta.id]);
      if (c.state === 'failed') {
        failed++;
        if (c.severity === 'error') failedErrors++;
      }
    }
    lines.push(...table(rows).map((l) => `  ${l}`));
  }
  lines.push('', `${plural(failed, 'abra check')} failed (${plural(failedErrors, 'error')}) in ${plural(report.targets.length, 'target')}`);
  return `${lines.join('\n')}\n`;
}
