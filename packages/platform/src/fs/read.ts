import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats, statSync } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '../errors.js';
import { visible } from '../printable.js';

/**
 * Reading a file a person named, or a file inside a folder being checked,
 * with messages that say what to do. Only regular files are read: the path
 * is checked with stat first (a FIFO, device, socket or folder, or a file
 * larger than `maxBytes`, is refused and never opened), then opened without
 * blocking (a FIFO swapped in meanwhile cannot hang the read) and checked
 * again with fstat before a byte is read. The
 * read itself stops at `maxBytes` too (files in /proc say they are empty
 * and are not). With `within`, a symlink is followed only while it stays
 * inside that folder: a link leaving it is refused, so nothing from outside
 * the folder can reach a report.
 */

export interface ReadOptions {
  /** What the file is, for messages ("env file", "configuration"). Default "file". */
  what?: string;
  /** Refuse larger files (default 64 MiB). */
  maxBytes?: number;
  /** Refuse the file when it (after following symlinks) is outside this folder. */
  within?: string;
}

/** Default upper bound of a read (64 MiB). */
export const DEFAULT_MAX_READ_BYTES = 64 * 1024 * 1024;

function kind(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Why an errno failed a read or a listing, and what to do. */
function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? 'it does not exist: check the path'
    : code === 'EACCES' || code === 'EPERM'
      ? 'permission denied: check its owner and mode, or run as a user who may read it'
      : code === 'EISDIR'
        ? 'it is a folder: give a file'
        : code === 'ELOOP'
          ? 'it is a symlink loop: fix or remove the link'
          : code === 'ENOTDIR'
            ? 'a part of the path is not a folder'
            : code === 'ERR_INVALID_ARG_VALUE' || code === 'ERR_INVALID_ARG_TYPE'
              ? 'the path holds a NUL byte: no file can have that name'
              : (error as Error).message;
}

/** The GalleyError for a failed read of `file`, with advice for the common causes. */
export function readError(file: string, error: unknown, what = 'file'): GalleyError {
  if (error instanceof GalleyError) return error;
  return new GalleyError('unreadable', `cannot read ${what} ${visible(file)}: ${visible(reasonOf(error))}`, { file, cause: error });
}

/** The GalleyError for a folder that cannot be listed. */
export function listError(dir: string, error: unknown, what = 'folder'): GalleyError {
  if (error instanceof GalleyError) return error;
  return new GalleyError('unreadable', `cannot list ${what} ${visible(dir)}: ${visible(reasonOf(error))}`, { file: dir, cause: error });
}

/** Whether an error means the file is not there (missing, or a path no file can have). */
export function isMissingFile(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ERR_INVALID_ARG_VALUE';
}

/** Whether `file` is `root` or below it (both absolute, real paths). */
export function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function outsideError(file: string, real: string, within: string, what: string): GalleyError {
  return new GalleyError(
    'outside-target',
    `refusing to read ${what} ${visible(file)}: it is a symlink to ${visible(real)}, outside ${visible(within)}; galley reads only files inside the folder it checks: replace the link with the file`,
    { file },
  );
}

function checkStats(file: string, stats: Stats, what: string, maxBytes: number): void {
  if (!stats.isFile()) throw new GalleyError('unreadable', `cannot read ${what} ${visible(file)}: it is ${kind(stats)}, not a regular file`, { file });
  if (stats.size > maxBytes) {
    throw new GalleyError('file-too-large', `${what} ${visible(file)} is ${stats.size} bytes, over the limit of ${maxBytes}: give a smaller file`, { file });
  }
}

/**
 * The bytes of one read, at most maxBytes + 1 of them: a file that grew
 * since fstat, or one that claims size 0 (/proc), cannot make the read
 * unbounded.
 */
class BoundedRead {
  private readonly chunks: Buffer[] = [];
  private total = 0;

  constructor(
    private readonly file: string,
    private readonly what: string,
    private readonly maxBytes: number,
    private readonly size: number,
  ) {}

  /** A buffer for the next read: the whole file and one byte more at first, so one read usually does. */
  next(): Buffer {
    const left = this.maxBytes + 1 - this.total;
    return Buffer.allocUnsafe(this.total === 0 && this.size > 0 ? Math.min(this.size + 1, left) : Math.min(65536, left));
  }

  /**
   * Keeps what a read put into `chunk`; false at the end of the file: a read
   * of nothing, or a short read of a file with a size (files claiming size 0,
   * as in /proc, are read until a read returns nothing).
   */
  take(chunk: Buffer, bytesRead: number): boolean {
    if (bytesRead === 0) return false;
    this.chunks.push(chunk.subarray(0, bytesRead));
    this.total += bytesRead;
    if (this.total > this.maxBytes) {
      throw new GalleyError('file-too-large', `${this.what} ${visible(this.file)} is over the limit of ${this.maxBytes} bytes: give a smaller file`, {
        file: this.file,
      });
    }
    return this.size === 0 || bytesRead === chunk.length;
  }

  result(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.total);
  }
}

/** Real paths of the folders reads stay within (one per recipe in a run; they do not move while it is linted). */
const realRoots = new Map<string, string>();

function remember(dir: string, real: string): string {
  if (realRoots.size > 1000) realRoots.clear();
  realRoots.set(dir, real);
  return real;
}

async function realRoot(dir: string): Promise<string> {
  return realRoots.get(dir) ?? remember(dir, await realpath(dir));
}

/**
 * Checks `file` before it is opened, so a FIFO or device is never opened:
 * with `within`, its real path must stay inside that folder; it must be a
 * regular file of at most `maxBytes`. Returns the path to open and its stats.
 */
async function preflight(file: string, options: ReadOptions, what: string, maxBytes: number): Promise<{ open: string; stats: Stats }> {
  let target = file;
  if (options.within !== undefined) {
    const [root, real] = await Promise.all([realRoot(options.within), realpath(file)]);
    if (!isInside(root, real)) throw outsideError(file, real, options.within, what);
    target = real;
  }
  const stats = await stat(target);
  checkStats(file, stats, what, maxBytes);
  return { open: target, stats };
}

function preflightSync(file: string, options: ReadOptions, what: string, maxBytes: number): { open: string; stats: Stats } {
  let target = file;
  if (options.within !== undefined) {
    const root = realRoots.get(options.within) ?? remember(options.within, realpathSync.native(options.within));
    const real = realpathSync.native(file);
    if (!isInside(root, real)) throw outsideError(file, real, options.within, what);
    target = real;
  }
  const stats = statSync(target);
  checkStats(file, stats, what, maxBytes);
  return { open: target, stats };
}

/** Open flags: never block (a FIFO swapped in after the check), never follow a link that replaced the checked real path. */
function flags(options: ReadOptions): number {
  return constants.O_RDONLY | constants.O_NONBLOCK | (options.within !== undefined ? constants.O_NOFOLLOW : 0);
}

/**
 * The size and real path of the regular file `file` would be read from, or
 * undefined when it does not exist; refuses (throws) what a read would
 * refuse, but for its size. Nothing is opened.
 */
export async function statRegularFile(file: string, options: ReadOptions = {}): Promise<{ size: number; real: string } | undefined> {
  const what = options.what ?? 'file';
  try {
    const { open: real, stats } = await preflight(file, options, what, options.maxBytes ?? Number.POSITIVE_INFINITY);
    return { size: stats.size, real };
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw readError(file, error, what);
  }
}

/** Reads a regular file as bytes (see above). */
export async function readRegularFile(file: string, options: ReadOptions = {}): Promise<Buffer> {
  const what = options.what ?? 'file';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open((await preflight(file, options, what, maxBytes)).open, flags(options));
  } catch (error) {
    throw readError(file, error, what);
  }
  try {
    const stats = await handle.stat();
    checkStats(file, stats, what, maxBytes);
    const bytes = new BoundedRead(file, what, maxBytes, stats.size);
    for (let chunk = bytes.next(); bytes.take(chunk, (await handle.read(chunk, 0, chunk.length, null)).bytesRead); chunk = bytes.next());
    return bytes.result();
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

/** `readRegularFile`, synchronously (small files read in a loop, where a thread-pool round trip costs more than the read). */
export function readRegularFileSync(file: string, options: ReadOptions = {}): Buffer {
  const what = options.what ?? 'file';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  let fd: number;
  try {
    fd = openSync(preflightSync(file, options, what, maxBytes).open, flags(options));
  } catch (error) {
    throw readError(file, error, what);
  }
  try {
    const stats = fstatSync(fd);
    checkStats(file, stats, what, maxBytes);
    const bytes = new BoundedRead(file, what, maxBytes, stats.size);
    for (let chunk = bytes.next(); bytes.take(chunk, readSync(fd, chunk, 0, chunk.length, null)); chunk = bytes.next());
    return bytes.result();
  } catch (error) {
    throw readError(file, error, what);
  } finally {
    closeSync(fd);
  }
}

/** `readTextFile`, synchronously. */
export function readTextFileSync(file: string, options: ReadOptions = {}): string {
  return readRegularFileSync(file, options).toString('utf8');
}
