import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { GalleyError } from '../errors.js';

/**
 * Reading a file a person named, with messages that say what to do. Only
 * regular files are read: the file is opened without blocking (a FIFO would
 * otherwise hang the read forever), checked with fstat, and refused when it
 * is a FIFO, device, socket or folder, or larger than `maxBytes`, before a
 * byte is read.
 */

export interface ReadOptions {
  /** What the file is, for messages ("env file", "configuration"). Default "file". */
  what?: string;
  /** Refuse larger files (default 64 MiB). */
  maxBytes?: number;
}

function kind(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The GalleyError for a failed read of `file`, with advice for the common causes. */
export function readError(file: string, error: unknown, what = 'file'): GalleyError {
  if (error instanceof GalleyError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'it does not exist: check the path'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied: check its owner and mode, or run as a user who may read it'
        : code === 'EISDIR'
          ? 'it is a folder: give a file'
          : code === 'ELOOP'
            ? 'it is a symlink loop: fix or remove the link'
            : code === 'ENOTDIR'
              ? 'a part of the path is not a folder'
              : (error as Error).message;
  return new GalleyError('unreadable', `cannot read ${what} ${file}: ${reason}`, { file, cause: error });
}

/** Reads a regular file as bytes (see above). */
export async function readRegularFile(file: string, options: ReadOptions = {}): Promise<Buffer> {
  const what = options.what ?? 'file';
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw readError(file, error, what);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new GalleyError('unreadable', `cannot read ${what} ${file}: it is ${kind(stats)}, not a regular file`, { file });
    if (stats.size > maxBytes) {
      throw new GalleyError('file-too-large', `${what} ${file} is ${stats.size} bytes, over the limit of ${maxBytes}: give a smaller file`, { file });
    }
    return await handle.readFile();
  } catch (error) {
    throw readError(file, error, what);
  } finally {
    await handle.close();
  }
}

/** Reads a regular file as UTF-8 text (see above). */
export async function readTextFile(file: string, options: ReadOptions = {}): Promise<string> {
  return (await readRegularFile(file, options)).toString('utf8');
}
