import type { Docker, ServiceSpec, SwarmService, SwarmTask } from '@galley/platform/docker';

/** What the swarm says about an app's services and tasks, read over the Engine API. */

export type { ServiceSpec, SwarmService, UpdateState } from '@galley/platform/docker';

export interface Task {
  id: string;
  /** The service's full name (`<stack>_<service>`). */
  service: string;
  /** `<service>.<slot>` (replicated) or `<service>.<node id>` (global), as docker names it. */
  name: string;
  node: string;
  image: string;
  desired: string;
  /** Lower-case state: new, pending, assigned, accepted, preparing, ready, starting, running, complete, failed, shutdown, rejected, orphaned, remove. */
  state: string;
  /** When it reached that state (ms since epoch; 0 when unknown). */
  since: number;
  /** When the task was created (ms since epoch; 0 when unknown). */
  created: number;
  error: string;
  exitCode?: number;
  containerId?: string;
}

/** A task as galley reads it; `clockOffsetMs` (engine clock minus ours) turns the engine's times into ours. */
export function toTask(task: SwarmTask, serviceName: string, node: string, clockOffsetMs = 0): Task {
  const out: Task = {
    id: task.ID,
    service: serviceName,
    name: `${serviceName}.${task.Slot ? task.Slot : (task.NodeID ?? '')}`,
    node,
    image: task.Spec?.ContainerSpec?.Image ?? '',
    desired: task.DesiredState,
    state: task.Status.State,
    since: (Date.parse(task.Status.Timestamp ?? '') || 0) - clockOffsetMs,
    created: (Date.parse(task.CreatedAt ?? '') || 0) - clockOffsetMs,
    error: task.Status.Err ?? '',
  };
  const exit = task.Status.ContainerStatus?.ExitCode;
  if (exit !== undefined && (task.Status.State === 'failed' || task.Status.State === 'complete' || task.Status.State === 'shutdown')) out.exitCode = exit;
  const cid = task.Status.ContainerStatus?.ContainerID;
  if (cid) out.containerId = cid;
  return out;
}

/** The stack's services (by its namespace label), sorted by name. */
export function stackServices(docker: Docker, stack: string): Promise<SwarmService[]> {
  return docker.services({ stack });
}

/** Tasks of services, newest first, with service and node names. `upToDate`: current spec only. */
export async function serviceTasks(
  docker: Docker,
  services: readonly SwarmService[],
  options: { upToDate?: boolean; running?: boolean } = {},
): Promise<Task[]> {
  if (!services.length) return [];
  const raw = await docker.tasks({ services: services.map((s) => s.ID), ...options });
  const names = new Map(services.map((s) => [s.ID, s.Spec.Name]));
  const out: Task[] = [];
  for (const t of raw) out.push(toTask(t, names.get(t.ServiceID) ?? t.ServiceID, await docker.nodeName(t.NodeID), docker.clockOffsetMs));
  return out.sort((a, b) => b.created - a.created || b.since - a.since);
}

/** The `coop-cloud.<stack>.*` labels of the app service: recipe, version, chaos. */
export interface DeployedVersion {
  recipe?: string;
  version?: string;
  chaos?: boolean;
  chaosVersion?: string;
}

export function deployedVersion(services: readonly SwarmService[], stack: string): DeployedVersion | undefined {
  const app = services.find((s) => s.Spec.Name === `${stack}_app`) ?? services[0];
  if (!app) return undefined;
  return versionFromLabels(app.Spec.Labels ?? {}, stack);
}

export function versionFromLabels(labels: Record<string, string>, stack: string): DeployedVersion {
  const prefix = `coop-cloud.${stack}`;
  const out: DeployedVersion = {};
  if (labels[`${prefix}.recipe`]) out.recipe = labels[`${prefix}.recipe`];
  if (labels[`${prefix}.version`]) out.version = labels[`${prefix}.version`];
  if (labels[`${prefix}.chaos`] !== undefined) out.chaos = labels[`${prefix}.chaos`] === 'true';
  if (labels[`${prefix}.chaos-version`]) out.chaosVersion = labels[`${prefix}.chaos-version`];
  return out;
}

export function describeVersion(v: DeployedVersion | undefined): string {
  if (!v) return 'unknown version';
  const base = v.version ?? 'no version label';
  return v.chaos ? `${base} (chaos ${v.chaosVersion ?? ''})`.replace(/ \)$/, ')') : base;
}

/** The service's name without the `<stack>_` prefix. */
export function shortName(fullName: string, stack: string): string {
  return fullName.startsWith(`${stack}_`) ? fullName.slice(stack.length + 1) : fullName;
}

/** Desired replicas: a number for replicated services, 'global' or 'job' otherwise. */
export function desiredReplicas(spec: ServiceSpec): number | 'global' | 'job' {
  if (spec.Mode?.Global) return 'global';
  if (spec.Mode?.ReplicatedJob || spec.Mode?.GlobalJob) return 'job';
  return spec.Mode?.Replicated?.Replicas ?? 1;
}
