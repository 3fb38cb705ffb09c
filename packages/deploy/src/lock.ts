import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { GalleyError, isGalleyError } from '@galley/platform';
import type { Docker, SwarmObject } from '@galley/platform/docker';
import { acquireFileLock, describeLockHolder, type FileLock, lockHolder } from '@galley/platform/fs';

/**
 * One deploy (or undeploy, restart) per app at a time, with two locks:
 *
 * - a lock on this machine, `<lock dir>/<stack>.lock` (@galley/platform/fs:
 *   refreshed while held, stale 30 s after its holder stopped refreshing it,
 *   a dead holder on this host taken over at once, a live pid never trusted
 *   alone);
 * - a lock in the swarm, a docker config `galley-lock.<stack>` (creating a
 *   config is atomic: a second create of the same name fails) holding who
 *   took it, so two operators deploying the same app from two machines
 *   cannot overlap either. Its lease is the label `galley.lock.expires`,
 *   renewed every `refreshSeconds` while held (only labels of a config can
 *   change); it is taken over once the lease has run out (a run killed on
 *   another machine), or at once when its holder is a dead process on this
 *   host. A live pid is not trusted: a pid reused after a crash delays the
 *   next run by one lease at most.
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
  /** Take the swarm lock too. */
  docker?: Docker;
  /** Default: `lockDir()`. */
  dir?: string;
  /** Seconds a swarm lock lives without being renewed (default 120). */
  leaseSeconds?: number;
  /** How often the swarm lock's lease is renewed (default a quarter of the lease). */
  refreshSeconds?: number;
  /** Called when an abandoned lock is taken over, or a held lock could not be renewed. */
  onTakeover?: (message: string) => void;
}

export const EXPIRES_LABEL = 'galley.lock.expires';
const STACK_LABEL = 'galley.lock';

/** `$GALLEY_LOCK_DIR`, else `$XDG_RUNTIME_DIR/galley/locks`, else `~/.cache/galley/locks`. */
export function lockDir(): string {
  if (process.env.GALLEY_LOCK_DIR) return process.env.GALLEY_LOCK_DIR;
  if (process.env.XDG_RUNTIME_DIR) return path.join(process.env.XDG_RUNTIME_DIR, 'galley', 'locks');
  return path.join(os.homedir(), '.cache', 'galley', 'locks');
}

export function swarmLockName(stack: string): string {
  return `galley-lock.${stack}`;
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER || 'unknown';
  }
}

export function describeHolder(holder: Pick<LockHolder, 'command' | 'user' | 'host' | 'pid' | 'started'>): string {
  return `galley ${holder.command} by ${holder.user}@${holder.host} (pid ${holder.pid}), running since ${holder.started}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a swarm lock may be taken over, or undefined while it is held. */
export function abandoned(holder: (Partial<LockHolder> & { expires?: string }) | undefined, expires: string | undefined, now = Date.now()): string | undefined {
  if (!holder || typeof holder.pid !== 'number' || typeof holder.host !== 'string') return 'it is unreadable';
  if (holder.host === os.hostname() && !processAlive(holder.pid)) return `its process ${holder.pid} on ${holder.host} is gone`;
  const until = expires ?? holder.expires;
  if (until && Date.parse(until) < now) return `its lease expired at ${until}`;
  if (!until) return 'it has no lease';
  return undefined;
}

/** Takes both locks of an app, or throws a GalleyError (exit 2) naming who holds one. */
export async function acquireLock(stack: string, options: LockOptions): Promise<AppLock> {
  const holder: LockHolder = {
    id: randomUUID(),
    pid: process.pid,
    host: os.hostname(),
    user: currentUser(),
    started: new Date().toISOString(),
    command: options.command,
  };
  const dir = options.dir ?? lockDir();
  const file = path.join(dir, `${stack}.lock`);
  let fileLock: FileLock;
  try {
    fileLock = await acquireFileLock(file, {
      command: options.command,
      staleMs: 30_000,
      onCompromised: (error) => options.onTakeover?.(`lost the lock ${file} while holding it (${error.message}); another run may have taken it`),
    });
  } catch (error) {
    if (isGalleyError(error, 'lock-held')) {
      const other = await lockHolder(file);
      throw new GalleyError(
        'lock-held',
        `${stack} is locked by another ${other ? `galley ${describeLockHolder(other)}` : 'galley run'}; wait for it to finish (lock file ${file}; it is taken over by itself 30 s after that run stops)`,
        { exitCode: 2 },
      );
    }
    throw error;
  }
  const lock: AppLock = { holder, file, release: () => fileLock.release() };
  if (!options.docker) return lock;
  try {
    const swarm = await acquireSwarmLock(options.docker, stack, holder, options);
    lock.swarmLock = swarmLockName(stack);
    lock.release = async () => {
      try {
        await swarm.release();
      } finally {
        await fileLock.release();
      }
    };
  } catch (error) {
    await fileLock.release();
    throw error;
  }
  return lock;
}

interface SwarmLease {
  release(): Promise<void>;
}

async function acquireSwarmLock(docker: Docker, stack: string, holder: LockHolder, options: LockOptions): Promise<SwarmLease> {
  const name = swarmLockName(stack);
  const lease = options.leaseSeconds ?? 120;
  const refresh = options.refreshSeconds ?? lease / 4;
  const labels = () => ({ [STACK_LABEL]: stack, [EXPIRES_LABEL]: new Date(Date.now() + lease * 1000).toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    let id: string;
    try {
      id = await docker.createConfig(name, JSON.stringify(holder), labels());
    } catch (error) {
      if (!isGalleyError(error, 'config-exists')) throw error;
      const config = await docker.config(name);
      if (!config) continue; // released meanwhile
      let other: (Partial<LockHolder> & { expires?: string }) | undefined;
      try {
        other = JSON.parse(Buffer.from(config.Spec.Data ?? '', 'base64').toString('utf8')) as Partial<LockHolder> & { expires?: string };
      } catch {
        other = undefined;
      }
      const why = abandoned(other, config.Spec.Labels?.[EXPIRES_LABEL]);
      if (why) {
        options.onTakeover?.(`taking over the swarm lock ${name}: ${why}`);
        // Removed by id: if someone else took it over meanwhile, their new lock has another id and stays.
        await docker.removeConfig(config.ID).catch(() => undefined);
        continue;
      }
      const expires = config.Spec.Labels?.[EXPIRES_LABEL] ?? other?.expires;
      const who = describeHolder({
        command: other?.command ?? 'run',
        user: other?.user ?? 'unknown',
        host: other?.host ?? 'unknown',
        pid: other?.pid ?? 0,
        started: other?.started ?? 'unknown',
      });
      throw new GalleyError(
        'lock-held',
        `${stack} is locked in the swarm by another ${who}; wait for it to finish (if that run is gone, its lease runs out at ${expires}; or remove the lock: docker config rm ${name})`,
        { exitCode: 2 },
      );
    }
    return leaseOf(docker, id, name, labels, refresh, options);
  }
  throw new GalleyError('lock-held', `cannot take the swarm lock ${name}: other galley runs keep taking it`, { exitCode: 2 });
}

/** Renews the lease every `refresh` seconds until released. */
function leaseOf(docker: Docker, id: string, name: string, labels: () => Record<string, string>, refresh: number, options: LockOptions): SwarmLease {
  let stopped = false;
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    const config: SwarmObject | undefined = await docker.config(id);
    if (!config) {
      options.onTakeover?.(`the swarm lock ${name} disappeared while this run held it (removed by hand, or taken over): another run may start`);
      stopped = true;
      return;
    }
    await docker.relabelConfig(config, { ...config.Spec.Labels, ...labels() });
  };
  const timer = setInterval(() => {
    if (stopped) return;
    renewing = renew().catch((error: Error) => options.onTakeover?.(`could not renew the swarm lock ${name}: ${error.message}`));
  }, refresh * 1000);
  timer.unref();
  return {
    release: async () => {
      stopped = true;
      clearInterval(timer);
      await renewing;
      await docker.removeConfig(id);
    },
  };
}
