import { mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { GalleyError } from '../errors.js';
import { processAlive } from '../exec/process.js';

/**
 * A lock on this machine that a reused pid cannot confuse: `proper-lockfile`
 * semantics. Taking it creates the folder `<file>.lock` (mkdir is atomic);
 * while it is held, its mtime is refreshed every `updateMs`; a lock whose
 * mtime is older than `staleMs` belongs to a process that is gone (killed,
 * crashed, on a machine that rebooted) and is taken over. A holder on this
 * host whose pid no longer runs is taken over at once; a live pid is never
 * trusted on its own, so a process that reuses a dead holder's pid delays
 * the next run by `staleMs` at most, instead of blocking it forever.
 *
 * Who holds it (pid, host, user, command, start time) is written to
 * `<file>.holder.json` beside it (the lock folder must stay empty: it is
 * removed with rmdir), for the message a second run prints.
 */

export interface LockHolder {
  pid: number;
  host: string;
  user: string;
  command: string;
  /** ISO time the lock was taken. */
  started: string;
}

export interface FileLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** False once the lock was lost (its folder removed or taken over while we slept). */
  held(): boolean;
  release(): Promise<void>;
}

export interface FileLockOptions {
  /** What the holder is doing, shown to whoever finds the lock held (`catalogue generate`, `deploy forum`). */
  command: string;
  /** A lock not refreshed for this long is taken over. Default 20 s (at least 2 s). */
  staleMs?: number;
  /** How often a held lock is refreshed. Default staleMs / 4. */
  updateMs?: number;
  /** How long to wait for a held lock before giving up. Default 0: fail at once. */
  waitMs?: number;
  /** Called when the lock is lost while held (e.g. the machine slept past staleMs and another run took it). */
  onCompromised?: (error: Error) => void;
  /** The error code and advice when the lock is held. */
  busyCode?: 'lock-held' | 'cache-busy';
  busyAdvice?: string;
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

const holderFile = (file: string): string => `${file}.holder.json`;

/** Reads who holds the lock on `file` (undefined when unknown or free). */
export async function lockHolder(file: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(holderFile(file), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

export function describeLockHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another galley run';
  return `${holder.command} by ${holder.user}@${holder.host} (pid ${holder.pid}, since ${holder.started})`;
}

/** Takes the lock on `file` (the file itself need not exist). Fails with a GalleyError naming the holder when it is held. */
export async function acquireFileLock(file: string, options: FileLockOptions): Promise<FileLock> {
  const staleMs = Math.max(2000, options.staleMs ?? 20_000);
  const updateMs = Math.min(staleMs / 2, options.updateMs ?? staleMs / 4);
  await mkdir(path.dirname(file), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new GalleyError('lock-dir', `cannot create the lock folder ${path.dirname(file)}: ${error.message}`);
  });
  let compromised = false;
  const waitMs = options.waitMs ?? 0;
  const take = () =>
    lockfile.lock(file, {
      realpath: false,
      stale: staleMs,
      update: updateMs,
      retries: waitMs > 0 ? { retries: Math.ceil(waitMs / 500), minTimeout: 500, maxTimeout: 500, factor: 1 } : 0,
      onCompromised: (error) => {
        compromised = true;
        options.onCompromised?.(error);
      },
    });
  let release: () => Promise<void>;
  try {
    try {
      release = await take();
    } catch (error) {
      // A holder on this host that is gone (killed with SIGKILL): take its lock over now.
      const holder = (error as NodeJS.ErrnoException).code === 'ELOCKED' ? await lockHolder(file) : undefined;
      if (!holder || holder.host !== os.hostname() || processAlive(holder.pid)) throw error;
      await rm(holderFile(file), { force: true });
      await rmdir(`${file}.lock`).catch(() => undefined);
      release = await take();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') {
      const holder = await lockHolder(file);
      const advice = options.busyAdvice ?? 'wait for it to finish and try again';
      throw new GalleyError(options.busyCode ?? 'lock-held', `${file} is locked by ${describeLockHolder(holder)}: ${advice}`);
    }
    throw new GalleyError('lock-failed', `cannot take the lock ${file}: ${(error as Error).message}`, { cause: error });
  }
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), user: currentUser(), command: options.command, started: new Date().toISOString() };
  const tmp = `${holderFile(file)}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(holder))
    .then(() => rename(tmp, holderFile(file)))
    .catch(() => undefined);
  let released = false;
  return {
    file,
    holder,
    held: () => !compromised && !released,
    release: async () => {
      if (released) return;
      released = true;
      if (compromised) return;
      await rm(holderFile(file), { force: true });
      await release().catch(() => undefined);
    },
  };
}
