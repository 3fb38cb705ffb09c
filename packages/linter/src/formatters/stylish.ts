import { visible, visibleCode } from '@galley/platform';
import { createColors } from 'picocolors';
import type { LintReport } from '../engine.js';
import { frameWindow } from '../limits.js';
import { type FormatOptions, locatedFindings, ruleLabel, sourceLine, summaryLine } from './common.js';

const TAB = /\t/g;

/**
 * Human output: findings grouped by file, each `line:col severity message
 * rule-id`, then the source line with a caret or underline under the exact
 * columns; a summary at the end.
 */
export function formatStylish(report: LintReport, options: FormatOptions = {}): string {
  const c = createColors(options.color ?? false);
  const items = locatedFindings(report);
  const lines: string[] = [];
  let current = '';
  // A rule's how-to-fix text is printed under its first finding only.
  const explained = new Set<string>();
  for (const { finding: f, path, result } of items) {
    if (path !== current) {
      if (current) lines.push('');
      lines.push(c.underline(visible(path) || '(recipe)'));
      current = path;
    }
    const severity = f.severity === 'error' ? c.red('error  ') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info   ');
    lines.push(`  ${c.dim(`${f.line}:${f.col}`.padEnd(7))} ${severity}  ${visible(f.message)}  ${c.dim(ruleLabel(f))}`);
    const source = sourceLine(result, f.file, f.line);
    if (source.trim()) {
      const gutter = `${f.line} | `;
      // A long line is cut around the column: one bounded frame per finding.
      const frame = frameWindow(source.replace(TAB, ' '), f.col, f.endLine === f.line ? f.endCol : source.length + 1);
      const shown = visibleCode(frame.text);
      lines.push(`    ${c.dim(gutter)}${shown}`);
      const start = frame.start;
      const end = frame.end;
      const width = Math.max(1, Math.min(end, Math.max(shown.length, start + 1)) - start);
      const marker = width === 1 ? '^' : '~'.repeat(width);
      lines.push(`    ${' '.repeat(gutter.length)}${' '.repeat(start)}${f.severity === 'error' ? c.red(marker) : c.yellow(marker)}`);
    }
    const explanation = `${f.ruleId}\0${f.remediation}`;
    if (f.remediation && !explained.has(explanation)) {
      explained.add(explanation);
      lines.push(`    ${c.dim(`fix: ${f.remediation}`)}`);
    }
  }
  for (const result of report.targets) {
    for (const crash of result.crashes) lines.push(c.red(visible(`internal error: rule ${crash.ruleId} crashed on ${result.target}: ${crash.message}`)));
  }
  const s = report.summary;
  const total = s.errors + s.warnings + s.infos;
  if (lines.length) lines.push('');
  const summary = summaryLine(report);
  lines.push(total === 0 ? c.green(`✔ ${summary}`) : s.errors ? c.red(c.bold(`✖ ${summary}`)) : c.yellow(c.bold(`⚠ ${summary}`)));
  return `${lines.join('\n')}\n`;
}
