import { GalleyError } from '../errors.js';
import { exec, ok, SpawnError } from '../exec/process.js';
import { cleanStderr, firstLine } from './errors.js';

/**
 * Which docker engine galley talks to, decided as the docker CLI decides
 * it, with abra's servers folder in between:
 *
 * 1. `--context NAME` (galley's flag);
 * 2. `DOCKER_HOST` in the environment;
 * 3. `DOCKER_CONTEXT` in the environment;
 * 4. the server an app env file's folder names (`…/servers/<name>/app.env`
 *    selects the docker context `<name>`, as abra does);
 * 5. the docker CLI's current context.
 *
 * A context that does not exist is an error naming it and where it came
 * from. Every docker child galley starts gets the environment of the chosen
 * target (DOCKER_CONTEXT set, or DOCKER_HOST kept), so all of them reach
 * the same engine.
 */

export type TargetSource = '--context' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'server folder' | 'current context';

export interface DockerTarget {
  /** The server's name as people know it: the servers folder, else the context, else the host. */
  server: string;
  /** The docker context used (absent when DOCKER_HOST decides). */
  context?: string;
  /** The engine's endpoint, e.g. `unix:///var/run/docker.sock`, `ssh://root@b.example`. */
  host: string;
  source: TargetSource;
  /** The environment of docker children. */
  env: NodeJS.ProcessEnv;
}

export interface TargetOptions {
  /** `--context NAME`. */
  context?: string;
  /** The server an app env file's folder names. */
  server?: string;
  /** Default: galley's environment. */
  env?: NodeJS.ProcessEnv;
  /** Default `$GALLEY_DOCKER` or `docker`. */
  binary?: string;
}

/** `server serverb (docker context serverb: ssh://root@10.0.0.2)`, for every report. */
export function describeTarget(target: DockerTarget): string {
  if (target.source === 'DOCKER_HOST') return `server ${target.host} (DOCKER_HOST)`;
  const from = target.source === '--context' || target.source === 'DOCKER_CONTEXT' ? ` from ${target.source}` : '';
  return `server ${target.server} (docker context ${target.context}${from}: ${target.host})`;
}

interface ContextInspect {
  Name: string;
  Endpoints?: { docker?: { Host?: string } };
}

export async function resolveTarget(options: TargetOptions = {}): Promise<DockerTarget> {
  const env = { ...(options.env ?? process.env) };
  const binary = options.binary ?? env.GALLEY_DOCKER ?? 'docker';
  let context: string | undefined;
  let source: TargetSource;
  if (options.context) {
    context = options.context;
    source = '--context';
  } else if (env.DOCKER_HOST) {
    delete env.DOCKER_CONTEXT;
    return { server: env.DOCKER_HOST, host: env.DOCKER_HOST, source: 'DOCKER_HOST', env };
  } else if (env.DOCKER_CONTEXT) {
    context = env.DOCKER_CONTEXT;
    source = 'DOCKER_CONTEXT';
  } else if (options.server) {
    context = options.server;
    source = 'server folder';
  } else source = 'current context';
  delete env.DOCKER_HOST;
  if (context) env.DOCKER_CONTEXT = context;
  else delete env.DOCKER_CONTEXT;
  // `docker context inspect` reads the CLI's own files: no connection to any engine.
  let result: Awaited<ReturnType<typeof exec>>;
  try {
    result = await exec(binary, ['context', 'inspect', ...(context ? [context] : [])], { env, timeoutMs: 30_000 });
  } catch (error) {
    if (error instanceof SpawnError && error.errno === 'ENOENT') {
      throw new GalleyError(
        'docker-missing',
        `the docker CLI (${binary}) is not installed or not on PATH: install it (apt-get install docker.io, or Docker's docker-ce-cli) and try again`,
      );
    }
    throw error;
  }
  if (!ok(result)) {
    const text = cleanStderr(result.stderr) || result.stdout.trim();
    const from =
      source === 'server folder'
        ? `the app env file is in the servers folder ${context}, which selects the docker context ${context}`
        : source === '--context'
          ? `given with --context`
          : source === 'DOCKER_CONTEXT'
            ? `from DOCKER_CONTEXT`
            : 'the current docker context';
    if (/not found|does not exist|no such/i.test(text)) {
      throw new GalleyError(
        'docker-context-missing',
        `docker context ${context ?? '(current)'} does not exist (${from}): create it with \`docker context create ${context ?? 'NAME'} --docker host=ssh://USER@HOST\` (abra: \`abra server add\`), or pick another with --context; \`docker context ls\` lists them`,
      );
    }
    throw new GalleyError('docker-context-missing', `cannot read docker context ${context ?? '(current)'} (${from}): ${firstLine(text)}`);
  }
  let inspected: ContextInspect | undefined;
  try {
    inspected = (JSON.parse(result.stdout) as ContextInspect[])[0];
  } catch {
    inspected = undefined;
  }
  const name = inspected?.Name ?? context ?? 'default';
  const host = inspected?.Endpoints?.docker?.Host ?? 'unix:///var/run/docker.sock';
  // Children use the context by name, so what `docker context use` says later does not change this run.
  env.DOCKER_CONTEXT = name;
  return { server: options.server && source === 'server folder' ? options.server : name, context: name, host, source, env };
}
