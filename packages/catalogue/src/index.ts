/**
 * @galley/catalogue — the version catalogue generator: recipe sources
 * (GitHub, Gitea/Forgejo, list files), bare git mirrors, the registry
 * client, upgrade candidates, lint summaries and the atomic, validated
 * writer of recipes.json. `galley recipe upgrade` lives here too.
 *
 * Public face: the use cases (generate, recipe upgrade, the README cache the
 * site reads) and their types; the rest is internal.
 */

export type { CatalogueChanges } from './changes.js';
export { type CatalogueFlags, type CatalogueSettings, readRegistrySettings, resolveCatalogueSettings, type SourceSpec } from './config.js';
export { type CatalogueEvent, type GenerateOptions, type GenerateResult, generateCatalogue, type RunSummary } from './generate.js';
export { MediaStore } from './media.js';
export { readRecipeReadme } from './mirror.js';
export { applyRecipeUpgrade, formatUpgradeDiff, formatUpgradeTable, planRecipeUpgrade, type UpgradeLevel, type UpgradePlan } from './recipe-upgrade.js';
export { RegistryAuth } from './registry/auth.js';
export { RegistryClient } from './registry/client.js';
export { remoteRefs, sameRefs } from './remote-refs.js';
export { chooseReporterMode, createReporter as createCatalogueReporter } from './reporter.js';
export type { CatalogueSidecar } from './sidecar.js';
export { discoverRepos, listGitea, listGitHub } from './sources/index.js';
export type * from './types.js';
