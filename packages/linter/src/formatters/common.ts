import { createHash } from 'node:crypto';
import { LineIndex } from '@galley/recipe';
import { displayPath, type LintReport, type TargetResult } from '../engine.js';
import type { Finding, Rule } from '../rule.js';
import type { SuppressedFinding } from '../suppressions.js';

/** Where the rule pages live (docs/rules/<id>.md); SARIF and docs link there. */
export const RULE_DOCS_BASE_URL = 'https://git.coopcloud.tech/toolshed/galley/src/branch/main/docs/rules/';

export function ruleDocsUrl(ruleId: string): string {
  return `${RULE_DOCS_BASE_URL}${ruleId}.md`;
}

export interface FormatOptions {
  /** ANSI colours (stylish only; never with NO_COLOR or when not a TTY). */
  color?: boolean;
}

/** A finding with the path people see. */
export interface Located {
  finding: Finding;
  path: string;
  result: TargetResult;
  suppressed?: SuppressedFinding;
}

export function locatedFindings(report: LintReport): Located[] {
  return report.targets.flatMap((result) => result.findings.map((finding) => ({ finding, path: displayPath(result, finding.file), result })));
}

export function locatedSuppressed(report: LintReport): Located[] {
  return report.targets.flatMap((result) =>
    result.suppressed.map((finding) => ({ finding, path: displayPath(result, finding.file), result, suppressed: finding })),
  );
}

const lineIndexes = new WeakMap<TargetResult, Map<string, LineIndex>>();

/** The source line a finding starts on ('' when the file is not known). */
export function sourceLine(result: TargetResult, file: string, line: number): string {
  let byFile = lineIndexes.get(result);
  if (!byFile) {
    byFile = new Map();
    lineIndexes.set(result, byFile);
  }
  let index = byFile.get(file);
  if (!index) {
    const text = result.files.get(file);
    if (text === undefined) return '';
    index = new LineIndex(text);
    byFile.set(file, index);
  }
  return line >= 1 && line <= index.lineCount ? index.lineText(line) : '';
}

/**
 * Fingerprints that survive edits elsewhere in the file: a hash of the rule
 * id and message id, the path, the finding's source line with whitespace
 * normalised, and
 * how many identical (rule, path, line text) findings came before it.
 * Line numbers are not part of it.
 */
export function fingerprints(items: readonly Located[]): string[] {
  const seen = new Map<string, number>();
  return items.map(({ finding, path, result }) => {
    const text = sourceLine(result, finding.file, finding.line).trim().replace(/\s+/g, ' ');
    const base = `${finding.ruleId}\0${finding.messageId}\0${path}\0${text}`;
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return createHash('sha256').update(`${base}\0${occurrence}`).digest('hex');
  });
}

/** The rule id as people see it: with abra's check id beside it when the rule mirrors one (`recipe/app-service (R009)`). */
export function ruleLabel(f: { ruleId: string; abra?: string }): string {
  return f.abra ? `${f.ruleId} (${f.abra})` : f.ruleId;
}

export function ruleById(report: LintReport): Map<string, Rule> {
  return new Map(report.rules.map((r) => [r.meta.id, r]));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(report: LintReport): string {
  const s = report.summary;
  const total = s.errors + s.warnings + s.infos;
  const parts = [`${plural(total, 'problem')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')})`];
  if (s.fixable) parts.push(`${s.fixable} fixable with --fix`);
  if (s.suppressed) parts.push(`${s.suppressed} suppressed by comments`);
  if (s.crashes) parts.push(`${plural(s.crashes, 'rule')} crashed`);
  return `${parts.join('; ')} in ${plural(s.targets, 'target')}`;
}
