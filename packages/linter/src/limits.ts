import { clip } from '@galley/recipe';
import type { Finding } from './rule.js';

/** Findings of one rule in one file that are shown; the rest are counted in one more finding. */
export const MAX_FINDINGS_PER_RULE_AND_FILE = 100;
/** The longest finding message (characters); longer ones are cut in the middle. */
export const MAX_MESSAGE_LENGTH = 500;
/** The widest source line a code frame or snippet shows (characters); longer lines are cut around the column. */
export const MAX_FRAME_WIDTH = 160;

/** A message that quotes input, bounded: a 100 KB line must not be repeated in every finding. */
export function clipMessage(message: string): string {
  return clip(message, MAX_MESSAGE_LENGTH);
}

/**
 * Keeps the first MAX_FINDINGS_PER_RULE_AND_FILE findings (in the given,
 * sorted order) of each rule in each file, and puts one finding in place of
 * the rest that says how many there are: a flood (a mangled file, a
 * generated compose file with 50000 ports) stays a readable, bounded report.
 */
export function capFindings<T extends Finding>(findings: readonly T[]): T[] {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const key = `${f.file}\0${f.ruleId}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let over = false;
  for (const n of counts.values()) if (n > MAX_FINDINGS_PER_RULE_AND_FILE) over = true;
  if (!over) return [...findings];
  const seen = new Map<string, number>();
  const out: T[] = [];
  for (const f of findings) {
    const key = `${f.file}\0${f.ruleId}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n <= MAX_FINDINGS_PER_RULE_AND_FILE) out.push(f);
    else if (n === MAX_FINDINGS_PER_RULE_AND_FILE + 1) {
      const rest = counts.get(key)! - MAX_FINDINGS_PER_RULE_AND_FILE;
      const { fix: _fix, suggestions: _suggestions, related: _related, ...base } = f;
      out.push({
        ...(base as T),
        messageId: 'galley-more-findings',
        message: `and ${rest} more ${f.ruleId} ${rest === 1 ? 'finding' : 'findings'} in ${f.file || 'this recipe'} from here on, not shown (galley shows the first ${MAX_FINDINGS_PER_RULE_AND_FILE} of a rule per file)`,
      });
    }
  }
  return out;
}

/**
 * The part of a source line a code frame shows: at most MAX_FRAME_WIDTH
 * characters around `col` (1-based), with `…` where the line is cut, and
 * where the finding's columns fall in that window (0-based, end exclusive).
 */
export function frameWindow(line: string, col: number, endCol: number): { text: string; start: number; end: number } {
  const start = Math.max(0, col - 1);
  const end = Math.max(start + 1, endCol - 1);
  if (line.length <= MAX_FRAME_WIDTH) return { text: line, start, end };
  const half = Math.floor(MAX_FRAME_WIDTH / 2);
  const from = Math.max(0, Math.min(start - half, line.length - MAX_FRAME_WIDTH));
  const to = Math.min(line.length, from + MAX_FRAME_WIDTH);
  const prefix = from > 0 ? '…' : '';
  const suffix = to < line.length ? '…' : '';
  const shift = prefix.length - from;
  return {
    text: `${prefix}${line.slice(from, to)}${suffix}`,
    start: start + shift,
    end: Math.min(end, to) + shift,
  };
}
