import { EXIT, GalleyError, isGalleyError, visible } from '@galley/platform';
import type { Docker } from '@galley/platform/docker';
import { checkAppEnv, formatEnvProblems, type Stack } from '@galley/recipe';
import { type AppEnv, readAppEnv, recordDeployedVersion } from './app-env.js';
import { checkConfigs, pruneConfigs } from './configs.js';
import { DEFAULT_STABILITY_SECONDS, describeDeadlines, type ServiceProgress, type WatchOptions, watchConvergence } from './converge.js';
import { describeFailures } from './diagnose.js';
import { runningImages } from './images.js';
import { assertLintClean, type LintGateOptions } from './lint-gate.js';
import { type AppLock, acquireLock } from './lock.js';
import { type LintLevel, readOperatorConfig } from './operator-config.js';
import { type PostCommand, postCommands, runPostCommands } from './post-deploy.js';
import { type DeployReporter, silentReporter } from './progress.js';
import { type MaterialisedFiles, materialiseFiles } from './recipe-files.js';
import { type LocatedRecipe, locateRecipe, type RecipeLocation } from './recipe-locator.js';
import { type RenderedStack, renderStack, resolveAppStack, stackObjects } from './render.js';
import type { DeployOverview, DeployResult, RollbackReport, SecretReport } from './report.js';
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
import { openServer } from './server.js';
import { type DeployedVersion, describeVersion, shortName } from './swarm-state.js';
import { missingSettingsError, type UpgradeNotes, upgradeNotes } from './upgrade.js';

export type ResolveImage = 'always' | 'changed' | 'never';

export interface DeployOptions extends RecipeLocation {
  /** The app's env file. */
  appEnvFile: string;
  /** `--context NAME`: the docker context, over the app's servers folder. */
  context?: string;
  /** Deploy over a running deployment of the app. */
  force?: boolean;
  /** Seconds to wait for convergence (default: the recipe's timeout label, else 300). */
  timeoutSeconds?: number;
  /** Seconds a service without a healthcheck must stay up (default 10, or the operator's config). */
  stabilitySeconds?: number;
  /** Return once `docker stack deploy` has sent the stack. */
  noWait?: boolean;
  /** Render and check only; change nothing. */
  dryRun?: boolean;
  /** Leave a failed deploy as it is. */
  noRollback?: boolean;
  /** Which lint findings block (default: the operator's config, else error). */
  lintLevel?: LintLevel;
  /** `docker stack deploy --resolve-image` (default never: images are used as named, as the swarm finds them). */
  resolveImage?: ResolveImage;
  /** Asked with the overview before anything changes; false cancels. Absent: go on (--yes, or no terminal). */
  confirm?: (overview: DeployOverview) => Promise<boolean>;
  docker?: Docker;
  reporter?: DeployReporter;
  signal?: AbortSignal;
  /** Folder of the lock files (default: lockDir()). */
  lockDir?: string;
  /** Also lock in the swarm (default true). */
  swarmLock?: boolean;
}

/** Everything up to rendering: no docker, no changes. */
export interface PreparedDeploy {
  app: AppEnv;
  located: LocatedRecipe;
  stack: Stack;
  rendered: RenderedStack;
  /** What changes since the deployed release (upgrades and downgrades). */
  upgrade?: UpgradeNotes;
  warnings: string[];
}

/** What prepareDeploy may be given: the app env already read, the version the swarm runs. */
export interface PrepareContext {
  app?: AppEnv;
  deployed?: DeployedVersion;
}

/**
 * Reads the app env file, finds the recipe at its version, compares it with
 * the deployed release, checks the env (an upgrade lacking a setting the
 * newer version requires is refused naming the `.env.sample` lines to add),
 * runs the lint gate and renders the stack.
 */
export async function prepareDeploy(options: DeployOptions, lint: LintGateOptions = {}, context: PrepareContext = {}): Promise<PreparedDeploy> {
  const app = context.app ?? (await readAppEnv(options.appEnvFile));
  const located = await locateRecipe(app, options);
  try {
    const warnings: string[] = [];
    if (located.note) warnings.push(located.note);
    const stack = resolveAppStack(located, app);
    const upgrade = await upgradeNotes(located, app, context.deployed);
    const envCheck = checkAppEnv(located.recipe, app.env, stack);
    if (envCheck.errors.length) {
      const missing = upgrade?.diff && missingSettingsError(upgrade.diff, app, located, envCheck.errors);
      if (missing) throw missing;
      throw new GalleyError(
        'env-check',
        `${visible(app.file)} does not match recipe ${visible(located.recipe.name)} (${visible(located.label)}): fix it, then deploy again (galley env check lists the same):\n${formatEnvProblems(envCheck.errors)}`,
        { exitCode: 2 },
      );
    }
    for (const w of envCheck.warnings) warnings.push(w.message);
    // What the app deploys: its compose files, the files its configs and secrets read, abra.sh.
    const objectFiles = [...stackObjects(stack, 'configs'), ...stackObjects(stack, 'secrets')].flatMap((o) => (o.file ? [o.file] : []));
    const files = [...stack.composeFiles, ...objectFiles, ...(located.recipe.abraSh ? [located.recipe.abraSh.file] : [])];
    const gate = await assertLintClean(located, { ...lint, files });
    for (const c of gate.crashes) warnings.push(`lint rule ${c.ruleId} crashed (not blocking): ${c.message}`);
    const rendered = renderStack(stack, located, app, located.workTree ? { baseDir: located.workTree } : {});
    return { app, located, stack, rendered, warnings, ...(upgrade ? { upgrade: upgrade.notes } : {}) };
  } catch (error) {
    await located.dispose();
    throw error;
  }
}

function baseResult(prepared: PreparedDeploy, docker: Docker): DeployResult {
  const { rendered, located } = prepared;
  const result: DeployResult = {
    outcome: 'failed',
    exitCode: 1,
    server: docker.describe(),
    stack: rendered.stackName,
    recipe: rendered.recipe,
    source: located.label,
    chaos: rendered.chaos,
    secrets: [],
    configsToCreate: [],
    images: [],
    services: [],
    failures: [],
    removedServices: [],
    prunedConfigs: [],
    postCommands: [],
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

/** Images that change: service → [now, then] (then absent for new services). */
function imageChanges(rendered: RenderedStack, before: StackSnapshot): DeployOverview['images'] {
  const out: DeployOverview['images'] = [];
  for (const service of rendered.services) {
    const now = rendered.images[service] ?? '';
    const was = before.services.get(`${rendered.stackName}_${service}`)?.Spec.TaskTemplate?.ContainerSpec?.Image?.replace(/@sha256:.*$/, '');
    if (was !== now) out.push(was === undefined ? { service, to: now } : { service, from: was, to: now });
  }
  return out;
}

/**
 * `galley deploy`: app env → server → recipe at a release → env check →
 * lint gate → render → overview → lock → checks (configs, networks,
 * secrets) → `docker stack deploy --prune` → convergence (stability
 * window) → post-deploy commands → rollback on failure → report. Unusable
 * input throws a GalleyError (exit 2) before anything changes; once the
 * stack was sent, every failure is a result with exit code 1.
 */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const started = Date.now();
  const reporter = options.reporter ?? silentReporter;
  const stopIfInterrupted = () => {
    if (options.signal?.aborted) throw new GalleyError('interrupted', 'interrupted before anything was changed in the swarm', { exitCode: EXIT.INTERRUPTED });
  };
  const operator = await readOperatorConfig();
  const lint: LintGateOptions = { rules: operator.lint.rules };
  const level = options.lintLevel ?? operator.lint.level;
  if (level) lint.level = level;
  const stability = options.stabilitySeconds ?? operator.stability ?? DEFAULT_STABILITY_SECONDS;
  // Dropped connections retried: shown as they happen, and kept in the result (--json).
  const retried: string[] = [];
  const docker = await openServer(options.appEnvFile, {
    ...(options.docker ? { docker: options.docker } : {}),
    ...(options.context ? { context: options.context } : {}),
    onRetry: (m) => {
      retried.push(m);
      reporter.warn(m);
    },
  });
  const finish = (result: DeployResult): DeployResult => {
    result.warnings.push(...retried);
    result.docker = docker.stats();
    return result;
  };
  stopIfInterrupted();
  // The version the swarm runs, read before the env check: an upgrade is judged by what the newer version adds.
  // Until the run's own try below, a failure closes the connection the read opened.
  const closeAndThrow = (error: unknown): never => {
    if (!options.docker) docker.close();
    throw error;
  };
  const app = await readAppEnv(options.appEnvFile).catch(closeAndThrow);
  const deployed = await snapshotStack(docker, app.stackName).then(
    (s) => s.version,
    () => undefined,
  );
  const prepared = await prepareDeploy(options, lint, { app, ...(deployed ? { deployed } : {}) }).catch(closeAndThrow);
  const { located, rendered } = prepared;
  let lock: AppLock | undefined;
  let materialised: MaterialisedFiles | undefined;
  const secretValues: string[] = [];
  const redact = (line: string) => secretValues.reduce((l, v) => (v.length >= 4 ? l.split(v).join('[secret]') : l), line);
  try {
    stopIfInterrupted();
    if (options.dryRun) return finish(await dryRun(options, docker, prepared, started));
    for (const w of prepared.warnings) reporter.warn(w);
    const result = baseResult(prepared, docker);
    for (const s of [...rendered.secrets, ...rendered.configs]) checkObjectName(s);
    await docker.assertManager();

    const timeout = options.timeoutSeconds ?? rendered.timeoutSeconds;
    lock = await acquireLock(rendered.stackName, {
      command: 'deploy',
      ...(options.swarmLock === false ? {} : { docker }),
      ...(options.lockDir ? { dir: options.lockDir } : {}),
      onTakeover: (m) => reporter.warn(m),
    });
    stopIfInterrupted();

    // What runs, which configs, secrets and networks exist: read first, judged in order, before any change.
    const before = await snapshotStack(docker, rendered.stackName);
    if (before.version) result.previous = before.version;
    if (prepared.upgrade && before.version?.version !== deployed?.version) {
      const moved = `${rendered.stackName} changed while galley prepared (it ran ${describeVersion(deployed)}, now ${describeVersion(before.version)}): the upgrade notes compare with the former`;
      result.warnings.push(moved);
      reporter.warn(moved);
    }
    if (before.services.size && !options.force) {
      throw new GalleyError(
        'already-deployed',
        `${rendered.stackName} is already deployed (${describeVersion(before.version)}) on ${docker.describe()}; deploying ${rendered.version ?? 'the recipe'} replaces it: run again with --force`,
        { exitCode: 2 },
      );
    }
    const upgrade = Boolean(before.services.size && before.version?.version !== rendered.version);
    const commands: PostCommand[] = postCommands(app.env, located.recipe.abraSh, rendered.services, upgrade);
    result.configsToCreate = (await checkConfigs(docker, rendered.configs, located.recipe)).toCreate;
    await checkNetworks(docker, rendered);
    const plans = planSecrets(rendered.secrets, app.env, await swarmSecretNames(docker));
    const manual = manualSecretsError(plans, app.file);
    if (manual) throw manual;

    const overview: DeployOverview = {
      server: docker.describe(),
      app: `${app.domain} (stack ${rendered.stackName})`,
      from: before.services.size ? describeVersion(before.version) : 'not deployed',
      to: `${rendered.recipe} ${describeVersion({ ...(rendered.version ? { version: rendered.version } : {}), chaos: rendered.chaos, ...(rendered.chaosVersion ? { chaosVersion: rendered.chaosVersion } : {}) })}`,
      chaos: rendered.chaos,
      images: imageChanges(rendered, before),
      secretsToCreate: plans.filter((p) => !p.exists && p.source.kind !== 'manual').map((p) => p.name),
      servicesToRemove: [...before.services.keys()].filter((n) => !rendered.services.includes(shortName(n, rendered.stackName))),
    };
    if (prepared.upgrade) {
      const added = new Set(prepared.upgrade.newSecrets);
      overview.upgrade = {
        ...prepared.upgrade,
        generated: plans.filter((p) => added.has(p.key) && !p.exists && p.source.kind !== 'manual').map((p) => p.name),
      };
    }
    result.overview = overview;
    reporter.overview(overview);
    if (options.confirm && !(await options.confirm(overview))) {
      throw new GalleyError('deploy-cancelled', 'not deployed: cancelled at the overview; nothing was changed', { exitCode: EXIT.FAILED });
    }

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

    if (!located.workTree && rendered.files.length) materialised = await materialiseFiles(located.recipe, rendered.files);
    const baseDir = located.workTree ?? materialised?.dir;
    // A work tree was rendered against its own folder already; a recipe from git against the files just written out.
    const compose = materialised ? renderStack(prepared.stack, located, app, { baseDir: materialised.dir }).compose : rendered.compose;

    stopIfInterrupted();
    reporter.step(`deploying ${overview.to} as ${rendered.stackName} on ${docker.describe()}`);
    const waitStart = Date.now();
    const sent = await docker.stackDeploy(rendered.stackName, compose, {
      prune: true,
      resolveImage: options.resolveImage ?? 'never',
      ...(baseDir ? { cwd: baseDir } : {}),
    });
    for (const line of sent.stdout.split('\n')) {
      const removed = /^Removing service (\S+)/.exec(line.trim());
      if (removed) result.removedServices.push(shortName(removed[1]!, rendered.stackName));
      if (line.trim()) reporter.step(`  ${line.trim()}`);
    }
    if (sent.code !== 0 && (options.signal?.aborted || sent.signal === 'SIGINT')) {
      // Ctrl-C reached `docker stack deploy` too (it can, in the moment between its start and its own
      // process group): the swarm has what it had sent so far, and goes on with it.
      result.outcome = 'interrupted';
      result.exitCode = EXIT.INTERRUPTED;
      result.elapsedMs = Date.now() - started;
      return finish(result);
    }
    if (sent.code !== 0) {
      const error = docker.failure(['stack', 'deploy'], sent);
      result.failures.push({ name: rendered.stackName, reason: error.message, logs: [] });
      result.rollback = await rollBackIfNeeded(docker, before, result, options, timeout, reporter);
      result.elapsedMs = Date.now() - started;
      return finish(result);
    }

    const names = rendered.services.map((s) => `${rendered.stackName}_${s}`);
    if (options.noWait) {
      result.outcome = 'sent';
      result.exitCode = 0;
      result.elapsedMs = Date.now() - started;
      return finish(result);
    }

    const watch: WatchOptions = {
      services: names,
      stack: rendered.stackName,
      timeoutSeconds: timeout,
      stabilitySeconds: stability,
      startedAt: waitStart,
      previousUpdateStart: new Map([...before.services].map(([name, s]) => [name, s.UpdateStatus?.StartedAt])),
      onProgress: (services) => {
        if (result.deadlineSeconds === undefined) {
          result.deadlineSeconds = Math.max(0, ...services.map((s) => (s.budgetSeconds ?? 0) + (s.windowSeconds ?? 0)));
          reporter.step(`${describeDeadlines(services)} for ${rendered.stackName} to converge (${deadlineWhy(services, timeout, stability)})`);
        }
        reporter.progress(`waiting for ${rendered.stackName} to converge`, services);
      },
    };
    if (options.signal) watch.signal = options.signal;
    const converged = await watchConvergence(docker, watch);
    reporter.endProgress();
    result.services = converged.services;
    if (converged.interrupted) {
      result.outcome = 'interrupted';
      result.exitCode = EXIT.INTERRUPTED;
      result.elapsedMs = Date.now() - started;
      return finish(result);
    }
    if (converged.lostContact) {
      result.lostContact = converged.lostContact;
      result.failures.push({ name: rendered.stackName, reason: `lost contact with the server while waiting: ${converged.lostContact}`, logs: [] });
      result.elapsedMs = Date.now() - started;
      return finish(result);
    }
    if (converged.ok) {
      if (commands.length) {
        result.postCommands = await runPostCommands(docker, rendered.stackName, converged.inspected, located.recipe.abraSh!, commands, (m) => reporter.step(m));
        const failed = result.postCommands.find((c) => !c.ok);
        if (failed) {
          result.failures.push({
            name: failed.command.split(' ')[0]!,
            reason: `post-deploy command ${failed.command} failed (exit code ${failed.exitCode}); the new version runs and was not rolled back`,
            logs: failed.output.map(redact),
          });
          result.elapsedMs = Date.now() - started;
          return finish(result);
        }
      }
      result.outcome = 'converged';
      result.exitCode = 0;
      result.images = await runningImages(docker, converged.inspected, rendered.stackName, converged.tasks);
      result.prunedConfigs = await pruneConfigs(docker, rendered.stackName, converged.inspected).catch(() => []);
      if (rendered.version && !rendered.chaos && (await recordDeployedVersion(app, rendered.version).catch(() => false))) {
        result.recorded = `${app.recipe}:${rendered.version}`;
      }
      result.elapsedMs = Date.now() - started;
      return finish(result);
    }
    result.failures = await describeFailures(docker, converged.services, redact);
    result.rollback = await rollBackIfNeeded(docker, before, result, options, timeout, reporter);
    result.elapsedMs = Date.now() - started;
    return finish(result);
  } finally {
    secretValues.length = 0;
    await lock?.release().catch(() => undefined);
    await materialised?.dispose().catch(() => undefined);
    await located.dispose();
    if (!options.docker) docker.close();
  }
}

function deadlineWhy(services: readonly ServiceProgress[], timeout: number, stability: number): string {
  const windows = services.filter((s) => s.windowSeconds).map((s) => s.name);
  const parts = [`timeout ${timeout} s, at least 60 s to start, healthchecks' own budgets`];
  if (windows.length) parts.push(`then ${windows.join(', ')} must stay up ${stability} s (no healthcheck)`);
  return parts.join('; ');
}

/** Networks the stack needs but does not create must exist before anything is made. */
async function checkNetworks(docker: Docker, rendered: RenderedStack): Promise<void> {
  if (!rendered.externalNetworks.length) return;
  const present = new Set((await docker.networks()).map((n) => n.Name));
  const missing = rendered.externalNetworks.filter((n) => !present.has(n));
  if (missing.length) {
    throw new GalleyError(
      'network-missing',
      `the stack uses the external network${missing.length === 1 ? '' : 's'} ${missing.join(', ')}, which ${docker.describe()} does not have: create ${missing.length === 1 ? 'it' : 'them'} first (docker network create --driver overlay --attachable ${missing[0]}; Co-op Cloud's proxy network comes with the traefik app); nothing was changed`,
      { exitCode: 2 },
    );
  }
}

async function rollBackIfNeeded(
  docker: Docker,
  before: StackSnapshot,
  result: DeployResult,
  options: DeployOptions,
  timeout: number,
  reporter: DeployReporter,
): Promise<RollbackReport> {
  const report: RollbackReport = { attempted: false, ok: false, rolledBack: [], removed: [], recreated: [], swarmRolledBack: [], note: '' };
  const swarmRolling = result.services.filter((s) => s.swarmRollback).map((s) => s.name);
  if (!before.services.size) {
    report.note = `nothing to roll back to: this was the first deploy of ${result.stack}; it is left as it is (remove it with galley undeploy)`;
    return report;
  }
  if (options.noRollback) {
    report.note = swarmRolling.length
      ? `not rolled back by galley (--no-rollback), but the swarm itself rolled ${swarmRolling.join(', ')} back (failure_action: rollback); the rest of ${result.stack} is left as the failed deploy made it`
      : `not rolled back (--no-rollback): ${result.stack} is left as the failed deploy made it`;
    report.swarmRolledBack = swarmRolling;
    return report;
  }
  const plan = planRollback(before, await docker.services({ stack: result.stack }));
  if (!plan.rollback.length && !plan.remove.length && !plan.swarmRolledBack.length && !plan.recreate.length) {
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
  try {
    const outcome = await rollBack(docker, before, rollbackOptions);
    reporter.endProgress();
    report.attempted = true;
    report.ok = outcome.ok;
    const short = (names: string[]) => names.map((n) => shortName(n, result.stack));
    report.rolledBack = short(outcome.plan.rollback);
    report.removed = short(outcome.plan.remove);
    report.recreated = short(outcome.plan.recreate);
    report.swarmRolledBack = short(outcome.plan.swarmRolledBack);
    if (outcome.version) report.version = outcome.version;
    if (!outcome.ok) {
      const stuck = outcome.services.filter((s) => s.phase !== 'converged').map((s) => `${s.name}: ${s.detail}`);
      report.note = outcome.interrupted
        ? 'interrupted while rolling back'
        : outcome.lostContact
          ? `lost contact with the server while rolling back: ${outcome.lostContact}`
          : `the rollback did not converge (${stuck.join('; ') || 'unknown state'}); check with galley ps`;
    }
  } catch (error) {
    if (!isGalleyError(error)) throw error;
    report.attempted = true;
    report.note = `the rollback failed: ${error.message}; check with galley ps`;
  }
  return report;
}

async function dryRun(options: DeployOptions, docker: Docker, prepared: PreparedDeploy, started: number): Promise<DeployResult> {
  const { app, located, rendered } = prepared;
  const result = baseResult(prepared, docker);
  result.outcome = 'dry-run';
  result.exitCode = 0;
  if (prepared.upgrade) result.upgrade = prepared.upgrade;
  result.compose = rendered.compose;
  for (const s of [...rendered.secrets, ...rendered.configs]) checkObjectName(s);
  let existing: Set<string> | undefined;
  try {
    existing = await swarmSecretNames(docker);
  } catch (error) {
    if (!isGalleyError(error)) throw error;
    result.warnings.push(`cannot ask ${docker.describe()} which secrets and configs exist (${error.message}); listing every secret`);
  }
  const plans = planSecrets(rendered.secrets, app.env, existing ?? new Set());
  result.secrets = secretReports(plans, true);
  if (existing) {
    const configs = await checkConfigs(docker, rendered.configs, located.recipe);
    result.configsToCreate = configs.toCreate;
    const before = await snapshotStack(docker, rendered.stackName);
    if (before.services.size) {
      if (before.version) result.previous = before.version;
      if (!options.force) result.warnings.push(`${rendered.stackName} is already deployed (${describeVersion(before.version)}): a real deploy needs --force`);
    }
  }
  result.elapsedMs = Date.now() - started;
  return result;
}
