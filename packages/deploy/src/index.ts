/**
 * @galley/deploy — a thin, trustworthy deploy of a recipe to Docker Swarm:
 * app env file → recipe at a version → lint gate → rendered stack → lock →
 * configs check → secrets → `docker stack deploy` → convergence → rollback.
 * Every swarm operation goes through the `docker` CLI.
 */
export { type AppEnv, parseAppEnv, readAppEnv } from './app-env.js';
export {
  type AppSecrets,
  type GenerateOutcome,
  generateAppSecrets,
  insertAppSecret,
  listAppSecrets,
  openAppSecrets,
  type RemoveRequest,
  removeAppSecrets,
  type SecretListing,
  secretAt,
} from './app-secrets.js';
export { type ConfigCheck, checkConfigs } from './configs.js';
export {
  type ConvergenceResult,
  evaluateService,
  healthBudgetSeconds,
  type ServicePhase,
  type ServiceProgress,
  type WatchOptions,
  watchConvergence,
} from './converge.js';
export { type DeployOptions, deploy, type PreparedDeploy, prepareDeploy, type ResolveImage } from './deploy.js';
export { DockerCli, type DockerCliOptions, type DockerResult, type DockerRunOptions } from './docker.js';
export { assertLintClean, formatFinding, GATE_PRESETS, type LintGateResult, lintGate } from './lint-gate.js';
export { type AppLock, acquireLock, describeHolder, type LockHolder, type LockOptions, lockDir, swarmLockName } from './lock.js';
export { createReporter, type DeployReporter, formatProgressTable, type ReporterStream, silentReporter } from './progress.js';
export { type AppStatus, appStatus, formatAppStatus, type ServiceStatus } from './ps.js';
export { defaultAbraDir, type LocatedRecipe, locateRecipe, type RecipeLocation } from './recipe-locator.js';
export {
  DEFAULT_TIMEOUT_SECONDS,
  escapeDollars,
  MAX_OBJECT_NAME_LENGTH,
  type RenderedStack,
  type RenderOptions,
  renderStack,
  resolveAppStack,
  type StackObject,
  stackObjects,
} from './render.js';
export { type DeployOutcome, type DeployResult, type FailedService, formatDeployResult, type RollbackReport, type SecretReport } from './report.js';
export { planRollback, type RollbackPlan, type StackSnapshot, snapshotStack } from './rollback.js';
export {
  CHARSET_NAMES,
  checkObjectName,
  describeSource,
  generateSecretValue,
  manualSecretsError,
  PASSPHRASE_WORDS,
  planSecrets,
  type SecretPlan,
  type SecretSource,
  secretSource,
} from './secrets.js';
export { type DeployedVersion, deployedVersion, describeVersion, type SwarmService, type Task, type UpdateState, versionFromLabels } from './swarm-state.js';
export { type UndeployOptions, type UndeployResult, undeploy } from './undeploy.js';
