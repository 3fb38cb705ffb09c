import { GalleyError } from '@galley/platform';
import type { Docker, LogLine } from '@galley/platform/docker';
import { readAppEnv } from './app-env.js';
import { type ConvergenceResult, watchConvergence } from './converge.js';
import { acquireLock } from './lock.js';
import { type DeployReporter, silentReporter } from './progress.js';
import { openServer, type ServerOptions } from './server.js';
import { type SwarmService, serviceTasks, shortName } from './swarm-state.js';

/** `galley logs`, `galley restart`, `galley run`: an operator's day after a deploy. */

async function appServices(docker: Docker, stack: string, service: string | undefined): Promise<SwarmService[]> {
  const services = await docker.services({ stack });
  if (!services.length) throw new GalleyError('not-deployed', `${stack} is not deployed on ${docker.describe()}`);
  if (!service) return services;
  const found = services.filter((s) => s.Spec.Name === `${stack}_${service}`);
  if (!found.length) {
    throw new GalleyError(
      'service-unknown',
      `${stack} has no service ${service} on ${docker.describe()}; its services: ${services.map((s) => shortName(s.Spec.Name, stack)).join(', ')}`,
    );
  }
  return found;
}

export interface LogsOptions extends ServerOptions {
  service?: string;
  follow?: boolean;
  /** A docker duration (`10m`) or a time. */
  since?: string;
  tail?: number;
  timestamps?: boolean;
  signal?: AbortSignal;
}

export interface AppLogLine extends LogLine {
  /** `<service>.<slot>.<task id>`: which task said it. */
  task: string;
  service: string;
}

/**
 * The log lines of an app's services (or one), each with the task that
 * wrote it. Without `follow`, services one after the other; with it, all at
 * once until the signal aborts.
 */
export async function* appLogs(appEnvFile: string, options: LogsOptions = {}): AsyncGenerator<AppLogLine> {
  const app = await readAppEnv(appEnvFile);
  const docker = await openServer(appEnvFile, options);
  try {
    const services = await appServices(docker, app.stackName, options.service);
    const tasks = await serviceTasks(docker, services);
    const names = new Map(tasks.map((t) => [t.id, `${shortName(t.name, app.stackName)}.${t.id.slice(0, 12)}`]));
    const logOptions = {
      tail: options.tail ?? 'all',
      follow: options.follow ?? false,
      timestamps: options.timestamps ?? false,
      ...(options.since ? { since: options.since } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    } as const;
    for (const service of services) {
      const short = shortName(service.Spec.Name, app.stackName);
      for await (const line of docker.logs('service', service.ID, logOptions)) {
        const task = line.taskId ? (names.get(line.taskId) ?? `${short}.${line.taskId.slice(0, 12)}`) : short;
        yield { ...line, task, service: short };
      }
      if (options.signal?.aborted) break;
    }
  } finally {
    if (!options.docker) docker.close();
  }
}

export interface RestartOptions extends ServerOptions {
  service?: string;
  timeoutSeconds?: number;
  stabilitySeconds?: number;
  reporter?: DeployReporter;
  signal?: AbortSignal;
  lockDir?: string;
}

export interface RestartResult {
  server: string;
  stack: string;
  restarted: string[];
  convergence: ConvergenceResult;
}

/** `docker service update --force` of an app's services (or one), under the app's lock, then waits as a deploy does. */
export async function restartApp(appEnvFile: string, options: RestartOptions = {}): Promise<RestartResult> {
  const app = await readAppEnv(appEnvFile);
  const reporter = options.reporter ?? silentReporter;
  const docker = await openServer(appEnvFile, { ...options, onRetry: (m) => reporter.warn(m) });
  const lock = await acquireLock(app.stackName, {
    command: 'restart',
    docker,
    ...(options.lockDir ? { dir: options.lockDir } : {}),
    onTakeover: (m) => reporter.warn(m),
  });
  try {
    await docker.assertManager();
    const services = await appServices(docker, app.stackName, options.service);
    const started = Date.now();
    for (const s of services) {
      reporter.step(`restarting ${s.Spec.Name} on ${docker.describe()}`);
      await docker.restartService(s);
    }
    const convergence = await watchConvergence(docker, {
      services: services.map((s) => s.Spec.Name),
      stack: app.stackName,
      timeoutSeconds: options.timeoutSeconds ?? 300,
      ...(options.stabilitySeconds !== undefined ? { stabilitySeconds: options.stabilitySeconds } : {}),
      startedAt: started,
      previousUpdateStart: new Map(services.map((s) => [s.Spec.Name, s.UpdateStatus?.StartedAt])),
      onProgress: (p) => reporter.progress(`waiting for ${app.stackName} to restart`, p),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    reporter.endProgress();
    return { server: docker.describe(), stack: app.stackName, restarted: services.map((s) => shortName(s.Spec.Name, app.stackName)), convergence };
  } finally {
    await lock.release().catch(() => undefined);
    if (!options.docker) docker.close();
  }
}

export interface RunOptions extends ServerOptions {
  /** Attach a terminal (`docker exec -t`). */
  tty?: boolean;
  user?: string;
}

/** Runs a command in a running container of a service, on galley's terminal; resolves with its exit code. */
export async function runInApp(appEnvFile: string, service: string, command: readonly string[], options: RunOptions = {}): Promise<number> {
  if (!command.length) throw new GalleyError('usage', 'name the command to run after --, e.g. galley run app.env app -- ls /');
  const app = await readAppEnv(appEnvFile);
  const docker = await openServer(appEnvFile, options);
  try {
    const [svc] = await appServices(docker, app.stackName, service);
    const tasks = await serviceTasks(docker, [svc!], { running: true });
    const running = tasks.filter((t) => t.state === 'running' && t.containerId);
    let container: string | undefined;
    for (const t of running) if (await docker.container(t.containerId!)) container = t.containerId;
    if (!container) {
      const where = running.length
        ? ` (it runs on ${[...new Set(running.map((t) => t.node))].join(', ')}; galley can only reach containers on the node it talks to)`
        : '';
      throw new GalleyError('no-running-task', `no running container of ${svc!.Spec.Name} on ${docker.describe()}${where}`, { exitCode: 1 });
    }
    // The engine connection is not needed while the command runs.
    docker.close();
    const ended = await docker.execAttached(container, command, { ...(options.tty ? { tty: true } : {}), ...(options.user ? { user: options.user } : {}) });
    return ended.code ?? (ended.signal ? 128 + (ended.signal === 'SIGINT' ? 2 : ended.signal === 'SIGTERM' ? 15 : 9) : 1);
  } finally {
    if (!options.docker) docker.close();
  }
}
