/**
 * @galley/deploy — a thin, trustworthy deploy of a recipe to Docker Swarm:
 * app env file → its server → recipe at a release → env check → lint gate →
 * rendered stack → overview → lock → checks → secrets → `docker stack
 * deploy` → convergence with a stability window → post-deploy commands →
 * rollback. Every swarm operation goes through @galley/platform/docker.
 */
export { type AppSecrets, generateAppSecrets, insertAppSecret, listAppSecrets, openAppSecrets, removeAppSecrets } from './app-secrets.js';
export { type DeployOptions, deploy, type ResolveImage } from './deploy.js';
export { type EnvCheckResult, envCheck } from './env-check.js';
export { type EnvNewOptions, type EnvNewResult, newAppEnv } from './env-new.js';
export { type AppLogLine, appLogs, type LogsOptions, type RestartOptions, type RestartResult, type RunOptions, restartApp, runInApp } from './operations.js';
export type { LintLevel } from './operator-config.js';
export { createReporter as createDeployReporter, type DeployReporter, silentReporter } from './progress.js';
export { type AppStatus, appStatus, formatAppStatus } from './ps.js';
export type { RecipeLocation } from './recipe-locator.js';
export { type DeployOverview, type DeployResult, formatDeployResult } from './report.js';
export { describeSource } from './secrets.js';
export { openServer as openServerOf } from './server.js';
export { type UndeployOptions, type UndeployResult, undeploy } from './undeploy.js';
