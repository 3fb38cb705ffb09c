import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file so that readers see the old content or the new one, never a
 * half-written file: the text goes to a temporary file in the same folder,
 * which then replaces the target (rename is atomic on one file system). An
 * existing file keeps its permissions.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.galley-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = await stat(file).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
