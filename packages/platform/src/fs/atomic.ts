import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '../errors.js';
import { processAlive } from '../exec/process.js';
import { visible } from '../printable.js';
import { isInside } from './read.js';

/**
 * Writing files so that readers see the old content or the new one, never a
 * part, and a crash loses nothing: the data goes to a temp file in the same
 * folder, is flushed to disk (fsync), renamed over the target (atomic on one
 * file system), and the folder is flushed so the rename itself survives a
 * power cut. An existing file keeps its mode and owner. A run killed in
 * between leaves the old file as it was and at worst a temp file
 * `.<name>.galley-<pid>-<random>.tmp` beside it, which
 * `removeAbandonedTemps` tidies.
 */

export interface FileWrite {
  file: string;
  data: string | Uint8Array;
  /** Mode of a new file (an existing file keeps its own). Default 0o666 & ~umask. */
  mode?: number;
  /** Create missing parent folders (default: a missing folder is an error). */
  createFolder?: boolean;
  /** Refuse to write when the file, after following symlinks, is outside this folder (a link may lead only within it). */
  within?: string;
  /** First remove the temp files a killed earlier writer left beside the file (see removeAbandonedTemps). */
  tidy?: boolean;
}

const TEMP = /^\.(.+)\.galley-(\d+)-[0-9a-f]{8}\.tmp$/;

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.galley-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

interface Staged {
  file: string;
  tmp: string;
}

async function stage(write: FileWrite): Promise<Staged> {
  const { file } = write;
  if (write.createFolder) await mkdir(path.dirname(file), { recursive: true });
  const target = await lstat(file).catch(() => undefined);
  if (target && !target.isFile()) {
    throw new GalleyError('unwritable', `${visible(file)} is not a regular file (a folder, device, FIFO or socket): give a file path to write to`);
  }
  const tmp = tempName(file);
  const handle = await open(tmp, 'wx', write.mode ?? 0o666);
  try {
    await handle.writeFile(write.data);
    if (target) {
      await handle.chmod(target.mode & 0o7777);
      if (process.getuid?.() === 0 && (target.uid !== 0 || target.gid !== 0)) await handle.chown(target.uid, target.gid);
    }
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  return { file, tmp };
}

async function syncDir(dir: string): Promise<void> {
  // Not every platform lets a folder be opened for fsync: then the rename is as durable as it gets.
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // EINVAL/EISDIR on some file systems
  } finally {
    await handle.close();
  }
}

function writeError(file: string, error: unknown): GalleyError {
  if (error instanceof GalleyError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied: check who owns the folder, or write elsewhere'
      : code === 'ENOSPC'
        ? 'the disk is full: free some space and run again'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : code === 'ENOTDIR'
            ? 'a part of the path is not a folder'
            : code === 'ENOENT'
              ? 'its folder does not exist'
              : (error as Error).message;
  return new GalleyError('unwritable', `cannot write ${visible(file)}: ${visible(reason)}`, { cause: error });
}

/** The file a symlink at `file` points at (the path to replace), else `file`; with `within`, refused when that is outside it. */
async function renameTarget(file: string, within: string | undefined): Promise<string> {
  const info = await lstat(file).catch(() => undefined);
  const target = info?.isSymbolicLink() ? await realpath(file).catch(() => file) : file;
  if (within !== undefined) {
    const root = await realpath(within);
    const dir = await realpath(path.dirname(target)).catch(() => path.resolve(path.dirname(target)));
    const real = path.join(dir, path.basename(target));
    if (!isInside(root, real)) {
      throw new GalleyError(
        'outside-target',
        `refusing to write ${visible(file)}: it leads to ${visible(real)}, outside ${visible(within)}; galley writes only files inside the folder it checks: replace the link with the file`,
      );
    }
  }
  return target;
}

/** Writes one file atomically and durably (see above). Errors are GalleyErrors naming the file. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: Pick<FileWrite, 'mode' | 'createFolder'> = {}): Promise<void> {
  await writeFilesAtomic([{ file, data, ...options }]);
}

/**
 * Writes several files as nearly all-or-nothing as POSIX allows: every temp
 * file is written and flushed first; only when all are on disk are they
 * renamed into place. A failure before the renames changes nothing.
 */
export async function writeFilesAtomic(writes: readonly FileWrite[]): Promise<void> {
  const staged: Staged[] = [];
  try {
    for (const write of writes) {
      try {
        // A symlink is written through: its target is replaced, the link stays a link.
        const file = await renameTarget(write.file, write.within);
        if (write.tidy) await removeAbandonedTemps(file);
        staged.push(await stage({ ...write, file }));
      } catch (error) {
        throw writeError(write.file, error);
      }
    }
    for (const s of staged) {
      try {
        await rename(s.tmp, s.file);
      } catch (error) {
        throw writeError(s.file, error);
      }
      s.tmp = '';
    }
  } finally {
    await Promise.all(staged.filter((s) => s.tmp).map((s) => rm(s.tmp, { force: true })));
  }
  await Promise.all([...new Set(staged.map((s) => path.dirname(s.file)))].map(syncDir));
}

/**
 * Removes temp files a killed writer left beside `file`: those whose
 * writer (the pid in the name) no longer runs on this host, and any older
 * than `olderThanMs` (default 10 minutes), so a writer at work right now
 * keeps its own. Returns how many were removed.
 */
export async function removeAbandonedTemps(file: string, olderThanMs = 10 * 60_000): Promise<number> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  const now = Date.now();
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m || m[1] !== base) continue;
    const info = await lstat(path.join(dir, name)).catch(() => undefined);
    if (!info?.isFile()) continue;
    const writer = Number(m[2]);
    if (now - info.mtimeMs < olderThanMs && (writer === process.pid || processAlive(writer))) continue;
    await rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
