/**
 * @galley/generator — the static catalogue site: `galley site build` turns a
 * catalogue (abra's recipes.json with Galley's additions) and the recipes'
 * READMEs into a static site rendered with eta templates from
 * site-templates/; `galley site serve` previews it.
 */
export { buildSite, DEFAULT_TITLE, type BuildSiteOptions, type BuildSiteResult } from './build-site.js';
export { serveSite, CONTENT_TYPES, type ServeSiteOptions, type SiteServer } from './serve-site.js';
export { loadCatalogue, MAX_CATALOGUE_BYTES, type LoadedCatalogue } from './load-catalogue.js';
export { checkCatalogueShape, type CatalogueProblem } from './validate-catalogue.js';
export { readmesFromDir, readmesFromCache, MAX_README_BYTES, type ReadmeSource, type ReadmeText, type ReadRecipeReadme } from './readme-source.js';
export { renderReadme, type ReadmeContext } from './readme.js';
export { readmeRenderer, WORKER_THRESHOLD, type ReadmeRenderer, type ReadmeTicket } from './readme-renderer.js';
export { buildSiteModel, RECENT_DAYS, type SiteModel, type RecipeView, type CategoryView, type VersionView, type UpgradeView, type BehindView } from './view-model.js';
export { readScores, scoreView, SCORE_DEFINITIONS, SCORE_KEYS, type ScoreKey, type ScoreView } from './scores.js';
export { contentSecurityPolicy, pageRenderer, relativeRoot, type PageRenderer, type PageOptions, type SiteFile } from './pages.js';
export { homeWeight, gzipSize, HOME_BUDGET_BYTES, JS_BUDGET_BYTES, type HomeWeight } from './site-weight.js';
export { SITE_MARKER, SiteWriter } from './site-writer.js';
export type * from './catalogue-types.js';
