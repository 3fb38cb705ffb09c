import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import type { DockerCli } from './docker.js';

/**
 * One deploy (or undeploy) per app at a time, with two locks:
 *
 * - a lock file on this machine, `<lock dir>/<stack>.lock`, created with
 *   O_EXCL, holding pid, host, user and start time; a lock whose process is
 *   dead (same host) is taken over;
 * - a lock in the swarm, a docker config `galley-lock.<stack>` (creating a
 *   config is atomic: a second create of the same name fails), holding the
 *   same facts, so two operators deploying the same app from two machines
 *   cannot overlap either. It is taken over when its process is dead (same
 *   host) or when it has expired (a killed run on another machine).
 *
 * The lock is a config, not a label on a service: changing a service's
 * labels would bump its spec and spoil `docker service rollback`.
 */

export interface LockHolder {
  id: string;
  pid: number;
  host: string;
  user: string;
  /** ISO time the lock was taken. */
  started: string;
  /** ISO time after which the lock counts as abandoned. */
  expires: string;
  command: string;
}

export interface AppLock {
  holder: LockHolder;
  file: string;
  /** The swarm lock's config name, when one was taken. */
  swarmLock?: string;
  release(): Promise<void>;
}

export interface LockOptions {
  /** `deploy`, `undeploy`: shown to whoever finds the lock held. */
  command: string;
  /** Seconds after which the lock counts as abandoned. */
  expiresInSeconds: number;
  /** Take the swarm lock too (needs the docker CLI). */
  docker?: DockerCli;
  /** Default: `lockDir()`. */
  dir?: string;
  /** Called when an abandoned lock is taken over. */
  onTakeover?: (message: string) => void;
}

/** `$GALLEY_LOCK_DIR`, else `$XDG_RUNTIME_DIR/galley/locks`, else `~/.cache/galley/locks`. */
export function lockDir(): string {
  if (process.env.GALLEY_LOCK_DIR) return process.env.GALLEY_LOCK_DIR;
  if (process.env.XDG_RUNTIME_DIR) return path.join(process.env.XDG_RUNTIME_DIR, 'galley', 'locks');
  return path.join(os.homedir(), '.cache', 'galley', 'locks');
}

export function swarmLockName(stack: string): string {
  return `galley-lock.${stack}`;
}

function newHolder(command: string, expiresInSeconds: number): LockHolder {
  const now = Date.now();
  let user = process.env.USER ?? '';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry: keep $USER
  }
  return {
    id: randomUUID(),
    pid: process.pid,
    host: os.hostname(),
    user: user || 'unknown',
    started: new Date(now).toISOString(),
    expires: new Date(now + expiresInSeconds * 1000).toISOString(),
    command,
  };
}

/** Whether a process of this host is alive. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function abandoned(holder: LockHolder | undefined): string | undefined {
  if (!holder) return undefined;
  if (holder.host === os.hostname() && !processAlive(holder.pid)) return `its process ${holder.pid} on ${holder.host} is gone`;
  if (Date.parse(holder.expires) < Date.now()) return `it expired at ${holder.expires}`;
  return undefined;
}

export function describeHolder(holder: LockHolder): string {
  return `galley ${holder.command} by ${holder.user}@${holder.host} (pid ${holder.pid}), running since ${holder.started}`;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return {
      id: String(value.id ?? ''),
      pid: value.pid,
      host: value.host,
      user: String(value.user ?? 'unknown'),
      started: String(value.started ?? ''),
      expires: String(value.expires ?? ''),
      command: String(value.command ?? 'deploy'),
    };
  } catch {
    return undefined;
  }
}

/** Takes both locks of an app, or throws a GalleyError (exit 2) naming who holds one. */
export async function acquireLock(stack: string, options: LockOptions): Promise<AppLock> {
  const holder = newHolder(options.command, options.expiresInSeconds);
  const dir = options.dir ?? lockDir();
  const file = path.join(dir, `${stack}.lock`);
  await acquireFileLock(file, holder, stack, options);
  const lock: AppLock = {
    holder,
    file,
    release: async () => {
      await releaseFileLock(file, holder);
    },
  };
  if (options.docker) {
    try {
      const configId = await acquireSwarmLock(options.docker, stack, holder, options);
      const name = swarmLockName(stack);
      lock.swarmLock = name;
      lock.release = async () => {
        try {
          await options.docker!.run(['config', 'rm', configId], { timeoutMs: 30_000 });
        } finally {
          await releaseFileLock(file, holder);
        }
      };
    } catch (error) {
      await releaseFileLock(file, holder);
      throw error;
    }
  }
  return lock;
}

async function acquireFileLock(file: string, holder: LockHolder, stack: string, options: LockOptions): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    throw new GalleyError('lock-dir', `cannot create the lock folder ${path.dirname(file)}: ${error.message}; set GALLEY_LOCK_DIR to a writable folder`);
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(holder)}\n`);
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new GalleyError('lock-failed', `cannot create the lock file ${file}: ${(error as Error).message}`);
      }
    }
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue; // released meanwhile
    const other = parseHolder(text);
    let why = abandoned(other);
    if (!other) {
      // A lock file that is not (yet) complete: written by a run killed at that very moment?
      const age = await stat(file).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 10_000) why = 'it is unreadable';
      else {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
    }
    if (why) {
      options.onTakeover?.(`taking over the lock ${file}: ${why}`);
      await unlink(file).catch(() => undefined);
      continue;
    }
    throw new GalleyError(
      'lock-held',
      `${stack} is locked by another ${describeHolder(other!)}; wait for it to finish (lock file ${file}; remove it only if that run is gone)`,
      { exitCode: 2 },
    );
  }
  throw new GalleyError('lock-held', `cannot take the lock ${file}: other galley runs keep taking it`, { exitCode: 2 });
}

async function releaseFileLock(file: string, holder: LockHolder): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  if (parseHolder(text)?.id === holder.id) await unlink(file).catch(() => undefined);
}

interface ConfigInspect {
  ID: string;
  Spec: { Name: string; Data?: string };
}

async function acquireSwarmLock(docker: DockerCli, stack: string, holder: LockHolder, options: LockOptions): Promise<string> {
  const name = swarmLockName(stack);
  for (let attempt = 0; attempt < 3; attempt++) {
    const created = await docker.run(['config', 'create', '--label', `galley.lock=${stack}`, name, '-'], { input: JSON.stringify(holder), timeoutMs: 30_000 });
    if (created.code === 0) return created.stdout.trim();
    if (!/already exists|AlreadyExists|code = AlreadyExists/i.test(created.stderr)) throw docker.failure(['config', 'create', name], created);
    const inspected = await docker.run(['config', 'inspect', name], { timeoutMs: 30_000 });
    if (inspected.code !== 0) continue; // released meanwhile
    const config = (JSON.parse(inspected.stdout) as ConfigInspect[])[0];
    const other = config ? parseHolder(Buffer.from(config.Spec.Data ?? '', 'base64').toString('utf8')) : undefined;
    const why = other ? abandoned(other) : 'it is unreadable';
    if (why && config) {
      options.onTakeover?.(`taking over the swarm lock ${name}: ${why}`);
      // Remove by id: if someone else took it over meanwhile, their new lock has another id and stays.
      await docker.run(['config', 'rm', config.ID], { timeoutMs: 30_000 });
      continue;
    }
    throw new GalleyError(
      'lock-held',
      `${stack} is locked in the swarm by another ${describeHolder(other!)}; wait for it to finish (if that run is gone, remove the lock: docker config rm ${name}; it expires by itself at ${other!.expires})`,
      { exitCode: 2 },
    );
  }
  throw new GalleyError('lock-held', `cannot take the swarm lock ${name}: other galley runs keep taking it`, { exitCode: 2 });
}
