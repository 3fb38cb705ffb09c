import { describe, expect, it } from '@jest/globals';
import { type EvaluateContext, evaluateService, healthBudgetSeconds, MIN_START_SECONDS, stabilityWindowSeconds, startBudget } from './converge.js';
import type { SwarmService, Task } from './swarm-state.js';

const S = 1e9;
const HC = { Test: ['CMD', 'true'], Interval: 1 * S, Timeout: 1 * S, Retries: 3 };
function service(extra: Partial<SwarmService> = {}, spec: Partial<SwarmService['Spec']> = {}): SwarmService {
  return { ID: 'sid', Version: { Index: 10 }, Spec: { Name: 'st_app', Mode: { Replicated: { Replicas: 1 } }, ...spec }, ...extra };
}
const healthy = (extra: Partial<SwarmService> = {}) => service(extra, { TaskTemplate: { ContainerSpec: { Healthcheck: HC } } });
let n = 0;
function task(state: string, extra: Partial<Task> = {}): Task {
  return {
    id: `t${n++}`,
    service: 'st_app',
    name: 'st_app.1',
    node: 'n',
    image: 'img',
    desired: 'running',
    state,
    since: 1500,
    created: 1500,
    error: '',
    ...extra,
  };
}
const ctx = (over: Partial<EvaluateContext> = {}): EvaluateContext => ({
  stack: 'st',
  now: 2000,
  startedAt: 1000,
  budgetSeconds: 60,
  windowSeconds: 0,
  previousUpdateStart: undefined,
  failedTaskLimit: 3,
  rollback: false,
  ...over,
});

describe('evaluateService', () => {
  it.each([
    ['a running task, no update', service(), [task('running')], 'converged'],
    ['an update in its monitor window', service({ UpdateStatus: { State: 'updating', StartedAt: 't1' } }), [task('running')], 'updating'],
    ['a completed update', service({ UpdateStatus: { State: 'completed', StartedAt: 't1' } }), [task('running')], 'converged'],
    ['no current-spec task yet ("1/1" is the old task)', service({ UpdateStatus: { State: 'updating' } }), [], 'updating'],
    ['a task still starting', service(), [task('starting')], 'starting'],
  ] as const)('%s: %s', (_what, svc, tasks, phase) => {
    expect(evaluateService(svc, tasks, ctx()).phase).toBe(phase);
  });

  it('reports paused updates and swarm rollbacks as failures with the swarm’s message, showing no new task running', () => {
    const paused = evaluateService(
      service({ UpdateStatus: { State: 'paused', StartedAt: 't2', Message: 'update paused due to failure' } }),
      [task('running')],
      ctx(),
    );
    expect(paused).toMatchObject({ phase: 'failed', reason: 'update paused: update paused due to failure' });
    for (const state of ['rollback_started', 'rollback_paused', 'rollback_completed'] as const) {
      const r = evaluateService(service({ UpdateStatus: { State: state, StartedAt: 't2', Message: 'update rolled back' } }), [task('running')], ctx());
      expect(r).toMatchObject({ phase: 'failed', swarmRollback: true, running: 0 });
      expect(r.reason).toMatch(/swarm .*roll/);
    }
  });

  it('ignores an update status left over from before the deploy', () => {
    const stale = service({ UpdateStatus: { State: 'rollback_completed', StartedAt: 'old' } });
    expect(evaluateService(stale, [task('running')], ctx({ previousUpdateStart: 'old' })).phase).toBe('converged');
  });

  it('in a rollback galley asked for, rollback_completed is success and rollback_paused failure', () => {
    expect(evaluateService(service({ UpdateStatus: { State: 'rollback_completed' } }), [task('running')], ctx({ rollback: true })).phase).toBe('converged');
    expect(evaluateService(service({ UpdateStatus: { State: 'rollback_started' } }), [task('running')], ctx({ rollback: true })).phase).toBe('updating');
    expect(evaluateService(service({ UpdateStatus: { State: 'rollback_paused' } }), [], ctx({ rollback: true })).phase).toBe('failed');
  });

  it('tolerates a few failures while starting, then fails with the last task error', () => {
    const failed = [
      task('failed', { error: 'task: non-zero exit (3)', desired: 'shutdown', since: 1900 }),
      task('failed', { desired: 'shutdown', since: 1800 }),
      task('rejected', { desired: 'shutdown', error: 'no such image', since: 1700 }),
    ];
    expect(evaluateService(service(), [task('starting'), ...failed.slice(0, 2)], ctx()).phase).toBe('starting');
    const r = evaluateService(service(), [task('starting'), ...failed], ctx());
    expect(r).toMatchObject({ phase: 'failed', lastError: 'task: non-zero exit (3)', reason: '3 tasks of the new spec failed' });
    // Failures from before the wait began are old news.
    const old = failed.map((t) => ({ ...t, since: 500 }));
    expect(evaluateService(service(), [task('starting'), ...old], ctx()).phase).toBe('starting');
  });

  it('holds a service without a healthcheck in its stability window, and fails it when a task fails within it', () => {
    const window = ctx({ windowSeconds: 10, runningSince: 2000, now: 5000 });
    expect(evaluateService(service(), [task('running')], window)).toMatchObject({ phase: 'stabilising', detail: '1/1 running, stable for 3/10 s' });
    expect(evaluateService(service(), [task('running')], { ...window, now: 12_000 }).phase).toBe('converged');
    const crashed = evaluateService(service(), [task('starting'), task('failed', { desired: 'shutdown', since: 8000, exitCode: 1, id: 'abcdef1234567890' })], {
      ...window,
      now: 8500,
    });
    expect(crashed.phase).toBe('failed');
    expect(crashed.reason).toBe('st_app.1 (abcdef123456) failed: exit code 1 6 s after it started running, within its 10 s stability window');
    // One failure is enough in the window, even of a task older than the deploy (a --force redeploy of a crash loop).
    const old = task('failed', { desired: 'shutdown', since: 3000, created: 10 });
    expect(evaluateService(service(), [task('running'), old], window).phase).toBe('failed');
  });

  it('fails a service that is not running at its deadline, naming what it waited for', () => {
    const r = evaluateService(service(), [task('starting')], ctx({ now: 1000 + 43_000, budgetSeconds: 42 }));
    expect(r).toMatchObject({ phase: 'failed', timedOut: true });
    expect(r.reason).toBe('not running within 42 s (0/1 running, 1 starting)');
    // Inside its window the deadline does not apply.
    expect(evaluateService(service(), [task('running')], ctx({ now: 1000 + 43_000, budgetSeconds: 42, windowSeconds: 10, runningSince: 42_000 })).phase).toBe(
      'stabilising',
    );
  });

  it('handles global services and jobs', () => {
    const global = service({}, { Mode: { Global: {} } });
    expect(evaluateService(global, [], ctx()).phase).toBe('pending');
    expect(evaluateService(global, [task('running'), task('running')], ctx())).toMatchObject({ phase: 'converged', detail: '2/2 running' });
    expect(evaluateService(service({}, { Mode: { ReplicatedJob: {} } }), [], ctx()).phase).toBe('converged');
    expect(evaluateService(service({}, { Mode: { Replicated: { Replicas: 0 } } }), [], ctx()).phase).toBe('converged');
  });
});

describe('deadlines and windows', () => {
  it('a healthcheck budget covers the start period, every retry and the monitor window', () => {
    const hc = { Test: ['CMD', 'true'], Interval: 2 * S, Timeout: 1 * S, Retries: 4, StartPeriod: 120 * S };
    expect(healthBudgetSeconds(service({}, { TaskTemplate: { ContainerSpec: { Healthcheck: hc } }, UpdateConfig: { Monitor: 3 * S } }))).toBe(120 + 3 * 4 + 3);
    // Docker's defaults: interval 30 s, timeout 30 s, 3 retries; monitor 5 s.
    expect(healthBudgetSeconds(service({}, { TaskTemplate: { ContainerSpec: { Healthcheck: { Test: ['CMD', 'true'] } } } }))).toBe(185);
    expect(healthBudgetSeconds(service({}, { TaskTemplate: { ContainerSpec: { Healthcheck: { Test: ['NONE'] } } } }))).toBe(5);
  });

  it.each([
    ['a 2 s timeout label, no healthcheck', service(), 2, MIN_START_SECONDS, `at least ${MIN_START_SECONDS} s to start`],
    ['a long timeout', service(), 300, 300, 'timeout 300 s'],
    [
      'a healthcheck with a long start period',
      service({}, { TaskTemplate: { ContainerSpec: { Healthcheck: { ...HC, StartPeriod: 120 * S } } } }),
      2,
      131,
      'healthcheck budget 131 s',
    ],
  ] as const)('start budget with %s', (_what, svc, timeout, seconds, why) => {
    expect(startBudget(svc, timeout)).toEqual({ seconds, why });
  });

  it('gives a stability window to services without a healthcheck only, at least their update monitor', () => {
    expect(stabilityWindowSeconds(service())).toBe(10);
    expect(stabilityWindowSeconds(service(), 2)).toBe(2);
    expect(stabilityWindowSeconds(service({}, { UpdateConfig: { Monitor: 30 * S } }), 10)).toBe(30);
    expect(stabilityWindowSeconds(healthy())).toBe(0);
  });
});
