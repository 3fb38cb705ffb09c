import { EXIT, GalleyError } from '@galley/platform';
import type { Stack } from '@galley/recipe';
import { type AppEnv, readAppEnv } from './app-env.js';
import { checkConfigs } from './configs.js';
import { type ServiceProgress, type WatchOptions, watchConvergence } from './converge.js';
import { cleanStderr, DockerCli } from './docker.js';
import { runningImages } from './images.js';
import { assertLintClean } from './lint-gate.js';
import { type AppLock, acquireLock } from './lock.js';
import { type DeployReporter, silentReporter } from './progress.js';
import { type MaterialisedFiles, materialiseFiles } from './recipe-files.js';
import { type LocatedRecipe, locateRecipe, type RecipeLocation } from './recipe-locator.js';
import { type RenderedStack, renderStack, resolveAppStack } from './render.js';
import type { DeployResult, FailedService, RollbackReport, SecretReport } from './report.js';
import { planRollback, rollBack, type StackSnapshot, snapshotStack } from './rollback.js';
import {
  checkObjectName,
  createSecret,
  describeSource,
  generateSecretValue,
  manualSecretsError,
  planSecrets,
  type SecretPlan,
  swarmSecretNames,
} from './secrets.js';
import { deployedVersion, describeVersion, inspectServices, serviceTasks, shortName, stackServiceNames, stackServices } from './swarm-state.js';

export type ResolveImage = 'always' | 'changed' | 'never';

export interface DeployOptions extends RecipeLocation {
  /** The app's env file. */
  appEnvFile: string;
  /** Deploy over a running deployment of the app. */
  force?: boolean;
  /** Seconds to wait for convergence (default: the recipe's timeout label, else 300). */
  timeoutSeconds?: number;
  /** Return once `docker stack deploy` has sent the stack. */
  noWait?: boolean;
  /** Render and check only; change nothing. */
  dryRun?: boolean;
  /** Leave a failed deploy as it is. */
  noRollback?: boolean;
  /** `docker stack deploy --resolve-image` (default never: images are used as named, as the swarm finds them). */
  resolveImage?: ResolveImage;
  docker?: DockerCli;
  reporter?: DeployReporter;
  signal?: AbortSignal;
  /** Folder of the lock files (default: lockDir()). */
  lockDir?: string;
  /** Also lock in the swarm (default true). */
  swarmLock?: boolean;
}

/** Exit code of an interrupted deploy (128 + SIGINT). */

/** Everything up to rendering: no docker, no changes. */
export interface PreparedDeploy {
  app: AppEnv;
  located: LocatedRecipe;
  stack: Stack;
  rendered: RenderedStack;
  warnings: string[];
}

/** Reads the app env file, finds the recipe at its version, runs the lint gate and renders the stack. */
export async function prepareDeploy(options: DeployOptions, renderBaseDir?: (located: LocatedRecipe) => string | undefined): Promise<PreparedDeploy> {
  const app = await readAppEnv(options.appEnvFile);
  const located = await locateRecipe(app, options);
  try {
    const warnings: string[] = [];
    if (located.chaosReason) warnings.push(located.chaosReason);
    const gate = await assertLintClean(located);
    for (const c of gate.crashes) warnings.push(`lint rule ${c.ruleId} crashed (not blocking): ${c.message}`);
    const stack = resolveAppStack(located, app);
    const baseDir = renderBaseDir ? renderBaseDir(located) : located.workTree;
    const rendered = renderStack(stack, located, app, baseDir ? { baseDir } : {});
    return { app, located, stack, rendered, warnings };
  } catch (error) {
    await located.dispose();
    throw error;
  }
}

function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

function baseResult(prepared: PreparedDeploy): DeployResult {
  const { rendered, located } = prepared;
  const result: DeployResult = {
    outcome: 'failed',
    exitCode: 1,
    stack: rendered.stackName,
    recipe: rendered.recipe,
    source: located.label,
    chaos: rendered.chaos,
    secrets: [],
    configsToCreate: [],
    images: [],
    services: [],
    failures: [],
    warnings: [...prepared.warnings],
    elapsedMs: 0,
  };
  if (rendered.version) result.version = rendered.version;
  if (rendered.chaosVersion) result.chaosVersion = rendered.chaosVersion;
  return result;
}

function secretReports(plans: readonly SecretPlan[], wouldCreate: boolean): SecretReport[] {
  return plans.map((p) => ({
    key: p.key,
    name: p.name,
    state: p.exists ? 'exists' : p.source.kind === 'manual' ? 'missing-manual' : wouldCreate ? 'would-create' : 'created',
    how: describeSource(p.source),
  }));
}

/**
 * `galley deploy`: app env → recipe at a version → lint gate → render →
 * lock → configs check → secrets → `docker stack deploy` → convergence →
 * rollback on failure → report. Unusable input throws a GalleyError
 * (exit 2); a deploy that fails returns a result with exit code 1.
 */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const started = Date.now();
  const docker = options.docker ?? new DockerCli();
  const reporter = options.reporter ?? silentReporter;
  if (options.dryRun) return dryRun(options, docker, started);

  let materialised: MaterialisedFiles | undefined;
  const prepared = await prepareDeploy(options);
  const { app, located, rendered } = prepared;
  let lock: AppLock | undefined;
  const secretValues: string[] = [];
  const redact = (line: string) => secretValues.reduce((l, v) => (v.length >= 4 ? l.split(v).join('[secret]') : l), line);
  const stopIfInterrupted = () => {
    if (options.signal?.aborted) throw new GalleyError('interrupted', 'interrupted before anything was changed in the swarm', { exitCode: EXIT.INTERRUPTED });
  };
  try {
    for (const w of prepared.warnings) reporter.warn(w);
    const result = baseResult(prepared);
    stopIfInterrupted();
    for (const s of [...rendered.secrets, ...rendered.configs]) checkObjectName(s);

    const timeout = options.timeoutSeconds ?? rendered.timeoutSeconds;
    lock = await acquireLock(rendered.stackName, {
      command: 'deploy',
      expiresInSeconds: timeout * 3 + 600,
      ...(options.swarmLock === false ? {} : { docker }),
      ...(options.lockDir ? { dir: options.lockDir } : {}),
      onTakeover: (m) => reporter.warn(m),
    });

    // What runs, which configs and secrets exist: read at once (each is a docker CLI round trip), then judged in order.
    const [snapshot, configCheck, secretNames] = await Promise.allSettled([
      snapshotStack(docker, rendered.stackName),
      checkConfigs(docker, rendered.configs, located.recipe),
      swarmSecretNames(docker),
    ]);
    const before = settled(snapshot);
    if (before.version) result.previous = before.version;
    if (before.services.size && !options.force) {
      throw new GalleyError(
        'already-deployed',
        `${rendered.stackName} is already deployed (${describeVersion(before.version)}); deploying ${rendered.version ?? 'the recipe'} replaces it: run again with --force`,
        { exitCode: 2 },
      );
    }
    result.configsToCreate = settled(configCheck).toCreate;
    const plans = planSecrets(rendered.secrets, app.env, settled(secretNames));
    const manual = manualSecretsError(plans, app.file);
    if (manual) throw manual;

    stopIfInterrupted();
    for (const plan of plans) {
      if (plan.exists || plan.source.kind === 'manual') continue;
      const value = generateSecretValue(plan.source);
      // Kept in memory for this run only, to redact it from log lines shown on failure.
      secretValues.push(value);
      await createSecret(docker, plan.name, value);
      reporter.step(`created secret ${plan.name} (${describeSource(plan.source)})`);
    }
    result.secrets = secretReports(plans, false);

    if (!located.workTree && rendered.files.length) {
      materialised = await materialiseFiles(located.recipe, rendered.files);
    }
    const baseDir = located.workTree ?? materialised?.dir;
    // A work tree was rendered against its own folder already; a recipe from git against the files just written out.
    const compose = materialised ? renderStack(prepared.stack, located, app, { baseDir: materialised.dir }).compose : rendered.compose;

    stopIfInterrupted();
    reporter.step(
      `deploying ${rendered.recipe} ${rendered.version ?? ''}${rendered.chaos ? ` (chaos ${rendered.chaosVersion})` : ''} as ${rendered.stackName}`.replace(
        / {2,}/g,
        ' ',
      ),
    );
    const sent = await docker.run(['stack', 'deploy', '--compose-file', '-', '--resolve-image', options.resolveImage ?? 'never', rendered.stackName], {
      input: compose,
      timeoutMs: 300_000,
      ...(baseDir ? { cwd: baseDir } : {}),
    });
    for (const line of sent.stdout.split('\n')) if (line.trim()) reporter.step(`  ${line.trim()}`);
    if (sent.code !== 0) {
      const error = docker.failure(['stack', 'deploy'], sent);
      if (error.code === 'docker-unreachable') throw error;
      result.failures.push({ name: rendered.stackName, reason: `docker stack deploy failed: ${cleanStderr(sent.stderr) || sent.stdout.trim()}`, logs: [] });
      result.rollback = await rollBackIfNeeded(docker, before, result, options, timeout, reporter);
      result.elapsedMs = Date.now() - started;
      return result;
    }

    const names = rendered.services.map((s) => `${rendered.stackName}_${s}`);
    if (options.noWait) {
      result.outcome = 'sent';
      result.exitCode = 0;
      result.images = await runningImages(docker, await inspectServices(docker, names), rendered.stackName);
      result.elapsedMs = Date.now() - started;
      return result;
    }

    const watch: WatchOptions = {
      services: names,
      stack: rendered.stackName,
      timeoutSeconds: timeout,
      startedAt: Date.now(),
      knownTaskIds: before.taskIds,
      previousUpdateStart: new Map([...before.services].map(([name, s]) => [name, s.UpdateStatus?.StartedAt])),
      onProgress: (services) => reporter.progress(`waiting for ${rendered.stackName} to converge`, services),
    };
    if (options.signal) watch.signal = options.signal;
    const converged = await watchConvergence(docker, watch);
    reporter.endProgress();
    result.services = converged.services;
    if (converged.interrupted) {
      result.outcome = 'interrupted';
      result.exitCode = EXIT.INTERRUPTED;
      result.elapsedMs = Date.now() - started;
      return result;
    }
    if (converged.ok) {
      result.outcome = 'converged';
      result.exitCode = 0;
      result.images = await runningImages(docker, converged.inspected, rendered.stackName, converged.tasks);
      result.elapsedMs = Date.now() - started;
      return result;
    }
    result.failures = await describeFailures(docker, converged.services, before.taskIds, redact);
    result.rollback = await rollBackIfNeeded(docker, before, result, options, timeout, reporter);
    result.elapsedMs = Date.now() - started;
    return result;
  } finally {
    secretValues.length = 0;
    await lock?.release().catch(() => undefined);
    await materialised?.dispose().catch(() => undefined);
    await located.dispose();
  }
}

async function rollBackIfNeeded(
  docker: DockerCli,
  before: StackSnapshot,
  result: DeployResult,
  options: DeployOptions,
  timeout: number,
  reporter: DeployReporter,
): Promise<RollbackReport> {
  const report: RollbackReport = { attempted: false, ok: false, rolledBack: [], removed: [], swarmRolledBack: [], note: '' };
  if (!before.services.size) {
    report.note = `nothing to roll back to: this was the first deploy of ${result.stack}; it is left as it is (remove it with galley undeploy)`;
    return report;
  }
  if (options.noRollback) {
    report.note = `not rolled back (--no-rollback): ${result.stack} is left as the failed deploy made it`;
    return report;
  }
  const plan = planRollback(before, await stackServices(docker, result.stack));
  if (!plan.rollback.length && !plan.remove.length && !plan.swarmRolledBack.length) {
    report.note = `nothing to roll back: this deploy changed no service of ${result.stack} (it already ran this spec, ${describeVersion(before.version)})`;
    return report;
  }
  reporter.step(`rolling ${result.stack} back to ${describeVersion(before.version)}`);
  const rollbackOptions: Parameters<typeof rollBack>[2] = {
    stack: result.stack,
    timeoutSeconds: timeout,
    onProgress: (services: ServiceProgress[]) => reporter.progress(`rolling ${result.stack} back`, services),
  };
  if (options.signal) rollbackOptions.signal = options.signal;
  const outcome = await rollBack(docker, before, rollbackOptions);
  reporter.endProgress();
  report.attempted = true;
  report.ok = outcome.ok;
  const short = (names: string[]) => names.map((n) => shortName(n, result.stack));
  report.rolledBack = short(outcome.plan.rollback);
  report.removed = short(outcome.plan.remove);
  report.swarmRolledBack = short(outcome.plan.swarmRolledBack);
  if (outcome.version) report.version = outcome.version;
  if (!outcome.ok) {
    const stuck = outcome.services.filter((s) => s.phase !== 'converged').map((s) => `${s.name}: ${s.detail}`);
    report.note = outcome.interrupted
      ? 'interrupted while rolling back'
      : `the rollback did not converge (${stuck.join('; ') || 'unknown state'}); check with galley ps`;
  }
  return report;
}

/** Reason, last task error and last log lines of each failed service. */
async function describeFailures(
  docker: DockerCli,
  services: readonly ServiceProgress[],
  knownTaskIds: ReadonlySet<string>,
  redact: (line: string) => string,
): Promise<FailedService[]> {
  const failed = services.filter((s) => s.phase === 'failed');
  return Promise.all(
    failed.map(async (s) => {
      const entry: FailedService = { name: s.name, reason: s.reason ?? s.detail, logs: [] };
      // After a swarm rollback the failed tasks are no longer of the current spec: look at every task this deploy made.
      const lastError = s.lastError ?? (await serviceTasks(docker, [s.service]).catch(() => [])).find((t) => t.error && !knownTaskIds.has(t.id))?.error;
      if (lastError) entry.lastError = redact(lastError);
      const logs = await docker
        .run(['service', 'logs', '--tail', '20', '--no-task-ids', s.service], { timeoutMs: 15_000 })
        .catch(() => ({ code: 1, stdout: '', stderr: '' }));
      entry.logs = `${logs.stdout}${logs.stderr}`
        .split('\n')
        .map((l) => l.trimEnd())
        .filter((l) => l && !/^error from daemon in stream/i.test(l))
        .slice(-20)
        .map(redact);
      return entry;
    }),
  );
}

async function dryRun(options: DeployOptions, docker: DockerCli, started: number): Promise<DeployResult> {
  const prepared = await prepareDeploy(options);
  try {
    const { app, located, rendered } = prepared;
    const result = baseResult(prepared);
    result.outcome = 'dry-run';
    result.exitCode = 0;
    result.compose = rendered.compose;
    for (const s of [...rendered.secrets, ...rendered.configs]) checkObjectName(s);
    let existing: Set<string> | undefined;
    try {
      existing = await swarmSecretNames(docker);
    } catch (error) {
      if (!(error instanceof GalleyError)) throw error;
      result.warnings.push(`cannot ask the swarm which secrets and configs exist (${error.message}); listing every secret`);
    }
    const plans = planSecrets(rendered.secrets, app.env, existing ?? new Set());
    result.secrets = secretReports(plans, true);
    if (existing) {
      const configs = await checkConfigs(docker, rendered.configs, located.recipe);
      result.configsToCreate = configs.toCreate;
      const before = await inspectServices(docker, await stackServiceNames(docker, rendered.stackName));
      if (before.length) {
        const previous = deployedVersion(before, rendered.stackName);
        if (previous) result.previous = previous;
        if (!options.force) result.warnings.push(`${rendered.stackName} is already deployed (${describeVersion(previous)}): a real deploy needs --force`);
      }
    }
    result.elapsedMs = Date.now() - started;
    return result;
  } finally {
    await prepared.located.dispose();
  }
}
