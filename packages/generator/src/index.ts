/**
 * @galley/generator — the static site generator for the catalogue:
 * `galley site build` turns a catalogue (abra's recipes.json with Galley's
 * additions) and the recipes' READMEs into a static site rendered with eta
 * templates from site-templates/; `galley site serve` previews it.
 */
export { type BuildSiteOptions, type BuildSiteResult, buildSite, DEFAULT_TITLE } from './build-site.js';
export type * from './catalogue-types.js';
export { WORKER_THRESHOLD } from './readme-renderer.js';
export { type ReadmeSource, readmesFromCache, readmesFromDir } from './readme-source.js';
export { type ServeSiteOptions, type SiteServer, serveSite } from './serve-site.js';
export { HOME_BUDGET_BYTES, JS_BUDGET_BYTES } from './site-weight.js';
