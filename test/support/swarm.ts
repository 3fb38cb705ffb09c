// The local Docker Swarm the deploy tests run against, and the busybox image
// they run (no image can be pulled on these machines).
//
// scripts/provision.sh starts dockerd and inits the swarm; swarm() only checks
// both and never starts anything itself. Notes from running it here (details
// in scripts/provision.sh):
// - The kernel has no IPVS: ingress-published ports and service VIPs do not
//   work. Publish with `mode: host` and use `endpoint_mode: dnsrr`.
// - Debian's busybox `wget -T` segfaults: use `timeout N wget ...`.
// - `sh`/`sleep` as PID 1 ignore SIGTERM (10 s stop grace period): use
//   `init: true` or a short `stop_grace_period` to make removal fast.
// - Use `--no-resolve-image` / `--resolve-image never`: the image is local.
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WaitAbort, waitFor } from './net.js';
import { makeTempDir, type RunResult, removeTempDir, run } from './process.js';

export const BUSYBOX_BINARY = '/bin/busybox';
export const BUSYBOX_REPOSITORY = 'local/busybox';
export const DEFAULT_BUSYBOX_TAG = '1';
export const BUSYBOX_LAYOUT_LABEL = 'galley.busybox.layout';
const APPLETS_FILE = fileURLToPath(new URL('./busybox-applets.txt', import.meta.url));

export interface DockerOptions {
  /** Written to the command's stdin (e.g. a compose file for `stack deploy -c -`). */
  input?: string | Uint8Array;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Default 120000 ms. */
  timeoutMs?: number;
}

export interface ServiceTask {
  id: string;
  name: string;
  node: string;
  desiredState: string;
  /** e.g. "Running 3 seconds ago" */
  currentState: string;
  error: string;
}

export interface WaitForServiceOptions {
  /** Number of tasks that must be running (default 1). */
  replicas?: number;
  /** Default 60000 ms. */
  timeoutMs?: number;
  /** Keep waiting when a task is Rejected or Failed (default: give up at once). */
  tolerateFailures?: boolean;
}

export interface Swarm {
  /** `local/busybox:<tag>` of the tag swarm() was asked for, present in the engine. */
  readonly image: string;
  /** Engine API version, e.g. "1.41". */
  readonly apiVersion: string;
  /** Runs the docker CLI; returns stdout, rejects with stderr and the exit code on failure. */
  docker(args: readonly string[], options?: DockerOptions): Promise<string>;
  /** Like docker() but resolves with the exit code instead of rejecting. */
  dockerResult(args: readonly string[], options?: DockerOptions): Promise<RunResult>;
  /** Imports `local/busybox:<tag>` unless it is there with the current layout; returns the reference. */
  ensureImage(tag?: string): Promise<string>;
  /** `docker stack rm <name>` (nothing to remove is fine) and waits until it is gone. */
  removeStack(name: string, timeoutMs?: number): Promise<void>;
  /** Waits until no service, container, network, config or secret of the stack remains. */
  waitForStackGone(name: string, timeoutMs?: number): Promise<void>;
  /** `docker service rm` (missing is fine) and waits until its containers are gone. */
  removeService(name: string, timeoutMs?: number): Promise<void>;
  /** The service's tasks as `docker service ps` shows them (newest first). */
  serviceTasks(service: string): Promise<ServiceTask[]>;
  /** Waits until `replicas` tasks are Running; gives up at once when a task is Rejected/Failed unless tolerateFailures. */
  waitForServiceRunning(service: string, options?: WaitForServiceOptions): Promise<ServiceTask[]>;
}

export interface SwarmOptions {
  /** Tag of local/busybox to make sure of (default "1", the one provision.sh imports). */
  busyboxTag?: string;
}

const HINT = 'run scripts/provision.sh (as root) to install and start the docker engine and init the swarm';

async function docker(args: readonly string[], options: DockerOptions = {}): Promise<string> {
  const res = await run('docker', args, { ...options, timeoutMs: options.timeoutMs ?? 120_000 });
  return res.stdout;
}

async function dockerResult(args: readonly string[], options: DockerOptions = {}): Promise<RunResult> {
  return run('docker', args, { ...options, timeoutMs: options.timeoutMs ?? 120_000, allowFailure: true });
}

async function applets(): Promise<string[]> {
  const text = await readFile(APPLETS_FILE, 'utf8');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The label value scripts/provision.sh computes too: sha256("<busybox sha256>\n<applet>\n..."). */
export async function busyboxLayout(): Promise<string> {
  const busyboxSha = createHash('sha256')
    .update(await readFile(BUSYBOX_BINARY))
    .digest('hex');
  const text = `${busyboxSha}\n${(await applets()).map((a) => `${a}\n`).join('')}`;
  return createHash('sha256').update(text).digest('hex');
}

async function ensureImage(tag = DEFAULT_BUSYBOX_TAG): Promise<string> {
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`invalid tag ${JSON.stringify(tag)}`);
  const ref = `${BUSYBOX_REPOSITORY}:${tag}`;
  const layout = await busyboxLayout();
  const have = await dockerResult(['image', 'inspect', '--format', `{{index .Config.Labels "${BUSYBOX_LAYOUT_LABEL}"}}`, ref]);
  if (have.code === 0 && have.stdout.trim() === layout) return ref;

  const dir = await makeTempDir('busybox');
  try {
    await mkdir(join(dir, 'bin'));
    await mkdir(join(dir, 'etc'));
    await mkdir(join(dir, 'tmp'));
    await chmod(join(dir, 'tmp'), 0o1777);
    await copyFile(BUSYBOX_BINARY, join(dir, 'bin/busybox'));
    await chmod(join(dir, 'bin/busybox'), 0o755);
    for (const applet of await applets()) await symlink('busybox', join(dir, 'bin', applet));
    await writeFile(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
    await writeFile(join(dir, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    const script =
      'set -o pipefail; tar -C "$1" --owner=0 --group=0 --numeric-owner -c . | docker import --change \'CMD ["sh"]\' --change "LABEL $2=$3" - "$4"';
    await run('bash', ['-c', script, 'import', dir, BUSYBOX_LAYOUT_LABEL, layout, ref], { timeoutMs: 120_000 });
  } finally {
    await removeTempDir(dir);
  }
  return ref;
}

const STACK_LABEL = 'com.docker.stack.namespace';

async function stackLeftovers(name: string): Promise<string[]> {
  const filter = `label=${STACK_LABEL}=${name}`;
  const kinds: Array<[string, string[]]> = [
    ['service', ['service', 'ls', '-q', '--filter', filter]],
    ['container', ['ps', '-aq', '--filter', filter]],
    ['network', ['network', 'ls', '-q', '--filter', filter]],
    ['config', ['config', 'ls', '-q', '--filter', filter]],
    ['secret', ['secret', 'ls', '-q', '--filter', filter]],
  ];
  const left: string[] = [];
  for (const [kind, args] of kinds) {
    const ids = (await docker(args)).split('\n').filter((l) => l.trim() !== '');
    if (ids.length > 0) left.push(`${ids.length} ${kind}(s)`);
  }
  return left;
}

async function waitForStackGone(name: string, timeoutMs = 60_000): Promise<void> {
  let left: string[] = [];
  await waitFor(
    async () => {
      left = await stackLeftovers(name);
      return left.length === 0;
    },
    { timeoutMs, intervalMs: 250, description: `stack ${name} to be gone` },
  ).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)}; still there: ${left.join(', ')}`);
  });
}

async function removeStack(name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await dockerResult(['stack', 'rm', name]);
    if (res.code === 0 || /nothing found in stack/i.test(res.stdout + res.stderr)) break;
    // A network whose tasks are still stopping cannot go yet: docker says so and exits 1; run it again.
    if (!/is in use by task/.test(res.stderr) || Date.now() >= deadline) {
      throw new Error(`docker stack rm ${name} exited ${res.code}: ${res.stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await waitForStackGone(name, timeoutMs);
}

async function removeService(name: string, timeoutMs = 60_000): Promise<void> {
  const res = await dockerResult(['service', 'rm', name]);
  if (res.code !== 0 && !/not found/i.test(res.stderr)) {
    throw new Error(`docker service rm ${name} exited ${res.code}: ${res.stderr.trim()}`);
  }
  await waitFor(
    async () => {
      const ids = await docker(['ps', '-aq', '--filter', `label=com.docker.swarm.service.name=${name}`]);
      return ids.trim() === '';
    },
    { timeoutMs, intervalMs: 250, description: `containers of service ${name} to be gone` },
  );
}

async function serviceTasks(service: string): Promise<ServiceTask[]> {
  const out = await docker(['service', 'ps', '--no-trunc', '--format', '{{json .}}', service]);
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const t = JSON.parse(l) as Record<string, string | undefined>;
      return {
        id: t.ID ?? '',
        name: t.Name ?? '',
        node: t.Node ?? '',
        desiredState: t.DesiredState ?? '',
        currentState: t.CurrentState ?? '',
        error: t.Error ?? '',
      };
    });
}

async function waitForServiceRunning(service: string, options: WaitForServiceOptions = {}): Promise<ServiceTask[]> {
  const replicas = options.replicas ?? 1;
  let last: ServiceTask[] = [];
  return waitFor(
    async () => {
      last = await serviceTasks(service);
      const failed = options.tolerateFailures ? undefined : last.find((t) => /^(Rejected|Failed)/.test(t.currentState));
      if (failed) throw new WaitAbort(`task ${failed.name} ${failed.currentState}: ${failed.error}`);
      const running = last.filter((t) => t.desiredState === 'Running' && t.currentState.startsWith('Running'));
      return running.length >= replicas ? running : undefined;
    },
    {
      timeoutMs: options.timeoutMs ?? 60_000,
      intervalMs: 200,
      description: `${replicas} running task(s) of service ${service}`,
    },
  ).catch((err: unknown) => {
    const states = last.map((t) => `${t.name}: ${t.currentState} ${t.error}`.trim()).join('; ');
    throw new Error(`${err instanceof Error ? err.message : String(err)} (tasks: ${states || 'none'})`);
  });
}

/**
 * Checks the engine and the swarm (never starts them) and makes sure
 * `local/busybox:<tag>` exists. Throws an error naming scripts/provision.sh
 * when the machine is not provisioned.
 */
export async function swarm(options: SwarmOptions = {}): Promise<Swarm> {
  let apiVersion: string;
  try {
    apiVersion = (await docker(['version', '--format', '{{.Server.APIVersion}}'], { timeoutMs: 20_000 })).trim();
  } catch (err) {
    throw new Error(`docker engine not reachable (${err instanceof Error ? err.message : String(err)}): ${HINT}`);
  }
  const state = (await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'])).trim();
  if (state !== 'active') throw new Error(`docker swarm is '${state}', not active: ${HINT}`);
  const image = await ensureImage(options.busyboxTag ?? DEFAULT_BUSYBOX_TAG);
  return {
    image,
    apiVersion,
    docker,
    dockerResult,
    ensureImage,
    removeStack,
    waitForStackGone,
    removeService,
    serviceTasks,
    waitForServiceRunning,
  };
}
