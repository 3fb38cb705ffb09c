import type { Docker } from '@galley/platform/docker';
import { type ServiceProgress, watchConvergence } from './converge.js';
import { type DeployedVersion, deployedVersion, type SwarmService, stackServices } from './swarm-state.js';

/**
 * Rolling a failed deploy back to what ran before it.
 *
 * Mechanism: `docker service rollback` (over the Engine API) for each
 * service whose spec this deploy changed (swarm keeps the previous spec of
 * every service, so this restores exactly what ran, image, labels and all,
 * without re-rendering anything); services this deploy added are removed;
 * services it pruned are created again from their old spec; services the
 * swarm already rolled back itself (`failure_action: rollback`) are left
 * alone — rolling them back again would return them to the failed spec. A
 * first deploy has nothing to roll back to.
 */

/** The stack as it was just before the deploy. */
export interface StackSnapshot {
  services: Map<string, SwarmService>;
  version?: DeployedVersion;
}

export async function snapshotStack(docker: Docker, stack: string): Promise<StackSnapshot> {
  const services = await stackServices(docker, stack);
  const snapshot: StackSnapshot = { services: new Map(services.map((s) => [s.Spec.Name, s])) };
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
  /** Services this deploy removed (pruned), to create again. */
  recreate: string[];
}

const SWARM_ROLLBACK = new Set(['rollback_started', 'rollback_paused', 'rollback_completed']);

export function planRollback(before: StackSnapshot, after: readonly SwarmService[]): RollbackPlan {
  const plan: RollbackPlan = { rollback: [], swarmRolledBack: [], remove: [], recreate: [] };
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
  const present = new Set(after.map((s) => s.Spec.Name));
  for (const name of before.services.keys()) if (!present.has(name)) plan.recreate.push(name);
  return plan;
}

export interface RollbackOutcome {
  ok: boolean;
  plan: RollbackPlan;
  services: ServiceProgress[];
  /** What the app runs after the rollback (its labels). */
  version?: DeployedVersion;
  interrupted: boolean;
  lostContact?: string;
}

export interface RollbackOptions {
  stack: string;
  timeoutSeconds: number;
  signal?: AbortSignal;
  onProgress?: (services: ServiceProgress[]) => void;
}

/** Carries out a rollback plan and waits for the rolled-back services to run again. */
export async function rollBack(docker: Docker, before: StackSnapshot, options: RollbackOptions): Promise<RollbackOutcome> {
  const after = await stackServices(docker, options.stack);
  const plan = planRollback(before, after);
  const watched = [...plan.rollback, ...plan.swarmRolledBack, ...plan.recreate];
  const started = Date.now();
  for (const name of plan.rollback) await docker.rollbackService(after.find((s) => s.Spec.Name === name)!);
  for (const name of plan.remove) await docker.removeService(name);
  for (const name of plan.recreate) await docker.createService(before.services.get(name)!.Spec);
  let services: ServiceProgress[] = [];
  let ok = true;
  let interrupted = false;
  let lostContact: string | undefined;
  if (watched.length) {
    const watch: Parameters<typeof watchConvergence>[1] = {
      services: watched,
      stack: options.stack,
      timeoutSeconds: options.timeoutSeconds,
      rollback: true,
      startedAt: started,
    };
    if (options.signal) watch.signal = options.signal;
    if (options.onProgress) watch.onProgress = options.onProgress;
    const result = await watchConvergence(docker, watch);
    services = result.services;
    ok = result.ok;
    interrupted = result.interrupted;
    lostContact = result.lostContact;
  }
  const outcome: RollbackOutcome = { ok, plan, services, interrupted };
  if (lostContact) outcome.lostContact = lostContact;
  const version = deployedVersion(await stackServices(docker, options.stack).catch(() => []), options.stack);
  if (version) outcome.version = version;
  return outcome;
}
