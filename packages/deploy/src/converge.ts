import type { DockerCli } from './docker.js';
import { desiredReplicas, inspectServices, type SwarmService, serviceTasks, shortName, type Task, type UpdateState } from './swarm-state.js';

/**
 * Watches services until they converge on their current spec, or fail.
 *
 * Per service, each poll reads the update state (`docker service inspect`)
 * and the tasks of the current spec (`docker service ps` with docker's
 * `_up-to-date` filter), never replica counts alone: "1/1" before a
 * stop-first update has even started is the old task. A service has
 * converged when its update (if any) is `completed` and the desired number
 * of current-spec tasks is running. A task with a healthcheck only reaches
 * "running" once healthy (docker holds it in "starting" until then), and
 * the deadline is stretched to the healthcheck's own budget
 * (`start_period + (interval + timeout) × retries`) so a slow app is never
 * failed inside its start period.
 *
 * Failure: a paused update, a swarm rollback (`failure_action: rollback`),
 * current-spec tasks failing again and again, or the deadline.
 */

export type ServicePhase = 'pending' | 'updating' | 'starting' | 'converged' | 'failed';

export interface ServiceProgress {
  /** Full name (`<stack>_<service>`). */
  service: string;
  /** Name without the stack prefix. */
  name: string;
  phase: ServicePhase;
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
  timedOut?: boolean;
}

export interface ConvergenceResult {
  ok: boolean;
  services: ServiceProgress[];
  /** The services as the last poll inspected them. */
  inspected: SwarmService[];
  /** Their current-spec tasks at the last poll. */
  tasks: Task[];
  interrupted: boolean;
  elapsedMs: number;
}

export interface WatchOptions {
  /** Full service names. */
  services: readonly string[];
  stack: string;
  /** Seconds to wait (raised per service to its healthcheck budget). */
  timeoutSeconds: number;
  /** When the deploy started (ms since epoch); default now. */
  startedAt?: number;
  /** Task ids that existed before the deploy: their failures are old news. */
  knownTaskIds?: ReadonlySet<string>;
  /** `UpdateStatus.StartedAt` per service before the deploy: a status still carrying it is stale. */
  previousUpdateStart?: ReadonlyMap<string, string | undefined>;
  /** Failed current-spec tasks after which a service that is not running counts as failed (default 3). */
  failedTaskLimit?: number;
  /** Watching a rollback galley asked for: `rollback_completed` is success. */
  rollback?: boolean;
  pollMs?: number;
  signal?: AbortSignal;
  onProgress?: (services: ServiceProgress[]) => void;
  /** For tests: the clock. */
  now?: () => number;
}

const NS = 1e9;
const DEFAULT_HEALTH = { interval: 30, timeout: 30, retries: 3, startPeriod: 0 };
const DEFAULT_MONITOR_SECONDS = 5;

/** Seconds a service may take to become healthy and pass the update monitor window. */
export function healthBudgetSeconds(service: SwarmService): number {
  const hc = service.Spec.TaskTemplate?.ContainerSpec?.Healthcheck;
  const monitor = (service.Spec.UpdateConfig?.Monitor ?? DEFAULT_MONITOR_SECONDS * NS) / NS;
  if (!hc?.Test?.length || hc.Test[0] === 'NONE') return monitor;
  const interval = hc.Interval ? hc.Interval / NS : DEFAULT_HEALTH.interval;
  const timeout = hc.Timeout ? hc.Timeout / NS : DEFAULT_HEALTH.timeout;
  const retries = hc.Retries ?? DEFAULT_HEALTH.retries;
  const startPeriod = hc.StartPeriod ? hc.StartPeriod / NS : DEFAULT_HEALTH.startPeriod;
  return startPeriod + (interval + timeout) * retries + monitor;
}

export function hasHealthcheck(service: SwarmService): boolean {
  const test = service.Spec.TaskTemplate?.ContainerSpec?.Healthcheck?.Test;
  return Boolean(test?.length && test[0] !== 'NONE');
}

export interface EvaluateContext {
  stack: string;
  now: number;
  deadline: number;
  /** The wait the deadline stands for, in seconds (for messages). */
  budgetSeconds: number;
  knownTaskIds: ReadonlySet<string>;
  previousUpdateStart: string | undefined;
  failedTaskLimit: number;
  rollback: boolean;
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
  const failures = tasks.filter((t) => (t.state === 'failed' || t.state === 'rejected') && !ctx.knownTaskIds.has(t.id));
  const lastError = failures.find((t) => t.error)?.error ?? tasks.find((t) => t.error && !ctx.knownTaskIds.has(t.id))?.error;
  const progress: ServiceProgress = { service: service.Spec.Name, name, phase: 'pending', running, desired, detail: '' };
  if (state) progress.updateState = state;
  if (lastError) progress.lastError = lastError;
  const fail = (reason: string, extra: Partial<ServiceProgress> = {}): ServiceProgress => ({ ...progress, ...extra, phase: 'failed', reason, detail: reason });
  const message = status?.Message ? `: ${status.Message}` : '';

  if (desired === 'job') return { ...progress, phase: 'converged', detail: 'job (not waited for)' };

  if (ctx.rollback) {
    if (state === 'rollback_paused') return fail(`rollback paused${message}`);
  } else {
    if (state === 'paused') return fail(`update paused${message}`);
    if (state === 'rollback_started') return fail(`swarm is rolling the update back${message}`, { swarmRollback: true });
    if (state === 'rollback_paused') return fail(`swarm rollback paused${message}`, { swarmRollback: true });
    if (state === 'rollback_completed') return fail(`swarm rolled the update back${message}`, { swarmRollback: true });
  }

  const count = desired === 'global' ? active.length : desired;
  const tasksReady = desired === 'global' ? active.length > 0 && running === active.length : active.length === desired && running === desired;
  const updateDone = ctx.rollback ? state === 'rollback_completed' || state === undefined : state === undefined || state === 'completed';
  if (tasksReady && updateDone) {
    return { ...progress, phase: 'converged', detail: `${running}/${count} running` };
  }
  if (failures.length >= ctx.failedTaskLimit && running < count) {
    return fail(`${failures.length} tasks of the new spec failed`);
  }
  const starting = active.filter((t) => t.state === 'starting').length;
  let detail: string;
  if (tasksReady && !updateDone) detail = `${running}/${count} running, update monitor window`;
  else if (starting && hasHealthcheck(service)) detail = `${running}/${count} running, ${starting} waiting for healthcheck`;
  else if (starting) detail = `${running}/${count} running, ${starting} starting`;
  else detail = `${running}/${count} running${active.length < count || !active.length ? ', scheduling' : ''}`;
  if (failures.length) detail += `, ${failures.length} failed`;
  if (ctx.now > ctx.deadline) {
    return fail(`not converged within ${ctx.budgetSeconds} s (${detail})`, { timedOut: true });
  }
  const phase: ServicePhase = state === 'updating' || state === 'rollback_started' ? 'updating' : starting ? 'starting' : 'pending';
  return { ...progress, phase, detail: state === 'updating' ? `updating: ${detail}` : state === 'rollback_started' ? `rolling back: ${detail}` : detail };
}

/** Polls until every service converged, one failed, the deadline passed, or the signal aborted. */
export async function watchConvergence(docker: DockerCli, options: WatchOptions): Promise<ConvergenceResult> {
  const now = options.now ?? Date.now;
  const startedAt = options.startedAt ?? now();
  const known = options.knownTaskIds ?? new Set<string>();
  const limit = options.failedTaskLimit ?? 3;
  const deadlines = new Map<string, number>();
  let last: ServiceProgress[] = [];
  let inspected: SwarmService[] = [];
  let tasks: Task[] = [];
  for (;;) {
    if (options.signal?.aborted) return { ok: false, services: last, inspected, tasks, interrupted: true, elapsedMs: now() - startedAt };
    [inspected, tasks] = await Promise.all([inspectServices(docker, options.services), serviceTasks(docker, options.services, { upToDate: true })]);
    const byService = new Map<string, Task[]>();
    for (const t of tasks) byService.set(t.service, [...(byService.get(t.service) ?? []), t]);
    const t = now();
    last = options.services.map((name) => {
      const service = inspected.find((s) => s.Spec.Name === name || s.ID === name);
      if (!service) {
        return {
          service: name,
          name: name.replace(`${options.stack}_`, ''),
          phase: 'failed',
          running: 0,
          desired: 0,
          detail: 'service is gone',
          reason: 'the service disappeared from the swarm',
        } satisfies ServiceProgress;
      }
      let budget = deadlines.get(name);
      if (budget === undefined) {
        budget = Math.ceil(Math.max(options.timeoutSeconds, healthBudgetSeconds(service)));
        deadlines.set(name, budget);
      }
      return evaluateService(service, byService.get(service.Spec.Name) ?? [], {
        stack: options.stack,
        now: t,
        deadline: startedAt + budget * 1000,
        budgetSeconds: budget,
        knownTaskIds: known,
        previousUpdateStart: options.previousUpdateStart?.get(name),
        failedTaskLimit: limit,
        rollback: options.rollback ?? false,
      });
    });
    options.onProgress?.(last);
    const failed = last.some((s) => s.phase === 'failed');
    const done = last.every((s) => s.phase === 'converged');
    if (failed || done) return { ok: !failed, services: last, inspected, tasks, interrupted: false, elapsedMs: now() - startedAt };
    const elapsed = now() - startedAt;
    await sleep(options.pollMs ?? (elapsed < 20_000 ? 250 : 1000), options.signal);
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
