/**
 * @galley/catalogue — the version catalogue generator: recipe sources
 * (GitHub, Gitea/Forgejo, list files), bare git mirrors, a polite registry
 * client (auth, paging, retries, cache), upgrade candidates, lint summaries
 * and the atomic, validated writer of recipes.json. `galley recipe upgrade`
 * lives here too.
 */

export { abraImageName, abraJson, featuresFromReadme, stripTagMeta } from './abra.js';
export { type CatalogueChanges, changesMarkdown, diffCatalogues, noChanges, type StaleScope, type UpstreamKind } from './changes.js';
export * from './config.js';
export { formatDuration, parseDuration } from './duration.js';
export {
  type CatalogueEvent,
  type Failure,
  type GenerateOptions,
  type GenerateResult,
  generateCatalogue,
  REGISTRY_CACHE_FILE,
  type RecipeHealthSummary,
  type RepoStatus,
  type RunSummary,
} from './generate.js';
export { lintFingerprint, lintSummary, MAX_LINT_FINDINGS, recommendedSettings } from './lint-summary.js';
export { MAX_MEDIA_BYTES, MEDIA_DIR, MediaStore, sniffImage } from './media.js';
export { MIRRORS_DIR, MirrorStore, mirrorPath, readRecipeReadme } from './mirror.js';
export {
  assembleCatalogue,
  buildEntry,
  DEFAULT_MAX_SHRINK,
  type RecipeImages,
  type RemovedRecipe,
  type RepoOutcome,
  shrinkProblem,
} from './policy.js';
export { identifyLicence, MAX_README_IMAGES, type RecipeExtras, readmeImages, readRecipeExtras } from './recipe-extras.js';
export {
  applyRecipeUpgrade,
  type FileChange,
  formatUpgradeDiff,
  formatUpgradeTable,
  type ImageUpgrade,
  planRecipeUpgrade,
  type TextEdit,
  traceDefaults,
  type UpgradeLevel,
  type UpgradePlan,
} from './recipe-upgrade.js';
export { type Challenge, type Credential, mayReceiveCredentials, parseChallenge, RegistryAuth, readDockerCredentials } from './registry/auth.js';
export { type ImageRepository, MANIFEST_ACCEPT, RegistryClient } from './registry/client.js';
export { type CacheHits, ImageResolver, loadRegistryCache } from './registry/resolver.js';
export { parseAdvertisement, remoteRefs, sameRefs } from './remote-refs.js';
export { chooseReporterMode, createReporter, formatSummary, type Reporter, type ReporterMode } from './reporter.js';
export { familiarName, type RepoScan, type ScannedService, type ScannedVersion, scanRepository, servicesOf } from './scan.js';
export { type CatalogueSidecar, readSidecar, sidecarPath, writeSidecar } from './sidecar.js';
export * from './sources/index.js';
export { LOCK_FILE, STATE_FILE } from './state.js';
export * from './types.js';
export { type RegistryLookups, serviceUpgrades, type UpgradeOptions } from './upgrades.js';
export { canonicalJson, validateCatalogue, writeCatalogue } from './writer.js';
