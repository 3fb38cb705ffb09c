import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { run } from '../../support/process.js';
import type { Swarm } from '../../support/swarm.js';
import type { ServiceSpec, SwarmCase } from './cases.js';

/**
 * Docker's verdict on a case, asked of the docker client on PATH:
 *
 * - `refused`: the loader, the conversion or the engine refused the file;
 * - `warned`: it deploys, with a warning (ignored options, an ignored host IP, a deprecated key);
 * - `dropped`: a real deploy went through but `docker service inspect` lacks what the file asked for;
 * - `changed`: a variable came out differently than docker compose (compose-spec) makes it;
 * - `ok`: accepted as written.
 */
export type DockerVerdict = 'refused' | 'warned' | 'dropped' | 'changed' | 'ok';

export interface DockerAnswer {
  verdict: DockerVerdict;
  /** What docker said (first line of the error or warning). */
  said: string;
  /** How docker was asked: `stack config`, `stack deploy (load)` or `stack deploy` (a real deploy). */
  how: string;
}

export interface DockerClient {
  version: string;
  /** `major.minor`, what galley's `--docker-version` takes. */
  majorMinor: string;
  /** Whether the client has `docker stack config` (docker 25+; Debian's 20.10 has not). */
  hasStackConfig: boolean;
}

const WARNING = /Ignoring unsupported options|Ignoring deprecated options|ignoring IP-address|is deprecated in favor of/i;

/** The docker client on PATH: its version and whether it has `stack config`. */
export async function dockerClient(): Promise<DockerClient> {
  const version = (await run('docker', ['version', '--format', '{{.Client.Version}}'], { allowFailure: true, timeoutMs: 30_000 })).stdout.trim();
  if (!/^\d+\.\d+/.test(version)) throw new Error(`no docker client on PATH answers \`docker version\` (${version || 'no output'})`);
  const help = await run('docker', ['stack', 'config', '--help'], { allowFailure: true, timeoutMs: 30_000 });
  const majorMinor = /^(\d+\.\d+)/.exec(version)![1]!;
  return { version, majorMinor, hasStackConfig: help.code === 0 && /stack config/.test(help.stdout) };
}

/** Writes a case's files into `dir` (the compose file as compose.yml). */
export async function writeCase(dir: string, c: SwarmCase): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'compose.yml'), c.compose);
  for (const [file, text] of Object.entries(c.files ?? {})) await writeFile(path.join(dir, file), text);
  if (c.env)
    await writeFile(
      path.join(dir, '.env'),
      Object.entries(c.env)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
}

/** docker's informational lines, never the answer. */
const NOISE =
  /^(Cannot connect to the Docker daemon|Since --detach=false|In a future release, --detach|Creating (network|service|secret|config)|Updating service)/;

function firstLine(text: string): string {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !NOISE.test(l));
  return (line ?? '').replace(/^time="[^"]*" level=\w+ msg="(.*)"$/, '$1').slice(0, 200);
}

/** The environment docker runs with: only the case's variables (and what the client needs), never the test runner's. */
function environment(c: SwarmCase, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...(c.env ?? {}), ...extra };
}

/**
 * Asks docker's loader (interpolation, forbidden keys, schema, loading) about
 * one case, without deploying. `docker stack config` answers where the client
 * has it; its refusal is the verdict. The warnings the loader prints
 * (ignored and deprecated options, an ignored host IP) only `docker stack
 * deploy` prints, so that is asked too, against a daemon address nobody
 * listens on: it loads the file and stops at its first API call ("Cannot
 * connect" means the file was accepted). Without `stack config` (Debian's
 * 20.10 client), that probe is the whole answer.
 */
export async function askLoader(dir: string, c: SwarmCase, client: DockerClient): Promise<DockerAnswer & { config?: unknown }> {
  let config: unknown;
  if (client.hasStackConfig) {
    const result = await run('docker', ['stack', 'config', '-c', 'compose.yml'], { cwd: dir, env: environment(c), allowFailure: true, timeoutMs: 60_000 });
    if (result.code !== 0) return { verdict: 'refused', said: firstLine(result.stderr || result.stdout), how: 'stack config' };
    config = parse(result.stdout);
  }
  const how = client.hasStackConfig ? 'stack config + deploy (load)' : 'stack deploy (load)';
  const nowhere = `unix://${path.join(dir, 'no-daemon.sock')}`;
  const probe = await run('docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', 'compose.yml', 'galley-probe'], {
    cwd: dir,
    env: environment(c, { DOCKER_HOST: nowhere }),
    allowFailure: true,
    timeoutMs: 60_000,
  });
  const loaded = /Cannot connect to the Docker daemon|connect: no such file or directory/.test(probe.stderr);
  if (!loaded) return { verdict: 'refused', said: firstLine(probe.stderr || probe.stdout), how };
  const answer: DockerAnswer & { config?: unknown } = WARNING.test(probe.stderr)
    ? { verdict: 'warned', said: firstLine(probe.stderr), how }
    : { verdict: 'ok', said: '', how };
  if (config !== undefined) answer.config = config;
  return answer;
}

/** The value of `V` in service app's environment, as docker's loader left it. */
export function loadedValue(config: unknown): string | undefined {
  const env = (config as { services?: { app?: { environment?: Record<string, unknown> } } } | undefined)?.services?.app?.environment;
  const value = env?.V;
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * Deploys a case to the test swarm as stack `stack` and inspects service
 * `<stack>_app`: refused when the deploy fails, dropped when the spec lacks
 * what the case asked for. The stack is always removed.
 */
export async function askDeploy(dir: string, c: SwarmCase, stack: string, swarmHandle: Swarm): Promise<DockerAnswer & { env?: string[] }> {
  try {
    const result = await run('docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', 'compose.yml', stack], {
      cwd: dir,
      env: environment(c),
      allowFailure: true,
      timeoutMs: 120_000,
    });
    if (result.code !== 0) return { verdict: 'refused', said: firstLine(result.stderr || result.stdout), how: 'stack deploy' };
    const inspect = await run('docker', ['service', 'inspect', `${stack}_app`], { allowFailure: true, timeoutMs: 60_000 });
    if (inspect.code !== 0) return { verdict: 'refused', said: firstLine(inspect.stderr), how: 'stack deploy' };
    const [spec] = JSON.parse(inspect.stdout) as ServiceSpec[];
    const env = spec?.Spec.TaskTemplate.ContainerSpec.Env;
    const kept = spec !== undefined && (c.deploy?.kept(spec) ?? true);
    const warned = WARNING.test(result.stderr);
    const verdict: DockerVerdict = !kept ? 'dropped' : warned ? 'warned' : 'ok';
    return { verdict, said: warned ? firstLine(result.stderr) : '', how: 'stack deploy', ...(env ? { env } : {}) };
  } finally {
    await swarmHandle.removeStack(stack);
  }
}
