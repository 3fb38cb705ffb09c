import type { LintReport } from '../engine.js';
import { formatAbra } from './abra.js';
import type { FormatOptions } from './common.js';
import { formatCompact } from './compact.js';
import { formatGithub } from './github.js';
import { formatGitlab } from './gitlab.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export const FORMATS = ['stylish', 'compact', 'json', 'sarif', 'github', 'gitlab', 'junit', 'abra'] as const;
export type FormatName = (typeof FORMATS)[number];

export function isFormatName(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

const FORMATTERS: Record<FormatName, (report: LintReport, options: FormatOptions) => string> = {
  stylish: formatStylish,
  compact: formatCompact,
  abra: formatAbra,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  gitlab: formatGitlab,
  junit: formatJunit,
};

export function formatReport(report: LintReport, format: FormatName, options: FormatOptions = {}): string {
  return FORMATTERS[format](report, options);
}

export { type FormatOptions, fingerprints, RULE_DOCS_BASE_URL, ruleDocsUrl } from './common.js';
export { escapeData, escapeProperty, GITHUB_ANNOTATION_LIMIT, githubStepSummary } from './github.js';
export { xmlEscape } from './junit.js';
export { formatAbra, formatCompact, formatGithub, formatGitlab, formatJson, formatJunit, formatSarif, formatStylish };
