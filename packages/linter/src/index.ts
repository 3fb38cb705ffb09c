/**
 * @galley/linter — the lint engine: runs rules over the recipe model and
 * collects findings. Rules live in `rules/` (package @galley/rules).
 */
export * from './rule.js';
export * from './runner.js';
export * from './fixes.js';
