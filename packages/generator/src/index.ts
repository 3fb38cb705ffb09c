/**
 * @galley/generator — the static catalogue site: `galley site build` turns a
 * catalogue (abra's recipes.json with Galley's additions) and the recipes'
 * READMEs into a static site rendered with eta templates from
 * site-templates/; `galley site serve` previews it.
 */
export { type BuildSiteOptions, type BuildSiteResult, buildSite, DEFAULT_TITLE } from './build-site.js';
export type * from './catalogue-types.js';
export { type LoadedCatalogue, loadCatalogue, MAX_CATALOGUE_BYTES } from './load-catalogue.js';
export { contentSecurityPolicy, type PageOptions, type PageRenderer, pageRenderer, relativeRoot, type SiteFile } from './pages.js';
export { type ReadmeContext, renderReadme } from './readme.js';
export { type ReadmeRenderer, type ReadmeTicket, readmeRenderer, WORKER_THRESHOLD } from './readme-renderer.js';
export { MAX_README_BYTES, type ReadmeSource, type ReadmeText, type ReadRecipeReadme, readmesFromCache, readmesFromDir } from './readme-source.js';
export { readScores, SCORE_DEFINITIONS, SCORE_KEYS, type ScoreKey, type ScoreView, scoreView } from './scores.js';
export { CONTENT_TYPES, type ServeSiteOptions, type SiteServer, serveSite } from './serve-site.js';
export { gzipSize, HOME_BUDGET_BYTES, type HomeWeight, homeWeight, JS_BUDGET_BYTES } from './site-weight.js';
export { SITE_MARKER, SiteWriter } from './site-writer.js';
export { type CatalogueProblem, checkCatalogueShape } from './validate-catalogue.js';
export {
  type BehindView,
  buildSiteModel,
  type CategoryView,
  RECENT_DAYS,
  type RecipeView,
  type SiteModel,
  type UpgradeView,
  type VersionView,
} from './view-model.js';
