import { indentedList, visible } from '@galley/platform';
import type { Docker } from '@galley/platform/docker';
import { readAppEnv } from './app-env.js';
import { openServer, type ServerOptions } from './server.js';
import { type DeployedVersion, deployedVersion, describeVersion, desiredReplicas, serviceTasks, shortName, type UpdateState } from './swarm-state.js';

/** `galley ps`: what an app runs, at which version, and whether it keeps crashing. */
export interface ServiceStatus {
  name: string;
  image: string;
  mode: 'replicated' | 'global' | 'job';
  running: number;
  /** Desired tasks (replicated), or the tasks the swarm wants running (global). */
  desired: number;
  updateState?: UpdateState;
  updateMessage?: string;
  /** Tasks that failed within the last `RECENT_MINUTES` minutes (a crash loop restarts again and again). */
  recentFailures: number;
  /** The newest task error, with how long ago it happened. */
  lastError?: { task: string; error: string; at: string; secondsAgo: number };
}

export interface AppStatus {
  /** The engine asked. */
  server: string;
  stack: string;
  domain: string;
  deployed: boolean;
  version?: DeployedVersion;
  services: ServiceStatus[];
}

/** How far back `galley ps` counts restarts. */
export const RECENT_MINUTES = 10;

export async function appStatus(appEnvFile: string, options: ServerOptions = {}): Promise<AppStatus> {
  const app = await readAppEnv(appEnvFile);
  const docker = await openServer(appEnvFile, options);
  try {
    return await statusOf(docker, app.stackName, app.domain);
  } finally {
    if (!options.docker) docker.close();
  }
}

async function statusOf(docker: Docker, stack: string, domain: string): Promise<AppStatus> {
  const services = await docker.services({ stack });
  const status: AppStatus = { server: docker.describe(), stack, domain, deployed: services.length > 0, services: [] };
  if (!services.length) return status;
  const version = deployedVersion(services, stack);
  if (version) status.version = version;
  await docker.info();
  const tasks = await serviceTasks(docker, services);
  const now = Date.now();
  for (const service of services) {
    const mine = tasks.filter((t) => t.service === service.Spec.Name);
    const active = mine.filter((t) => t.desired === 'running');
    const mode = desiredReplicas(service.Spec);
    const failed = mine.filter((t) => (t.state === 'failed' || t.state === 'rejected') && now - t.since < RECENT_MINUTES * 60_000);
    const entry: ServiceStatus = {
      name: shortName(service.Spec.Name, stack),
      image: service.Spec.TaskTemplate?.ContainerSpec?.Image?.replace(/@sha256:.*$/, '') ?? '',
      mode: typeof mode === 'number' ? 'replicated' : mode,
      running: active.filter((t) => t.state === 'running').length,
      desired: typeof mode === 'number' ? mode : active.length,
      recentFailures: failed.length,
    };
    const last = mine.filter((t) => t.error || t.exitCode).sort((a, b) => b.since - a.since)[0];
    if (last) {
      entry.lastError = {
        task: `${last.name}.${last.id.slice(0, 12)}`,
        error: last.error || `exit code ${last.exitCode}`,
        at: new Date(last.since).toISOString(),
        secondsAgo: Math.max(0, Math.round((now - last.since) / 1000)),
      };
    }
    const update = service.UpdateStatus ?? undefined;
    if (update?.State) entry.updateState = update.State;
    if (update?.Message) entry.updateMessage = update.Message;
    status.services.push(entry);
  }
  status.services.sort((a, b) => (a.name === 'app' ? -1 : b.name === 'app' ? 1 : a.name < b.name ? -1 : 1));
  return status;
}

function ago(seconds: number): string {
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

export function formatAppStatus(status: AppStatus): string {
  if (!status.deployed) return `${indentedList([`${status.stack} (${status.domain}) is not deployed on ${status.server}`], '')}\n`;
  const v = status.version;
  const lines = [`${status.stack} on ${status.server}: ${v?.recipe ?? 'unknown recipe'} ${describeVersion(v)}`];
  const rows = [['SERVICE', 'REPLICAS', 'IMAGE', `FAILED (${RECENT_MINUTES} MIN)`, 'UPDATE']];
  // Names, images and engine messages come from the swarm: escaped before the columns are measured.
  for (const s of status.services) {
    const update = s.updateState ? `${s.updateState}${s.updateState !== 'completed' && s.updateMessage ? `: ${s.updateMessage}` : ''}` : '';
    rows.push([
      visible(s.name),
      `${s.running}/${s.desired}${s.mode === 'replicated' ? '' : ` (${s.mode})`}`,
      visible(s.image),
      String(s.recentFailures),
      visible(update),
    ]);
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    lines.push(
      `  ${r
        .slice(0, 4)
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')}  ${r[4]}`.trimEnd(),
    );
  for (const s of status.services) {
    if (!s.lastError) continue;
    const loop = s.recentFailures >= 2 ? `CRASH LOOP: ${s.recentFailures} tasks failed in ${RECENT_MINUTES} min; ` : '';
    lines.push(`  ! ${s.name}: ${loop}last task error ${ago(s.lastError.secondsAgo)} (${s.lastError.task}): ${s.lastError.error}`);
  }
  return `${indentedList(lines, '')}\n`;
}
