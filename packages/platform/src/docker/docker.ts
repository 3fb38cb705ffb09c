import type { IncomingMessage } from 'node:http';
import { GalleyError, isGalleyError } from '../errors.js';
import type { ExecResult } from '../exec/process.js';
import { DockerCli, type DockerRunOptions } from './cli.js';
import { EngineConnection } from './engine.js';
import { FrameDecoder, type LogLine, parseLogLine } from './logs.js';
import { type DockerTarget, describeTarget, resolveTarget, type TargetOptions } from './target.js';
import type {
  ContainerInspect,
  ContainerSummary,
  DockerNetwork,
  DockerVolume,
  EngineInfo,
  ImageInspect,
  ServiceSpec,
  SwarmNode,
  SwarmObject,
  SwarmService,
  SwarmTask,
} from './types.js';

/**
 * @galley/platform/docker's facade: every swarm operation galley does, typed.
 *
 * Reads and small writes go over one long-lived Engine API connection
 * (EngineConnection: `docker system dial-stdio`); `docker stack deploy`,
 * `docker stack rm` and interactive `docker exec` run the docker CLI. Both
 * reach the engine the target names (context, DOCKER_HOST or a servers
 * folder). Secret values only ever travel in request bodies or on stdin.
 */

export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';

export interface DockerOpenOptions extends TargetOptions {
  /** Told when a dropped connection is retried. */
  onRetry?: (message: string) => void;
  /** How long reads keep retrying after the connection drops (default 60 s). */
  retryBudgetMs?: number;
}

type Filters = Record<string, string[]>;

/** What `docker stack rm` says when a network's tasks are still stopping. */
const NETWORK_IN_USE = /network \S+ is in use by task/;

export interface DockerStats {
  /** Engine API connections opened (dial-stdio processes; over ssh, SSH sessions). */
  engineConnections: number;
  /** docker CLI processes started (each opens its own connection). */
  cliProcesses: number;
  requests: number;
  retries: number;
}

export interface LogOptions {
  tail?: number | 'all';
  /** Unix seconds or a docker duration like `10m`. */
  since?: string;
  follow?: boolean;
  timestamps?: boolean;
  signal?: AbortSignal;
}

export class Docker {
  readonly cli: DockerCli;
  readonly engine: EngineConnection;
  private nodeNames: Map<string, string> | undefined;

  private constructor(
    readonly target: DockerTarget,
    options: DockerOpenOptions,
  ) {
    const describe = describeTarget(target);
    this.cli = new DockerCli({ env: target.env, describe, ...(options.binary ? { binary: options.binary } : {}) });
    this.engine = new EngineConnection({
      binary: this.cli.binary,
      env: target.env,
      describe,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      ...(options.retryBudgetMs !== undefined ? { retryBudgetMs: options.retryBudgetMs } : {}),
    });
  }

  /** Resolves which engine to talk to (no connection yet: it opens on the first request). */
  static async open(options: DockerOpenOptions = {}): Promise<Docker> {
    return new Docker(await resolveTarget(options), options);
  }

  /** `server serverb (docker context serverb: ssh://…)`. */
  describe(): string {
    return describeTarget(this.target);
  }

  stats(): DockerStats {
    return {
      engineConnections: this.engine.connections,
      cliProcesses: this.cli.processes,
      requests: this.engine.requests,
      retries: this.engine.retries,
    };
  }

  close(): void {
    this.engine.close();
  }

  // --- engine and swarm -------------------------------------------------------

  /** The engine's clock minus this machine's (ms), measured by info(): task times are the engine's. */
  clockOffsetMs = 0;

  async info(): Promise<EngineInfo> {
    const before = Date.now();
    const info = await this.engine.json<EngineInfo>({ path: '/info' });
    const engineTime = Date.parse(info.SystemTime ?? '');
    if (engineTime) this.clockOffsetMs = engineTime - (before + Date.now()) / 2;
    return info;
  }

  /** Fails with an actionable error unless the engine is a swarm manager. */
  async assertManager(): Promise<EngineInfo> {
    const info = await this.info();
    if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) {
      const state = info.Swarm?.LocalNodeState === 'active' ? 'a swarm worker, not a manager' : `not in a swarm (${info.Swarm?.LocalNodeState ?? 'unknown'})`;
      throw new GalleyError(
        'docker-not-swarm-manager',
        `the docker engine (${this.describe()}) is ${state}: point the server's docker context at a manager node, or run \`docker swarm init\` there`,
      );
    }
    return info;
  }

  async nodes(): Promise<SwarmNode[]> {
    const nodes = await this.engine.json<SwarmNode[]>({ path: '/nodes' });
    this.nodeNames = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID.slice(0, 12)]));
    return nodes;
  }

  /** Host name of a node id (nodes listed once per Docker object, again when an unknown id appears). */
  async nodeName(id: string | undefined): Promise<string> {
    if (!id) return '';
    if (!this.nodeNames?.has(id)) await this.nodes().catch(() => undefined);
    return this.nodeNames?.get(id) ?? id.slice(0, 12);
  }

  // --- services and tasks -----------------------------------------------------

  /** Services of a stack (by its namespace label), or with these exact names. */
  async services(select: { stack?: string; names?: readonly string[] } = {}): Promise<SwarmService[]> {
    const filters: Filters = {};
    if (select.stack) filters.label = [`${STACK_NAMESPACE_LABEL}=${select.stack}`];
    if (select.names) {
      if (!select.names.length) return [];
      filters.name = [...select.names];
    }
    const services = await this.engine.json<SwarmService[]>({ path: '/services', query: { filters: JSON.stringify(filters) } });
    // The name filter matches prefixes: keep exact names only.
    const wanted = select.names ? new Set(select.names) : undefined;
    return services.filter((s) => !wanted || wanted.has(s.Spec.Name)).sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : 1));
  }

  async service(idOrName: string): Promise<SwarmService | undefined> {
    const response = await this.engine.request({ path: `/services/${encodeURIComponent(idOrName)}`, accept: [404] });
    return response.status === 404 ? undefined : (JSON.parse(response.body.toString('utf8')) as SwarmService);
  }

  /**
   * Tasks of services (ids or names). `upToDate`: only tasks of each
   * service's current spec (the engine's own `_up-to-date` filter, which
   * compares spec versions); `running`: only tasks meant to run.
   */
  async tasks(select: { services: readonly string[]; upToDate?: boolean; running?: boolean }): Promise<SwarmTask[]> {
    if (!select.services.length) return [];
    const filters: Filters = { service: [...select.services] };
    if (select.upToDate) filters['_up-to-date'] = ['true'];
    if (select.running) filters['desired-state'] = ['running'];
    return this.engine.json<SwarmTask[]>({ path: '/tasks', query: { filters: JSON.stringify(filters) } });
  }

  async task(id: string): Promise<SwarmTask | undefined> {
    const response = await this.engine.request({ path: `/tasks/${encodeURIComponent(id)}`, accept: [404] });
    return response.status === 404 ? undefined : (JSON.parse(response.body.toString('utf8')) as SwarmTask);
  }

  async createService(spec: ServiceSpec): Promise<string> {
    const created = await this.engine.json<{ ID: string }>({ method: 'POST', path: '/services/create', body: spec });
    return created.ID;
  }

  /** `docker service update` with a whole spec (`rollback`: `docker service rollback`). */
  async updateService(service: SwarmService, spec: ServiceSpec, options: { rollback?: boolean } = {}): Promise<void> {
    await this.engine.request({
      method: 'POST',
      path: `/services/${service.ID}/update`,
      query: { version: service.Version.Index, ...(options.rollback ? { rollback: 'previous' } : {}) },
      body: spec,
    });
  }

  /** `docker service rollback`: back to the service's previous spec. */
  async rollbackService(service: SwarmService): Promise<void> {
    await this.updateService(service, service.Spec, { rollback: true });
  }

  /** `docker service update --force`: new tasks with the same spec (a restart). */
  async restartService(service: SwarmService): Promise<void> {
    const template = service.Spec.TaskTemplate ?? {};
    await this.updateService(service, { ...service.Spec, TaskTemplate: { ...template, ForceUpdate: (template.ForceUpdate ?? 0) + 1 } });
  }

  async removeService(idOrName: string): Promise<void> {
    await this.engine.request({ method: 'DELETE', path: `/services/${encodeURIComponent(idOrName)}`, accept: [404], idempotent: true });
  }

  /** Log lines of a service or one task, oldest first; follows while `follow` (until aborted). */
  async *logs(kind: 'service' | 'task', id: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
    const query = {
      stdout: true,
      stderr: true,
      details: true,
      timestamps: options.timestamps ?? false,
      follow: options.follow ?? false,
      tail: options.tail ?? 'all',
      ...(options.since ? { since: options.since } : {}),
    };
    let response: IncomingMessage;
    try {
      response = await this.engine.stream({ path: `/${kind}s/${encodeURIComponent(id)}/logs`, query }, options.signal);
    } catch (error) {
      if (options.signal?.aborted) return;
      throw error;
    }
    const decoder = new FrameDecoder();
    const parse = (stream: 'stdout' | 'stderr', line: string) => parseLogLine(stream, line, { timestamps: query.timestamps, details: true });
    try {
      for await (const chunk of response) {
        for (const { stream, line } of decoder.push(chunk as Buffer)) yield parse(stream, line);
      }
    } catch (error) {
      if (!options.signal?.aborted) throw error;
    }
    for (const { stream, line } of decoder.end()) yield parse(stream, line);
  }

  // --- secrets and configs ------------------------------------------------------

  secrets(filters: Filters = {}): Promise<SwarmObject[]> {
    return this.engine.json<SwarmObject[]>({ path: '/secrets', query: { filters: JSON.stringify(filters) } });
  }

  /** Creates a secret; the value goes in the request body only. Throws `secret-exists` when the name is taken. */
  async createSecret(name: string, value: string, labels: Record<string, string> = {}): Promise<string> {
    return this.createObject('secret', name, Buffer.from(value, 'utf8'), labels);
  }

  async removeSecret(idOrName: string): Promise<void> {
    await this.engine.request({ method: 'DELETE', path: `/secrets/${encodeURIComponent(idOrName)}`, accept: [404], idempotent: true });
  }

  configs(filters: Filters = {}): Promise<SwarmObject[]> {
    return this.engine.json<SwarmObject[]>({ path: '/configs', query: { filters: JSON.stringify(filters) } });
  }

  async config(idOrName: string): Promise<SwarmObject | undefined> {
    const response = await this.engine.request({ path: `/configs/${encodeURIComponent(idOrName)}`, accept: [404] });
    return response.status === 404 ? undefined : (JSON.parse(response.body.toString('utf8')) as SwarmObject);
  }

  /** Replaces a config's labels (the only part of a config that can change). */
  async relabelConfig(config: SwarmObject, labels: Record<string, string>): Promise<void> {
    await this.engine.request({
      method: 'POST',
      path: `/configs/${config.ID}/update`,
      query: { version: config.Version?.Index ?? 0 },
      body: { ...config.Spec, Labels: labels },
    });
  }

  async createConfig(name: string, data: string, labels: Record<string, string> = {}): Promise<string> {
    return this.createObject('config', name, Buffer.from(data, 'utf8'), labels);
  }

  /** Removes a config; false when it was not there. Docker refuses one a service uses (an error). */
  async removeConfig(idOrName: string): Promise<boolean> {
    const response = await this.engine.request({ method: 'DELETE', path: `/configs/${encodeURIComponent(idOrName)}`, accept: [404], idempotent: true });
    return response.status !== 404;
  }

  private async createObject(kind: 'secret' | 'config', name: string, data: Buffer, labels: Record<string, string>): Promise<string> {
    try {
      const created = await this.engine.json<{ ID: string }>({
        method: 'POST',
        path: `/${kind}s/create`,
        body: { Name: name, Labels: labels, Data: data.toString('base64') },
      });
      return created.ID;
    } catch (error) {
      if (isGalleyError(error) && /already exists|AlreadyExists|code = AlreadyExists|409/i.test(error.message)) {
        throw new GalleyError(`${kind}-exists`, `${kind} ${name} already exists: swarm ${kind}s are immutable; a new one needs a new version in its name`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  // --- networks, volumes, containers, images ------------------------------------

  networks(filters: Filters = {}): Promise<DockerNetwork[]> {
    return this.engine.json<DockerNetwork[]>({ path: '/networks', query: { filters: JSON.stringify(filters) } });
  }

  async volumes(filters: Filters = {}): Promise<DockerVolume[]> {
    const answer = await this.engine.json<{ Volumes: DockerVolume[] | null }>({ path: '/volumes', query: { filters: JSON.stringify(filters) } });
    return answer.Volumes ?? [];
  }

  async removeVolume(name: string): Promise<void> {
    await this.engine.request({ method: 'DELETE', path: `/volumes/${encodeURIComponent(name)}`, accept: [404], idempotent: true });
  }

  containers(filters: Filters = {}): Promise<ContainerSummary[]> {
    return this.engine.json<ContainerSummary[]>({ path: '/containers/json', query: { all: true, filters: JSON.stringify(filters) } });
  }

  /** A container on the engine galley talks to (undefined when it is not there, e.g. on another node). */
  async container(id: string): Promise<ContainerInspect | undefined> {
    const response = await this.engine.request({ path: `/containers/${encodeURIComponent(id)}/json`, accept: [404] });
    return response.status === 404 ? undefined : (JSON.parse(response.body.toString('utf8')) as ContainerInspect);
  }

  async image(id: string): Promise<ImageInspect | undefined> {
    const response = await this.engine.request({ path: `/images/${encodeURIComponent(id)}/json`, accept: [404] });
    return response.status === 404 ? undefined : (JSON.parse(response.body.toString('utf8')) as ImageInspect);
  }

  // --- the docker CLI -------------------------------------------------------------

  /** `docker stack deploy -c - <stack>`: the compose file on stdin; `cwd` resolves relative paths. */
  stackDeploy(
    stack: string,
    compose: string,
    options: { cwd?: string; prune?: boolean; resolveImage?: string; signal?: AbortSignal } = {},
  ): Promise<ExecResult> {
    const args = ['stack', 'deploy', '--compose-file', '-', '--resolve-image', options.resolveImage ?? 'never'];
    if (options.prune) args.push('--prune');
    const run: DockerRunOptions = { input: compose, timeoutMs: 300_000 };
    if (options.cwd) run.cwd = options.cwd;
    if (options.signal) run.signal = options.signal;
    return this.cli.run([...args, stack], run);
  }

  /** A failed docker CLI run (e.g. stackDeploy's result) as an error a person can act on. */
  failure(args: readonly string[], result: ExecResult): GalleyError {
    return this.cli.failure(args, result);
  }

  /**
   * `docker stack rm <stack>`. Docker removes the services, then the
   * networks; a network whose tasks are still stopping cannot go yet ("is in
   * use by task", and the run exits 1), so the removal is run again, once a
   * second, for up to `waitMs`.
   */
  async stackRemove(stack: string, waitMs = 60_000): Promise<void> {
    const args = ['stack', 'rm', stack];
    const deadline = Date.now() + waitMs;
    for (;;) {
      const result = await this.cli.run(args);
      if (result.code === 0) return;
      if (!NETWORK_IN_USE.test(result.stderr) || Date.now() >= deadline) throw this.cli.failure(args, result);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /** `docker exec -i <container> <command…>` with `input` on stdin, output captured. */
  execIn(container: string, command: readonly string[], options: { input?: string; timeoutMs?: number; user?: string } = {}): Promise<ExecResult> {
    const args = ['exec', '-i', ...(options.user ? ['--user', options.user] : []), container, ...command];
    return this.cli.run(args, { ...(options.input !== undefined ? { input: options.input } : {}), timeoutMs: options.timeoutMs ?? 600_000 });
  }

  /** `docker exec -i [-t] <container> <command…>` on galley's terminal. */
  execAttached(container: string, command: readonly string[], options: { tty?: boolean; user?: string } = {}) {
    const args = ['exec', '-i', ...(options.tty ? ['-t'] : []), ...(options.user ? ['--user', options.user] : []), container, ...command];
    return this.cli.attached(args);
  }
}
