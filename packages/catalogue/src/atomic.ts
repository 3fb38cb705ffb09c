import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so that readers see the old content or the new one, never a
 * part: a temp file in the same folder, flushed to disk, then renamed over
 * the target (atomic on one file system). A run killed in between leaves the
 * old file as it was (and at worst a `.<name>.galley-*.tmp` beside it). An
 * existing file keeps its permissions.
 */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.galley-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = await stat(file).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
