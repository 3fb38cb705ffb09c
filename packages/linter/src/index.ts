/**
 * @galley/linter — the lint engine: runs rules over the recipe model and
 * collects findings; configuration, presets, inline suppressions, fixes in
 * passes, formatters. Rules live in `rules/` (package @galley/rules) and are
 * passed in (`lint(paths, { rules: allRules })`).
 */

export { composeSchemaProblems } from './compose-schema.js';
export type { RuleLevel } from './config.js';
export { knownRules, type LintReport, LintSession, lint, lintWithFixes } from './engine.js';
export { writeFixes, writeReport } from './fixes.js';
export { type FormatName, formatReport, ruleDocsUrl } from './formatters/index.js';
export { exitCodeFor, unifiedDiff } from './outcome.js';
export { appendStepSummary, onlyErrors } from './output.js';
export { DEFAULT_DOCKER_VERSION, type Finding, type Fix, type PresetName, type Rule, type RuleContext, type Severity, type TextEdit } from './rule.js';
export { explainRule, listRules, ruleDocFiles } from './rule-docs.js';
export { type RuleSetting, runRules } from './runner.js';
export { formatPath } from './schema-errors.js';
export { isPresetName, PRESETS } from './settings.js';
