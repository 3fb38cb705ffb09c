/**
 * @galley/deploy — a thin, trustworthy deploy of a recipe to Docker Swarm:
 * app env file → recipe at a version → lint gate → rendered stack → lock →
 * configs check → secrets → `docker stack deploy` → convergence → rollback.
 * Every swarm operation goes through the `docker` CLI.
 */
export { readAppEnv, parseAppEnv, type AppEnv } from './app-env.js';
export { DockerCli, type DockerCliOptions, type DockerResult, type DockerRunOptions } from './docker.js';
export { locateRecipe, defaultAbraDir, type LocatedRecipe, type RecipeLocation } from './recipe-locator.js';
export { lintGate, assertLintClean, formatFinding, GATE_PRESETS, type LintGateResult } from './lint-gate.js';
export {
  renderStack,
  resolveAppStack,
  stackObjects,
  escapeDollars,
  DEFAULT_TIMEOUT_SECONDS,
  MAX_OBJECT_NAME_LENGTH,
  type RenderedStack,
  type StackObject,
  type RenderOptions,
} from './render.js';
export {
  secretSource,
  generateSecretValue,
  describeSource,
  planSecrets,
  checkObjectName,
  manualSecretsError,
  CHARSET_NAMES,
  PASSPHRASE_WORDS,
  type SecretSource,
  type SecretPlan,
} from './secrets.js';
export { checkConfigs, type ConfigCheck } from './configs.js';
export { acquireLock, lockDir, swarmLockName, describeHolder, type AppLock, type LockHolder, type LockOptions } from './lock.js';
export {
  watchConvergence,
  evaluateService,
  healthBudgetSeconds,
  type ServiceProgress,
  type ServicePhase,
  type ConvergenceResult,
  type WatchOptions,
} from './converge.js';
export { planRollback, snapshotStack, type RollbackPlan, type StackSnapshot } from './rollback.js';
export { createReporter, formatProgressTable, silentReporter, type DeployReporter, type ReporterStream } from './progress.js';
export { formatDeployResult, type DeployResult, type DeployOutcome, type FailedService, type RollbackReport, type SecretReport } from './report.js';
export { deploy, prepareDeploy, EXIT_INTERRUPTED, type DeployOptions, type PreparedDeploy, type ResolveImage } from './deploy.js';
export { undeploy, type UndeployOptions, type UndeployResult } from './undeploy.js';
export { appStatus, formatAppStatus, type AppStatus, type ServiceStatus } from './ps.js';
export {
  openAppSecrets,
  listAppSecrets,
  generateAppSecrets,
  insertAppSecret,
  removeAppSecrets,
  secretAt,
  type AppSecrets,
  type SecretListing,
  type GenerateOutcome,
  type RemoveRequest,
} from './app-secrets.js';
export { deployedVersion, describeVersion, versionFromLabels, type DeployedVersion, type SwarmService, type Task, type UpdateState } from './swarm-state.js';
