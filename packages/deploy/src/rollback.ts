import { type ServiceProgress, watchConvergence } from './converge.js';
import type { DockerCli } from './docker.js';
import { type DeployedVersion, deployedVersion, inspectServices, type SwarmService, serviceTasks, stackServiceNames, stackServices } from './swarm-state.js';

/**
 * Rolling a failed deploy back to what ran before it.
 *
 * Mechanism: `docker service rollback` for each service whose spec this
 * deploy changed (swarm keeps the previous spec of every service, so this
 * restores exactly what ran, image, labels and all, without re-rendering
 * anything); services this deploy added are removed; services the swarm
 * already rolled back itself (`failure_action: rollback`) are left alone —
 * rolling them back again would return them to the failed spec. A first
 * deploy has nothing to roll back to.
 */

/** The stack as it was just before the deploy. */
export interface StackSnapshot {
  services: Map<string, SwarmService>;
  /** Every task id of the stack's services, so old failures are not blamed on this deploy. */
  taskIds: Set<string>;
  version?: DeployedVersion;
}

export async function snapshotStack(docker: DockerCli, stack: string): Promise<StackSnapshot> {
  const names = await stackServiceNames(docker, stack);
  const [services, tasks] = await Promise.all([inspectServices(docker, names), serviceTasks(docker, names)]);
  const snapshot: StackSnapshot = { services: new Map(services.map((s) => [s.Spec.Name, s])), taskIds: new Set(tasks.map((t) => t.id)) };
  const version = deployedVersion(services, stack);
  if (version) snapshot.version = version;
  return snapshot;
}

export interface RollbackPlan {
  /** Services to `docker service rollback`. */
  rollback: string[];
  /** Services the swarm rolled back (or is rolling back) by itself. */
  swarmRolledBack: string[];
  /** Services this deploy created, to remove. */
  remove: string[];
}

const SWARM_ROLLBACK = new Set(['rollback_started', 'rollback_paused', 'rollback_completed']);

export function planRollback(before: StackSnapshot, after: readonly SwarmService[]): RollbackPlan {
  const plan: RollbackPlan = { rollback: [], swarmRolledBack: [], remove: [] };
  for (const service of after) {
    const name = service.Spec.Name;
    const previous = before.services.get(name);
    if (!previous) {
      plan.remove.push(name);
      continue;
    }
    if (SWARM_ROLLBACK.has(service.UpdateStatus?.State ?? '') && service.UpdateStatus?.StartedAt !== previous.UpdateStatus?.StartedAt) {
      plan.swarmRolledBack.push(name);
      continue;
    }
    if (JSON.stringify(previous.Spec) !== JSON.stringify(service.Spec)) plan.rollback.push(name);
  }
  return plan;
}

export interface RollbackOutcome {
  ok: boolean;
  plan: RollbackPlan;
  services: ServiceProgress[];
  /** What the app runs after the rollback (its labels). */
  version?: DeployedVersion;
  interrupted: boolean;
}

export interface RollbackOptions {
  stack: string;
  timeoutSeconds: number;
  signal?: AbortSignal;
  onProgress?: (services: ServiceProgress[]) => void;
}

/** Carries out a rollback plan and waits for the rolled-back services to run again. */
export async function rollBack(docker: DockerCli, before: StackSnapshot, options: RollbackOptions): Promise<RollbackOutcome> {
  const after = await stackServices(docker, options.stack);
  const plan = planRollback(before, after);
  const watched = [...plan.rollback, ...plan.swarmRolledBack];
  const known = new Set((await serviceTasks(docker, watched)).map((t) => t.id));
  for (const name of plan.rollback) await docker.exec(['service', 'rollback', '--detach', name]);
  if (plan.remove.length) await docker.exec(['service', 'rm', ...plan.remove]);
  let services: ServiceProgress[] = [];
  let ok = true;
  let interrupted = false;
  if (watched.length) {
    const watch: Parameters<typeof watchConvergence>[1] = {
      services: watched,
      stack: options.stack,
      timeoutSeconds: options.timeoutSeconds,
      rollback: true,
      knownTaskIds: known,
    };
    if (options.signal) watch.signal = options.signal;
    if (options.onProgress) watch.onProgress = options.onProgress;
    const result = await watchConvergence(docker, watch);
    services = result.services;
    ok = result.ok;
    interrupted = result.interrupted;
  }
  const outcome: RollbackOutcome = { ok, plan, services, interrupted };
  const version = deployedVersion(await stackServices(docker, options.stack), options.stack);
  if (version) outcome.version = version;
  return outcome;
}
