import { visible } from '@galley/platform';
import type { LintReport } from '../engine.js';
import { locatedFindings, ruleLabel, summaryLine } from './common.js';

/** One line per finding, `file:line:col: severity message [rule]`, as compilers and editors' problem matchers read; then the summary. */
export function formatCompact(report: LintReport): string {
  const lines = locatedFindings(report).map(
    ({ finding: f, path }) => `${visible(path) || '(recipe)'}:${f.line}:${f.col}: ${f.severity} ${visible(f.message)} [${ruleLabel(f)}]`,
  );
  for (const t of report.targets) for (const c of t.crashes) lines.push(visible(`${t.target}: internal error: rule ${c.ruleId} crashed: ${c.message}`));
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}
