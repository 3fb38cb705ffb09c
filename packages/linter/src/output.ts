import { appendFile } from 'node:fs/promises';
import { GalleyError } from '@galley/platform';
import { type LintReport, summarize } from './engine.js';
import { githubStepSummary } from './formatters/github.js';

/** Appends the markdown summary to GitHub's `$GITHUB_STEP_SUMMARY` file. */
export async function appendStepSummary(report: LintReport, file: string): Promise<void> {
  await appendFile(file, githubStepSummary(report)).catch((error: NodeJS.ErrnoException) => {
    throw new GalleyError('unwritable', `cannot append the job summary to ${file}: ${error.message}`);
  });
}

/** The report with errors only (`--quiet`): warnings and infos are neither shown nor counted. */
export function onlyErrors(report: LintReport): LintReport {
  const targets = report.targets.map((t) => ({ ...t, findings: t.findings.filter((f) => f.severity === 'error') }));
  return { ...report, targets, summary: summarize(targets) };
}
