import type { DockerCli } from './docker.js';

/** What the swarm says about services and tasks, read through `docker … inspect|ls|ps`. */

export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';

export interface Healthcheck {
  Test?: string[];
  /** Nanoseconds, as the engine API gives durations. */
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
}

export interface ServiceSpec {
  Name: string;
  Labels?: Record<string, string>;
  TaskTemplate?: {
    ContainerSpec?: { Image?: string; Healthcheck?: Healthcheck };
  };
  Mode?: {
    Replicated?: { Replicas?: number };
    Global?: Record<string, never>;
    ReplicatedJob?: Record<string, unknown>;
    GlobalJob?: Record<string, unknown>;
  };
  UpdateConfig?: { Parallelism?: number; Delay?: number; Monitor?: number; FailureAction?: string; Order?: string };
}

export type UpdateState = 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed';

export interface SwarmService {
  ID: string;
  Version: { Index: number };
  Spec: ServiceSpec;
  PreviousSpec?: ServiceSpec;
  UpdateStatus?: { State?: UpdateState; Message?: string; StartedAt?: string; CompletedAt?: string } | null;
}

/** One line of `docker service ps --format '{{json .}}'`. */
export interface TaskLine {
  ID: string;
  Name: string;
  Image: string;
  Node: string;
  DesiredState: string;
  /** e.g. "Running 3 seconds ago" */
  CurrentState: string;
  Error: string;
}

export interface Task {
  id: string;
  /** The service's full name (`<stack>_<service>`). */
  service: string;
  /** `<service>.<slot>` as docker names it. */
  name: string;
  node: string;
  image: string;
  desired: string;
  /** Lower-case state word: new, pending, assigned, accepted, preparing, ready, starting, running, complete, failed, shutdown, rejected, orphaned, remove. */
  state: string;
  /** The state line as docker shows it ("Running 3 seconds ago"). */
  stateText: string;
  error: string;
}

export function toTask(line: TaskLine): Task {
  const name = line.Name;
  const dot = name.lastIndexOf('.');
  return {
    id: line.ID,
    service: dot === -1 ? name : name.slice(0, dot),
    name,
    node: line.Node,
    image: line.Image,
    desired: line.DesiredState.toLowerCase(),
    state: (line.CurrentState.split(/\s+/)[0] ?? '').toLowerCase(),
    stateText: line.CurrentState,
    error: line.Error.replace(/^"(.*)"$/, '$1'),
  };
}

/** Full names of the services of a stack. */
export async function stackServiceNames(docker: DockerCli, stack: string): Promise<string[]> {
  const out = await docker.exec(['service', 'ls', '--filter', `label=${STACK_NAMESPACE_LABEL}=${stack}`, '--format', '{{.Name}}']);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
}

export async function inspectServices(docker: DockerCli, names: readonly string[]): Promise<SwarmService[]> {
  if (!names.length) return [];
  return docker.jsonArray<SwarmService>(['service', 'inspect', ...names]);
}

/** The stack's services, inspected. */
export async function stackServices(docker: DockerCli, stack: string): Promise<SwarmService[]> {
  return inspectServices(docker, await stackServiceNames(docker, stack));
}

/**
 * Tasks of services. `upToDate`: only tasks of each service's current spec
 * (docker's own `_up-to-date` filter, which compares spec versions, so old
 * tasks never count as new ones).
 */
export async function serviceTasks(
  docker: DockerCli,
  names: readonly string[],
  options: { upToDate?: boolean; desiredRunning?: boolean } = {},
): Promise<Task[]> {
  if (!names.length) return [];
  const args = ['service', 'ps', '--no-trunc', '--format', '{{json .}}'];
  if (options.upToDate) args.push('--filter', '_up-to-date=true');
  if (options.desiredRunning) args.push('--filter', 'desired-state=running');
  const lines = await docker.jsonLines<TaskLine>([...args, ...names]);
  return lines.map(toTask);
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
