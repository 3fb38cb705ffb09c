/**
 * @galley/catalogue — the version catalogue generator: recipe sources
 * (GitHub, Gitea/Forgejo, list files), bare git mirrors, a polite registry
 * client (auth, paging, retries, cache), upgrade candidates, lint summaries
 * and the atomic, validated writer of recipes.json. `galley recipe upgrade`
 * lives here too.
 */
export * from './types.js';
export * from './config.js';
export { parseDuration, formatDuration } from './duration.js';
export { PoliteHttp, HttpFailure, RetryableError, retryDelay, nextLink, type HostStats, type PolitenessSettings } from './http.js';
export * from './sources/index.js';
export { MirrorStore, mirrorPath, readRecipeReadme, MIRRORS_DIR } from './mirror.js';
export { remoteRefs, sameRefs, parseAdvertisement } from './remote-refs.js';
export { RegistryClient, MANIFEST_ACCEPT, type ImageRepository } from './registry/client.js';
export { RegistryAuth, parseChallenge, readDockerCredentials, mayReceiveCredentials, type Challenge, type Credential } from './registry/auth.js';
export { ImageResolver, loadRegistryCache, type CacheHits } from './registry/resolver.js';
export { scanRepository, servicesOf, familiarName, type RepoScan, type ScannedService, type ScannedVersion } from './scan.js';
export { serviceUpgrades, type UpgradeOptions, type RegistryLookups } from './upgrades.js';
export { lintSummary, recommendedSettings, lintFingerprint } from './lint-summary.js';
export { featuresFromMetadata } from './features.js';
export { canonicalJson, validateCatalogue, writeCatalogue } from './writer.js';
export { STATE_FILE, LOCK_FILE } from './state.js';
export { generateCatalogue, REGISTRY_CACHE_FILE, type CatalogueEvent, type GenerateOptions, type GenerateResult, type RunSummary, type Failure, type RepoStatus } from './generate.js';
export { createReporter, chooseReporterMode, formatSummary, type Reporter, type ReporterMode } from './reporter.js';
export { planRecipeUpgrade, applyRecipeUpgrade, formatUpgradeDiff, formatUpgradeTable, traceDefaults, type UpgradeLevel, type UpgradePlan, type ImageUpgrade, type FileChange, type TextEdit } from './recipe-upgrade.js';
