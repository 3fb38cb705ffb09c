import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { readTextFile } from '../fs/read.js';

/**
 * The git directory when `dir` is the top of a work tree or a bare
 * repository; undefined otherwise (also for a folder inside some other repo).
 * Looks at the files instead of starting git: this runs on every lint.
 */
export async function findGitDir(dir: string): Promise<string | undefined> {
  const dotGit = path.join(dir, '.git');
  const info = await stat(dotGit).catch(() => undefined);
  if (info?.isDirectory()) return realpath(dotGit);
  if (info?.isFile()) {
    // A linked work tree or submodule: `.git` is a file `gitdir: <path>`.
    const m = /^gitdir:\s*(.+)$/m.exec(await readTextFile(dotGit, { what: 'git file', maxBytes: 64 * 1024 }));
    return m ? realpath(path.resolve(dir, m[1]!.trim())).catch(() => undefined) : undefined;
  }
  const [head, objects, refs] = await Promise.all(['HEAD', 'objects', 'refs'].map((f) => stat(path.join(dir, f)).catch(() => undefined)));
  if (head?.isFile() && objects?.isDirectory() && refs?.isDirectory()) return realpath(dir);
  return undefined;
}
