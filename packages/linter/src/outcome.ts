import { EXIT, visible, visibleLines } from '@galley/platform';
import { createTwoFilesPatch } from 'diff';
import type { FileChange, LintReport } from './engine.js';
import type { Severity } from './rule.js';

export interface FailurePolicy {
  /** The lowest severity that fails the run (default: error). */
  failOn?: Severity;
  /** Fail when there are more warnings than this. */
  maxWarnings?: number;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * The exit code for a report: 1 when a finding is at or above the failure
 * level, or warnings exceed the maximum; otherwise 4 when a rule crashed (a
 * galley bug: the result may be incomplete); otherwise 0.
 */
export function exitCodeFor(report: LintReport, policy: FailurePolicy = {}): number {
  const failOn = RANK[policy.failOn ?? 'error'];
  const s = report.summary;
  const failing = (s.errors > 0 && RANK.error >= failOn) || (s.warnings > 0 && RANK.warning >= failOn) || (s.infos > 0 && RANK.info >= failOn);
  if (failing) return EXIT.FAILED;
  if (policy.maxWarnings !== undefined && s.warnings > policy.maxWarnings) return EXIT.FAILED;
  if (s.crashes > 0) return EXIT.INTERNAL;
  return EXIT.OK;
}

/**
 * A unified diff of the changes fixes would make (`--fix-dry-run`), for
 * reading: control characters of the files are shown escaped (see
 * `visibleLines`), so a diff cannot drive the terminal or a CI log.
 */
export function unifiedDiff(changes: readonly FileChange[]): string {
  return changes
    .map((c) => {
      const name = visible(c.display);
      return createTwoFilesPatch(c.before === undefined ? '/dev/null' : `a/${name}`, `b/${name}`, c.before ?? '', c.after, undefined, undefined, {
        context: 3,
      });
    })
    .map((patch) => visibleLines(patch.replace(/^=+\n/m, '').replace(/^Index: .*\n/m, '')))
    .join('');
}
