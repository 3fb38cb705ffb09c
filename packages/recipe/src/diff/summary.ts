import type { Change, ChangeCategory, ChangeKind, RecipeDiff, ReleaseLevel } from './diff.js';

/**
 * A diff made small enough to keep for every version of every recipe in the
 * catalogue: every breaking change, then the others up to a limit, each one
 * line. The site shows it as "upgrading from <previous>: …".
 */
export interface UpgradeSummary {
  /** The previous release. */
  from: string;
  level?: ReleaseLevel;
  /** How many changes are breaking (all of them are in `changes`). */
  breaking: number;
  /** Breaking changes first, then the others in the diff's order. */
  changes: UpgradeChange[];
  /** Changes left out (never breaking ones). */
  omitted?: number;
}

export interface UpgradeChange {
  kind: ChangeKind;
  category: ChangeCategory;
  breaking: boolean;
  message: string;
  action?: string;
  /** `file:line` in the newer version (or in the older one, for what was removed). */
  location?: string;
}

/** Summarises a diff (at most `max` changes, 20 by default, breaking ones always). */
export function summarizeDiff(diff: RecipeDiff, from: string, options: { max?: number } = {}): UpgradeSummary {
  const max = options.max ?? 20;
  const breaking = diff.changes.filter((c) => c.breaking);
  const others = diff.changes.filter((c) => !c.breaking);
  const kept = [...breaking, ...others.slice(0, Math.max(0, max - breaking.length))];
  const summary: UpgradeSummary = { from, breaking: breaking.length, changes: kept.map(summarizeChange) };
  if (diff.level) summary.level = diff.level;
  const omitted = diff.changes.length - kept.length;
  if (omitted > 0) summary.omitted = omitted;
  return summary;
}

function summarizeChange(c: Change): UpgradeChange {
  const out: UpgradeChange = { kind: c.kind, category: c.category, breaking: c.breaking, message: c.message };
  if (c.action) out.action = c.action;
  if (c.location) out.location = `${c.location.file}:${c.location.line}`;
  return out;
}
