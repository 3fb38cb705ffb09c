import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ObjectReader } from './objects.js';

/**
 * One object reader for many repositories: a bare "hub" repository whose
 * `objects/info/alternates` lists their object folders, read by a single
 * `git cat-file --batch-command`. Objects are named by their content, so a
 * reader over all of them answers for each; refs stay each repository's
 * own (GitRepository reads them from its files). Reading a thousand release
 * tags of two hundred repositories then costs one process instead of two
 * hundred (starting processes is the cost on small machines).
 *
 * The hub is rewritten by `open()` and holds nothing of its own; the
 * repositories must not be removed while it is read.
 */
export class SharedObjects {
  private instance: ObjectReader | undefined;

  private constructor(readonly hubDir: string) {}

  /** Makes (or remakes) the hub at `hubDir` over the object folders of `gitDirs`. */
  static async open(hubDir: string, gitDirs: readonly string[]): Promise<SharedObjects> {
    await rm(hubDir, { recursive: true, force: true });
    await mkdir(path.join(hubDir, 'objects', 'info'), { recursive: true });
    await mkdir(path.join(hubDir, 'refs', 'heads'), { recursive: true });
    await mkdir(path.join(hubDir, 'refs', 'tags'), { recursive: true });
    await writeFile(path.join(hubDir, 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(path.join(hubDir, 'config'), '[core]\n\trepositoryformatversion = 0\n\tbare = true\n');
    const alternates = gitDirs.map((dir) => path.resolve(dir, 'objects'));
    await writeFile(path.join(hubDir, 'objects', 'info', 'alternates'), `${alternates.join('\n')}\n`);
    return new SharedObjects(hubDir);
  }

  /** The reader (started on first use). */
  get reader(): ObjectReader {
    this.instance ??= new ObjectReader(this.hubDir);
    return this.instance;
  }

  close(): void {
    this.instance?.close();
    this.instance = undefined;
  }
}
