import { isGalleyError } from '@galley/platform';
import type { Docker } from '@galley/platform/docker';
import { desiredReplicas, type SwarmService, serviceTasks, shortName, type Task, type UpdateState } from './swarm-state.js';

/**
 * Watches services until they converge on their current spec, or fail.
 *
 * Each poll reads the services and the tasks of their current spec (the
 * engine's `_up-to-date` filter) over galley's one Engine API connection.
 * Replica counts alone are never trusted: "1/1" before a stop-first update
 * has even started is the old task.
 *
 * A service converges in two steps:
 * 1. it *runs*: its update (if any) is `completed` and the desired number of
 *    current-spec tasks is running (a task with a healthcheck only counts
 *    once healthy: docker holds it in "starting" until then);
 * 2. it *stays up* for its stability window: services without a healthcheck
 *    get `stabilitySeconds` (default 10 s, at least their
 *    `update_config.monitor`), because "running" only means the process
 *    started. Any current-spec task that fails within the window fails the
 *    deploy, old tasks included (a `--force` redeploy of a crash-looping
 *    service changes no spec).
 *
 * While starting, a few failed tasks are tolerated (an app that exits until
 * its database is up is normal): `failedTaskLimit` of them fail it.
 *
 * Deadline per service: the largest of the timeout (label or flag), the
 * healthcheck's own budget (`start_period + (interval + timeout) × retries +
 * monitor`) and `MIN_START_SECONDS` (what starting a task takes on a busy
 * machine), plus its stability window. A service inside its window is never
 * failed by the deadline.
 */

export type ServicePhase = 'pending' | 'updating' | 'starting' | 'stabilising' | 'converged' | 'failed';

export interface ServiceProgress {
  /** Full name (`<stack>_<service>`). */
  service: string;
  /** Name without the stack prefix. */
  name: string;
  phase: ServicePhase;
  /** Running tasks of the current spec. */
  running: number;
  /** Desired tasks ('global': one per eligible node, 'job': not waited for). */
  desired: number | 'global' | 'job';
  updateState?: UpdateState;
  /** One line for people: what it is doing or waiting for. */
  detail: string;
  /** Why it failed. */
  reason?: string;
  /** The swarm itself rolled (or is rolling) the service back. */
  swarmRollback?: boolean;
  /** The newest error of a current-spec task. */
  lastError?: string;
  /** Current-spec tasks that failed during this run (newest first), for diagnostics. */
  failedTasks?: string[];
  timedOut?: boolean;
  /** Seconds this service may take in all (its deadline), and its stability window. */
  budgetSeconds?: number;
  windowSeconds?: number;
}

export interface ConvergenceResult {
  ok: boolean;
  services: ServiceProgress[];
  /** The services as the last poll read them. */
  inspected: SwarmService[];
  /** Their current-spec tasks at the last poll. */
  tasks: Task[];
  interrupted: boolean;
  /** The engine could not be reached any more (after retries): what happened. */
  lostContact?: string;
  elapsedMs: number;
}

export interface WatchOptions {
  /** Full service names. */
  services: readonly string[];
  stack: string;
  /** Seconds to wait (raised per service as described above). */
  timeoutSeconds: number;
  /** Stability window of services without a healthcheck (default 10). */
  stabilitySeconds?: number;
  /** When the deploy started (ms since epoch); default now. */
  startedAt?: number;
  /** `UpdateStatus.StartedAt` per service before the deploy: a status still carrying it is stale. */
  previousUpdateStart?: ReadonlyMap<string, string | undefined>;
  /** Failed tasks while starting after which a service counts as failed (default 3). */
  failedTaskLimit?: number;
  /** Watching a rollback galley asked for: `rollback_completed` is success, no stability window. */
  rollback?: boolean;
  pollMs?: number;
  signal?: AbortSignal;
  onProgress?: (services: ServiceProgress[]) => void;
  /** For tests: the clock. */
  now?: () => number;
}

const NS = 1e9;
const DEFAULT_HEALTH = { interval: 30, timeout: 30, retries: 3, startPeriod: 0 };
/** Docker's default `update_config.monitor`. */
const DEFAULT_MONITOR_SECONDS = 5;
/** The least time a service gets to start a task, whatever the timeout label says. */
export const MIN_START_SECONDS = 60;
export const DEFAULT_STABILITY_SECONDS = 10;

export function hasHealthcheck(service: SwarmService): boolean {
  const test = service.Spec.TaskTemplate?.ContainerSpec?.Healthcheck?.Test;
  return Boolean(test?.length && test[0] !== 'NONE');
}

/** Seconds a service with a healthcheck may take to become healthy and pass its update monitor. */
export function healthBudgetSeconds(service: SwarmService): number {
  const hc = service.Spec.TaskTemplate?.ContainerSpec?.Healthcheck;
  const monitor = monitorSeconds(service);
  if (!hasHealthcheck(service) || !hc) return monitor;
  const interval = hc.Interval ? hc.Interval / NS : DEFAULT_HEALTH.interval;
  const timeout = hc.Timeout ? hc.Timeout / NS : DEFAULT_HEALTH.timeout;
  const retries = hc.Retries ?? DEFAULT_HEALTH.retries;
  const startPeriod = hc.StartPeriod ? hc.StartPeriod / NS : DEFAULT_HEALTH.startPeriod;
  return startPeriod + (interval + timeout) * retries + monitor;
}

function monitorSeconds(service: SwarmService): number {
  return (service.Spec.UpdateConfig?.Monitor ?? DEFAULT_MONITOR_SECONDS * NS) / NS;
}

/** The stability window of a service: none with a healthcheck, else max(stability, monitor). */
export function stabilityWindowSeconds(service: SwarmService, stabilitySeconds = DEFAULT_STABILITY_SECONDS): number {
  if (hasHealthcheck(service)) return 0;
  return Math.max(stabilitySeconds, service.Spec.UpdateConfig?.Monitor ? monitorSeconds(service) : 0);
}

/** Seconds a service may take to run (before its window), and why. */
export function startBudget(service: SwarmService, timeoutSeconds: number): { seconds: number; why: string } {
  const candidates: [number, string][] = [
    [timeoutSeconds, `timeout ${timeoutSeconds} s`],
    [MIN_START_SECONDS, `at least ${MIN_START_SECONDS} s to start`],
  ];
  if (hasHealthcheck(service)) candidates.push([healthBudgetSeconds(service), `healthcheck budget ${Math.ceil(healthBudgetSeconds(service))} s`]);
  const [seconds, why] = candidates.reduce((a, b) => (b[0] > a[0] ? b : a));
  return { seconds: Math.ceil(seconds), why };
}

export interface EvaluateContext {
  stack: string;
  now: number;
  /** When the wait started (ms). */
  startedAt: number;
  /** Seconds the service may take to run. */
  budgetSeconds: number;
  /** Its stability window (0: none). */
  windowSeconds: number;
  /** When the service was first seen running in this wait (ms), if it was. */
  runningSince?: number;
  previousUpdateStart: string | undefined;
  failedTaskLimit: number;
  rollback: boolean;
}

const FAILED = new Set(['failed', 'rejected']);

function describeTask(t: Task): string {
  const why = t.error || (t.exitCode !== undefined ? `exit code ${t.exitCode}` : t.state);
  return `${t.name} (${t.id.slice(0, 12)}) ${t.state}${why && why !== t.state ? `: ${why}` : ''}`;
}

/** The phase of one service from its inspect output and its current-spec tasks. */
export function evaluateService(service: SwarmService, tasks: readonly Task[], ctx: EvaluateContext): ServiceProgress {
  const name = shortName(service.Spec.Name, ctx.stack);
  const desired = desiredReplicas(service.Spec);
  const status = service.UpdateStatus ?? undefined;
  const stale = status?.StartedAt !== undefined && status.StartedAt === ctx.previousUpdateStart;
  const state = stale ? undefined : status?.State;
  const active = tasks.filter((t) => t.desired === 'running');
  const running = active.filter((t) => t.state === 'running').length;
  // Failures of this run: current-spec tasks that failed after the wait began (old tasks too: a --force redeploy changes no spec).
  const failures = tasks.filter((t) => FAILED.has(t.state) && t.since >= ctx.startedAt);
  const progress: ServiceProgress = {
    service: service.Spec.Name,
    name,
    phase: 'pending',
    running,
    desired,
    detail: '',
    budgetSeconds: ctx.budgetSeconds,
    windowSeconds: ctx.windowSeconds,
  };
  if (state) progress.updateState = state;
  if (failures[0]) {
    progress.lastError = failures[0].error || (failures[0].exitCode !== undefined ? `exit code ${failures[0].exitCode}` : failures[0].state);
    progress.failedTasks = failures.map(describeTask);
  }
  const fail = (reason: string, extra: Partial<ServiceProgress> = {}): ServiceProgress => ({ ...progress, ...extra, phase: 'failed', reason, detail: reason });
  const message = status?.Message ? `: ${status.Message}` : '';

  if (desired === 'job') return { ...progress, phase: 'converged', detail: 'job (not waited for)' };

  if (ctx.rollback) {
    if (state === 'rollback_paused') return fail(`rollback paused${message}`);
  } else {
    // The swarm went back to the old spec: its old task runs, none of the new one does.
    const rolledBack = { swarmRollback: true, running: 0 };
    if (state === 'paused') return fail(`update paused${message}`);
    if (state === 'rollback_started') return fail(`swarm is rolling the update back${message}`, rolledBack);
    if (state === 'rollback_paused') return fail(`swarm rollback paused${message}`, rolledBack);
    if (state === 'rollback_completed') return fail(`swarm rolled the update back${message}`, rolledBack);
  }

  const count = desired === 'global' ? active.length : desired;
  const tasksReady = desired === 'global' ? active.length > 0 && running === active.length : active.length === desired && running === desired;
  const updateDone = ctx.rollback ? state === 'rollback_completed' || state === undefined : state === undefined || state === 'completed';
  const window = ctx.rollback ? 0 : ctx.windowSeconds;

  if (ctx.runningSince !== undefined && window > 0) {
    // Inside the stability window: any failure of the current spec since it started running is a failure.
    const late = failures.filter((t) => t.since >= ctx.runningSince!);
    if (late.length) {
      return fail(
        `${describeTask(late[0]!)} ${Math.round((late[0]!.since - ctx.runningSince) / 1000)} s after it started running, within its ${window} s stability window`,
      );
    }
  }
  if (tasksReady && updateDone) {
    const stableFor = ctx.runningSince === undefined ? 0 : (ctx.now - ctx.runningSince) / 1000;
    if (stableFor >= window) return { ...progress, phase: 'converged', detail: `${running}/${count} running` };
    return { ...progress, phase: 'stabilising', detail: `${running}/${count} running, stable for ${Math.floor(stableFor)}/${window} s` };
  }
  if (failures.length >= ctx.failedTaskLimit && running < count) {
    return fail(`${failures.length} task${failures.length === 1 ? '' : 's'} of the new spec failed`);
  }
  const starting = active.filter((t) => t.state === 'starting').length;
  let detail: string;
  if (tasksReady && !updateDone) detail = `${running}/${count} running, update monitor window`;
  else if (starting && hasHealthcheck(service)) detail = `${running}/${count} running, ${starting} waiting for healthcheck`;
  else if (starting) detail = `${running}/${count} running, ${starting} starting`;
  else detail = `${running}/${count} running${active.length < count || !active.length ? ', scheduling' : ''}`;
  const stuck = active.find((t) => t.state === 'pending' && t.error);
  if (stuck) detail += ` (${stuck.error})`;
  if (failures.length) detail += `, ${failures.length} failed`;
  if (ctx.runningSince === undefined && ctx.now > ctx.startedAt + ctx.budgetSeconds * 1000) {
    return fail(`not running within ${ctx.budgetSeconds} s (${detail})`, { timedOut: true });
  }
  const phase: ServicePhase = state === 'updating' || state === 'rollback_started' ? 'updating' : starting ? 'starting' : 'pending';
  return { ...progress, phase, detail: state === 'updating' ? `updating: ${detail}` : state === 'rollback_started' ? `rolling back: ${detail}` : detail };
}

/** The deadline line people read before the wait: `waiting up to 70 s (app: healthcheck budget 37 s; db: at least 60 s to start + 10 s stability window)`. */
export function describeDeadlines(services: readonly ServiceProgress[]): string {
  const longest = Math.max(0, ...services.map((s) => (s.budgetSeconds ?? 0) + (s.windowSeconds ?? 0)));
  return `waiting up to ${longest} s`;
}

/** Polls until every service converged, one failed, the deadline passed, the engine was lost, or the signal aborted. */
export async function watchConvergence(docker: Docker, options: WatchOptions): Promise<ConvergenceResult> {
  const now = options.now ?? Date.now;
  const startedAt = options.startedAt ?? now();
  const limit = options.failedTaskLimit ?? 3;
  const budgets = new Map<string, { start: number; window: number }>();
  const runningSince = new Map<string, number>();
  let last: ServiceProgress[] = [];
  let inspected: SwarmService[] = [];
  let tasks: Task[] = [];
  for (;;) {
    if (options.signal?.aborted) return { ok: false, services: last, inspected, tasks, interrupted: true, elapsedMs: now() - startedAt };
    try {
      inspected = await docker.services({ names: options.services });
      tasks = await serviceTasks(docker, inspected, { upToDate: true });
    } catch (error) {
      if (!isGalleyError(error)) throw error;
      if (options.signal?.aborted) return { ok: false, services: last, inspected, tasks, interrupted: true, elapsedMs: now() - startedAt };
      return { ok: false, services: last, inspected, tasks, interrupted: false, lostContact: error.message, elapsedMs: now() - startedAt };
    }
    const byService = new Map<string, Task[]>();
    for (const t of tasks) byService.set(t.service, [...(byService.get(t.service) ?? []), t]);
    const t = now();
    last = options.services.map((name) => {
      const service = inspected.find((s) => s.Spec.Name === name);
      if (!service) {
        return {
          service: name,
          name: shortName(name, options.stack),
          phase: 'failed',
          running: 0,
          desired: 0,
          detail: 'service is gone',
          reason: 'the service disappeared from the swarm',
        } satisfies ServiceProgress;
      }
      let budget = budgets.get(name);
      if (!budget) {
        budget = { start: startBudget(service, options.timeoutSeconds).seconds, window: stabilityWindowSeconds(service, options.stabilitySeconds) };
        budgets.set(name, budget);
      }
      const ctx: EvaluateContext = {
        stack: options.stack,
        now: t,
        startedAt,
        budgetSeconds: budget.start,
        windowSeconds: budget.window,
        previousUpdateStart: options.previousUpdateStart?.get(name),
        failedTaskLimit: limit,
        rollback: options.rollback ?? false,
      };
      const since = runningSince.get(name);
      if (since !== undefined) ctx.runningSince = since;
      let progress = evaluateService(service, byService.get(name) ?? [], ctx);
      if (progress.phase === 'stabilising' && since === undefined) {
        // First poll that saw it running: the window starts now (converged at once when there is none).
        runningSince.set(name, t);
        progress = evaluateService(service, byService.get(name) ?? [], { ...ctx, runningSince: t });
      } else if (since !== undefined && progress.phase !== 'stabilising' && progress.phase !== 'converged' && progress.phase !== 'failed') {
        // It stopped running (a task ended without failing, an update began): start over.
        runningSince.delete(name);
      }
      return progress;
    });
    options.onProgress?.(last);
    const failed = last.some((s) => s.phase === 'failed');
    const done = last.every((s) => s.phase === 'converged');
    if (failed || done) return { ok: !failed, services: last, inspected, tasks, interrupted: false, elapsedMs: now() - startedAt };
    const elapsed = now() - startedAt;
    // Four polls a second cost two requests each on the one connection; slower after the first minute.
    await sleep(options.pollMs ?? (elapsed < 60_000 ? 250 : 1000), options.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
