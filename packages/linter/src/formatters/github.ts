import { visible } from '@galley/platform';
import type { LintReport } from '../engine.js';
import { locatedFindings, plural, ruleLabel, summaryLine } from './common.js';

/** GitHub shows at most this many annotations of each type per step. */
export const GITHUB_ANNOTATION_LIMIT = 10;

/** Escapes workflow-command data (the message): `%`, CR, LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes workflow-command properties: also `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * GitHub Actions workflow commands: one `::error …::message` annotation per
 * finding (every one is printed; GitHub displays the first ten of each type),
 * then a summary line saying how many there are in all.
 */
export function formatGithub(report: LintReport): string {
  const lines: string[] = [];
  for (const { finding: f, path } of locatedFindings(report)) {
    const props = [
      `file=${escapeProperty(visible(path))}`,
      `line=${f.line}`,
      `col=${f.col}`,
      `endLine=${f.endLine}`,
      `endColumn=${f.endCol}`,
      `title=${escapeProperty(`${f.ruleId} (galley${f.abra ? `, abra ${f.abra}` : ''})`)}`,
    ];
    // The message comes from the input: its control characters (also newlines) are shown escaped; only ours break lines.
    const message = f.remediation ? `${visible(f.message)}\nHow to fix: ${f.remediation}` : visible(f.message);
    lines.push(`::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(message)}`);
  }
  for (const t of report.targets)
    for (const c of t.crashes)
      lines.push(`::error title=galley internal error::${escapeData(visible(`rule ${c.ruleId} crashed on ${t.target}: ${c.message}`))}`);
  const s = report.summary;
  const capped = [s.errors, s.warnings, s.infos].some((n) => n > GITHUB_ANNOTATION_LIMIT);
  lines.push(
    `galley lint: ${summaryLine(report)}${capped ? ` (GitHub shows only the first ${GITHUB_ANNOTATION_LIMIT} annotations of each type; every finding is listed above and in the job summary)` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Text from the input in a markdown table cell, shown as it is and never
 * read as markdown or HTML: control characters escaped (see `visible`),
 * every ASCII character markdown or HTML could act on as a numeric
 * character reference (`<` → `&#60;`, `|` → `&#124;`, `@` → `&#64;`).
 */
export function markdownText(text: string): string {
  return visible(text).replace(/[!-/:-@[-`{-~]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Markdown for `$GITHUB_STEP_SUMMARY`: the counts and a table of every finding. */
export function githubStepSummary(report: LintReport): string {
  const s = report.summary;
  const lines = [`### galley lint`, '', `${summaryLine(report)}`, ''];
  const items = locatedFindings(report);
  if (items.length) {
    lines.push('| severity | location | rule | message |', '| --- | --- | --- | --- |');
    for (const { finding: f, path } of items)
      lines.push(`| ${f.severity} | <code>${markdownText(path)}:${f.line}:${f.col}</code> | \`${ruleLabel(f)}\` | ${markdownText(f.message)} |`);
    lines.push('');
  }
  if (s.errors + s.warnings + s.infos === 0) lines.push(`No problems in ${plural(s.targets, 'target')}.`, '');
  return `${lines.join('\n')}\n`;
}
