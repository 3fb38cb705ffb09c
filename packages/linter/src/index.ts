/**
 * @galley/linter — the lint engine: runs rules over the recipe model and
 * collects findings; configuration, presets, inline suppressions, fixes in
 * passes, formatters. Rules live in `rules/` (package @galley/rules) and are
 * passed in (`lint(paths, { rules: allRules })`).
 */

export { composeSchemaProblems } from './compose-schema.js';
export * from './config.js';
export * from './engine.js';
export * from './engine-rules.js';
export * from './fixes.js';
export * from './formatters/index.js';
export * from './outcome.js';
export * from './output.js';
export * from './rule.js';
export * from './rule-docs.js';
export * from './runner.js';
export { closestName, describeSchemaErrors, formatPath, type SchemaProblem } from './schema-errors.js';
export * from './settings.js';
export * from './suppressions.js';
export * from './targets.js';
