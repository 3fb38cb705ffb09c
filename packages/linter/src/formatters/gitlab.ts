import type { LintReport } from '../engine.js';
import type { Finding } from '../rule.js';
import { fingerprints, locatedFindings } from './common.js';

type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

function severity(f: Finding, category: string | undefined): CodeQualitySeverity {
  if (f.severity === 'info') return 'info';
  if (f.severity === 'warning') return 'minor';
  // A file that cannot be read blocks everything else; other errors break a deploy.
  return category === 'syntax' ? 'blocker' : category === 'security' ? 'critical' : 'major';
}

/**
 * GitLab Code Quality report (a JSON array of CodeClimate-style issues): a
 * fingerprint unique per finding, severity info/minor/major/critical/blocker,
 * the path and line.
 */
export function formatGitlab(report: LintReport): string {
  const category = new Map(report.rules.map((r) => [r.meta.id, r.meta.category]));
  const items = locatedFindings(report);
  const prints = fingerprints(items);
  const used = new Set<string>();
  const issues = items.map(({ finding: f, path }, i) => {
    let fingerprint = prints[i]!;
    // Unique even when two findings hash alike (they cannot, but GitLab drops duplicates silently).
    for (let n = 1; used.has(fingerprint); n++) fingerprint = `${prints[i]!}-${n}`;
    used.add(fingerprint);
    return {
      type: 'issue',
      check_name: f.ruleId,
      description: f.abra ? `${f.message} (abra ${f.abra})` : f.message,
      content: { body: f.remediation ?? '' },
      categories: [category.get(f.ruleId) === 'security' ? 'Security' : category.get(f.ruleId) === 'best-practice' ? 'Style' : 'Bug Risk'],
      fingerprint,
      severity: severity(f, category.get(f.ruleId)),
      location: { path, lines: { begin: f.line, end: f.endLine } },
      engine_name: 'galley',
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
