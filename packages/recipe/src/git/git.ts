import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '../diagnostics.js';

/** A tag of a recipe repository. */
export interface GitTag {
  name: string;
  /** True for annotated tags (tag objects), false for lightweight ones. */
  annotated: boolean;
  /** The commit the tag points at (peeled). */
  commit: string;
  /** ISO 8601 date: the tagger date of an annotated tag, else the commit date. */
  date: string;
  /** The tag message's subject (annotated tags only). */
  message?: string;
}

export interface TreeEntry {
  path: string;
  oid: string;
  size: number;
  mode: string;
}

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };

/** Runs git and returns stdout; failures become GalleyErrors naming the repository. */
export function git(args: string[], options: { cwd?: string; gitDir?: string; input?: string } = {}): Promise<string> {
  const full = options.gitDir ? ['--git-dir', options.gitDir, ...args] : args;
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      full,
      { cwd: options.cwd, env: GIT_ENV, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            reject(new GalleyError('git-missing', 'git is not installed: install it (apt-get install git) and try again'));
            return;
          }
          const where = options.gitDir ?? options.cwd ?? '';
          reject(
            new GalleyError('git-failed', `git ${args[0]} failed${where ? ` in ${where}` : ''}: ${stderr.trim() || error.message}`),
          );
          return;
        }
        resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/**
 * A git repository (bare or not) read with plumbing commands only: nothing
 * is ever checked out. Blob reads go through one long-lived
 * `git cat-file --batch` process; call `close()` when done.
 */
export class GitRepository {
  private batch: BlobBatch | undefined;

  constructor(readonly gitDir: string) {}

  run(args: string[]): Promise<string> {
    return git(args, { gitDir: this.gitDir });
  }

  /** The commit a ref (tag, branch, sha, `HEAD`) points at. */
  async resolveCommit(ref: string): Promise<string> {
    try {
      return (await this.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
    } catch {
      throw new GalleyError('git-unknown-ref', `${this.gitDir} has no commit or tag "${ref}": check the name with git tag --list`);
    }
  }

  async tags(): Promise<GitTag[]> {
    const format = [
      '%(refname:strip=2)',
      '%(objecttype)',
      '%(objectname)',
      '%(*objectname)',
      '%(taggerdate:iso-strict)',
      '%(committerdate:iso-strict)',
      '%(*committerdate:iso-strict)',
      '%(contents:subject)',
    ].join('%00');
    const out = await this.run(['for-each-ref', `--format=${format}`, 'refs/tags']);
    const tags: GitTag[] = [];
    for (const line of out.split('\n')) {
      if (!line) continue;
      const [name, type, object, peeled, taggerDate, commitDate, peeledDate, subject] = line.split('\0');
      const annotated = type === 'tag';
      const tag: GitTag = {
        name: name!,
        annotated,
        commit: annotated ? peeled! : object!,
        date: annotated ? taggerDate || peeledDate! : commitDate!,
      };
      if (annotated && subject) tag.message = subject;
      tags.push(tag);
    }
    return tags;
  }

  /** Every file of a commit's tree with its blob id and size. */
  async tree(commit: string): Promise<TreeEntry[]> {
    const out = await this.run(['ls-tree', '-r', '-z', '--long', '--full-tree', commit]);
    const entries: TreeEntry[] = [];
    for (const record of out.split('\0')) {
      if (!record) continue;
      const tab = record.indexOf('\t');
      const [mode, type, oid, size] = record.slice(0, tab).split(/\s+/);
      if (type !== 'blob') continue;
      entries.push({ path: record.slice(tab + 1), oid: oid!, size: Number(size), mode: mode! });
    }
    return entries;
  }

  /** Reads a blob's content as UTF-8 text. */
  readBlob(oid: string): Promise<string> {
    this.batch ??= new BlobBatch(this.gitDir);
    return this.batch.read(oid);
  }

  /** The date of a commit (ISO 8601). */
  async commitDate(commit: string): Promise<string> {
    return (await this.run(['show', '-s', '--format=%cI', commit])).trim();
  }

  close(): void {
    this.batch?.close();
    this.batch = undefined;
  }
}

interface Pending {
  oid: string;
  resolve: (text: string) => void;
  reject: (error: Error) => void;
}

/** One `git cat-file --batch` process answering reads in order. */
class BlobBatch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failed: Error | undefined;

  constructor(gitDir: string) {
    this.child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { env: GIT_ENV });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.drain();
    });
    const fail = (error: Error) => {
      this.failed = error;
      for (const p of this.queue.splice(0)) p.reject(error);
    };
    this.child.on('error', (error) => fail(new GalleyError('git-failed', `git cat-file failed in ${gitDir}: ${error.message}`)));
    this.child.on('exit', (code) => {
      if (this.queue.length) fail(new GalleyError('git-failed', `git cat-file exited (${code}) in ${gitDir}`));
    });
    this.child.stdin.on('error', () => undefined);
  }

  read(oid: string): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.queue.push({ oid, resolve, reject });
      this.child.stdin.write(`${oid}\n`);
    });
  }

  private drain(): void {
    while (this.queue.length) {
      const nl = this.buffer.indexOf(10);
      if (nl === -1) return;
      const header = this.buffer.subarray(0, nl).toString('utf8');
      const current = this.queue[0]!;
      if (header.endsWith(' missing')) {
        this.buffer = this.buffer.subarray(nl + 1);
        this.queue.shift();
        current.reject(new GalleyError('git-missing-object', `git object ${current.oid} is missing`));
        continue;
      }
      const size = Number(header.split(' ')[2]);
      if (this.buffer.length < nl + 1 + size + 1) return;
      const content = this.buffer.subarray(nl + 1, nl + 1 + size).toString('utf8');
      this.buffer = this.buffer.subarray(nl + 1 + size + 1);
      this.queue.shift();
      current.resolve(content);
    }
  }

  close(): void {
    this.child.stdin.end();
  }
}

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
    const m = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8'));
    return m ? realpath(path.resolve(dir, m[1]!.trim())).catch(() => undefined) : undefined;
  }
  const [head, objects, refs] = await Promise.all(['HEAD', 'objects', 'refs'].map((f) => stat(path.join(dir, f)).catch(() => undefined)));
  if (head?.isFile() && objects?.isDirectory() && refs?.isDirectory()) return realpath(dir);
  return undefined;
}
