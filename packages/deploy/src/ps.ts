import { readAppEnv } from './app-env.js';
import { DockerCli } from './docker.js';
import {
  type DeployedVersion,
  deployedVersion,
  describeVersion,
  desiredReplicas,
  serviceTasks,
  shortName,
  stackServices,
  type UpdateState,
} from './swarm-state.js';

/** `galley ps`: what an app runs, at which version. */
export interface ServiceStatus {
  name: string;
  image: string;
  mode: 'replicated' | 'global' | 'job';
  running: number;
  /** Desired tasks (replicated), or the tasks the swarm wants running (global). */
  desired: number;
  updateState?: UpdateState;
  updateMessage?: string;
  /** Errors of tasks that should run but do not. */
  errors: string[];
}

export interface AppStatus {
  stack: string;
  domain: string;
  deployed: boolean;
  version?: DeployedVersion;
  services: ServiceStatus[];
}

export async function appStatus(appEnvFile: string, options: { docker?: DockerCli } = {}): Promise<AppStatus> {
  const docker = options.docker ?? new DockerCli();
  const app = await readAppEnv(appEnvFile);
  const services = await stackServices(docker, app.stackName);
  const status: AppStatus = { stack: app.stackName, domain: app.domain, deployed: services.length > 0, services: [] };
  if (!services.length) return status;
  const version = deployedVersion(services, app.stackName);
  if (version) status.version = version;
  const tasks = await serviceTasks(
    docker,
    services.map((s) => s.Spec.Name),
    { desiredRunning: true },
  );
  for (const service of services) {
    const mine = tasks.filter((t) => t.service === service.Spec.Name);
    const mode = desiredReplicas(service.Spec);
    const entry: ServiceStatus = {
      name: shortName(service.Spec.Name, app.stackName),
      image: service.Spec.TaskTemplate?.ContainerSpec?.Image ?? '',
      mode: typeof mode === 'number' ? 'replicated' : mode,
      running: mine.filter((t) => t.state === 'running').length,
      desired: typeof mode === 'number' ? mode : mine.length,
      errors: [...new Set(mine.filter((t) => t.state !== 'running' && t.error).map((t) => `${t.name}: ${t.error}`))],
    };
    const update = service.UpdateStatus ?? undefined;
    if (update?.State) entry.updateState = update.State;
    if (update?.Message) entry.updateMessage = update.Message;
    status.services.push(entry);
  }
  status.services.sort((a, b) => (a.name === 'app' ? -1 : b.name === 'app' ? 1 : a.name < b.name ? -1 : 1));
  return status;
}

export function formatAppStatus(status: AppStatus): string {
  if (!status.deployed) return `${status.stack} (${status.domain}) is not deployed\n`;
  const v = status.version;
  const lines = [`${status.stack}: ${v?.recipe ?? 'unknown recipe'} ${describeVersion(v)}`];
  const rows = [['SERVICE', 'REPLICAS', 'IMAGE', 'UPDATE']];
  for (const s of status.services) {
    const update = s.updateState ? `${s.updateState}${s.updateState !== 'completed' && s.updateMessage ? `: ${s.updateMessage}` : ''}` : '';
    rows.push([s.name, `${s.running}/${s.desired}${s.mode === 'replicated' ? '' : ` (${s.mode})`}`, s.image, update]);
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) lines.push(`  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]}`.trimEnd());
  for (const s of status.services) for (const e of s.errors) lines.push(`  ! ${e}`);
  return `${lines.join('\n')}\n`;
}
