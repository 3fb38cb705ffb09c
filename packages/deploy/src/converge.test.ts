import { describe, expect, it } from '@jest/globals';
import { type EvaluateContext, evaluateService, healthBudgetSeconds } from './converge.js';
import type { SwarmService, Task } from './swarm-state.js';

const S = 1e9;
function service(extra: Partial<SwarmService> = {}, spec: Partial<SwarmService['Spec']> = {}): SwarmService {
  return { ID: 'sid', Version: { Index: 10 }, Spec: { Name: 'st_app', Mode: { Replicated: { Replicas: 1 } }, ...spec }, ...extra };
}
function task(state: string, extra: Partial<Task> = {}): Task {
  return {
    id: `t-${state}-${Math.random()}`,
    service: 'st_app',
    name: 'st_app.1',
    node: 'n',
    image: 'img',
    desired: 'running',
    state,
    stateText: state,
    error: '',
    ...extra,
  };
}
const ctx = (over: Partial<EvaluateContext> = {}): EvaluateContext => ({
  stack: 'st',
  now: 1000,
  deadline: 2000,
  budgetSeconds: 1,
  knownTaskIds: new Set(),
  previousUpdateStart: undefined,
  failedTaskLimit: 3,
  rollback: false,
  ...over,
});

describe('evaluateService', () => {
  it('converges when the desired number of current-spec tasks runs and the update completed', () => {
    expect(evaluateService(service(), [task('running')], ctx()).phase).toBe('converged');
    const updating = service({ UpdateStatus: { State: 'updating', StartedAt: 't1' } });
    expect(evaluateService(updating, [task('running')], ctx())).toMatchObject({ phase: 'updating', detail: 'updating: 1/1 running, update monitor window' });
    const done = service({ UpdateStatus: { State: 'completed', StartedAt: 't1' } });
    expect(evaluateService(done, [task('running')], ctx()).phase).toBe('converged');
  });

  it('does not count "1/1" before the new tasks exist', () => {
    // Only current-spec tasks are passed in: none yet, so nothing runs.
    expect(evaluateService(service({ UpdateStatus: { State: 'updating' } }), [], ctx()).phase).toBe('updating');
    expect(evaluateService(service(), [task('starting')], ctx()).phase).toBe('starting');
  });

  it('reports paused updates and swarm rollbacks as failures with the swarm’s message', () => {
    const paused = evaluateService(
      service({ UpdateStatus: { State: 'paused', StartedAt: 't2', Message: 'update paused due to failure' } }),
      [task('running')],
      ctx(),
    );
    expect(paused).toMatchObject({ phase: 'failed', reason: 'update paused: update paused due to failure' });
    for (const state of ['rollback_started', 'rollback_paused', 'rollback_completed'] as const) {
      const r = evaluateService(service({ UpdateStatus: { State: state, StartedAt: 't2', Message: 'update rolled back' } }), [task('running')], ctx());
      expect(r).toMatchObject({ phase: 'failed', swarmRollback: true });
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

  it('fails a service whose new tasks keep failing, with the last task error', () => {
    const failed = [
      task('failed', { error: 'task: non-zero exit (3)', desired: 'shutdown' }),
      task('failed', { desired: 'shutdown' }),
      task('rejected', { desired: 'shutdown', error: 'no such image' }),
    ];
    const r = evaluateService(service(), [task('starting'), ...failed], ctx());
    expect(r).toMatchObject({ phase: 'failed', lastError: 'task: non-zero exit (3)' });
    // Old failures (tasks from before the deploy) do not count.
    const known = new Set(failed.map((t) => t.id));
    expect(evaluateService(service(), [task('starting'), ...failed], ctx({ knownTaskIds: known })).phase).toBe('starting');
  });

  it('fails at the deadline, naming what it waited for', () => {
    const r = evaluateService(service(), [task('starting')], ctx({ now: 3000, budgetSeconds: 42 }));
    expect(r).toMatchObject({ phase: 'failed', timedOut: true });
    expect(r.reason).toMatch(/^not converged within 42 s \(0\/1 running, 1 starting\)/);
  });

  it('handles global services and jobs', () => {
    const global = service({}, { Mode: { Global: {} } });
    expect(evaluateService(global, [], ctx()).phase).toBe('pending');
    expect(evaluateService(global, [task('running'), task('running')], ctx())).toMatchObject({ phase: 'converged', detail: '2/2 running' });
    expect(evaluateService(service({}, { Mode: { ReplicatedJob: {} } }), [], ctx()).phase).toBe('converged');
    expect(evaluateService(service({}, { Mode: { Replicated: { Replicas: 0 } } }), [], ctx()).phase).toBe('converged');
  });
});

describe('healthBudgetSeconds', () => {
  it('covers the start period, every retry and the monitor window', () => {
    const hc = { Test: ['CMD', 'true'], Interval: 2 * S, Timeout: 1 * S, Retries: 4, StartPeriod: 120 * S };
    expect(healthBudgetSeconds(service({}, { TaskTemplate: { ContainerSpec: { Healthcheck: hc } }, UpdateConfig: { Monitor: 3 * S } }))).toBe(120 + 3 * 4 + 3);
    // Docker's defaults: interval 30 s, timeout 30 s, 3 retries; monitor 5 s.
    expect(healthBudgetSeconds(service({}, { TaskTemplate: { ContainerSpec: { Healthcheck: { Test: ['CMD', 'true'] } } } }))).toBe(185);
    expect(healthBudgetSeconds(service({}, { TaskTemplate: { ContainerSpec: { Healthcheck: { Test: ['NONE'] } } } }))).toBe(5);
  });
});
