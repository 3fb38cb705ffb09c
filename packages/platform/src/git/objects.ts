import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '../errors.js';
import { startProcess } from '../exec/process.js';
import { GIT_ENV } from './command.js';

/**
 * Reading a repository with as few processes as possible: refs come from the
 * files (`packed-refs`, `refs/`), and every object (tags, commits, trees,
 * blobs) through one long-lived `git cat-file --batch-command`. Reading
 * thousands of release tags costs one process per repository, not one per
 * tag (spawning is the cost).
 */

export interface GitObject {
  type: string;
  size: number;
  data?: Buffer;
}

interface Pending {
  kind: 'info' | 'contents';
  oid: string;
  resolve: (value: GitObject | undefined) => void;
  reject: (error: Error) => void;
}

/** One `git cat-file --batch-command --buffer` answering `info` and `contents` requests in order. */
export class ObjectReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failed: Error | undefined;
  private outgoing = '';

  constructor(readonly gitDir: string) {
    // --buffer: git answers when told to `flush`; requests made in one tick go out in one write.
    // Its own process group (startProcess): a Ctrl-C at the terminal does not kill it under galley.
    this.child = startProcess('git', ['--git-dir', gitDir, 'cat-file', '--batch-command', '--buffer'], { env: GIT_ENV });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.drain();
    });
    let stderr = '';
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 4096) stderr += d;
    });
    this.child.on('error', (error) => this.fail(new GalleyError('git-failed', `git cat-file could not run in ${gitDir}: ${error.message}`, { exitCode: 4 })));
    // Whenever it ends (closed by us, killed by a signal, crashed), pending and later reads fail at once instead of waiting forever.
    this.child.on('close', (code, signal) => {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const detail = stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : '';
      this.fail(new GalleyError('git-failed', `git cat-file ${how} while reading ${gitDir}${detail}`, { exitCode: 4 }));
    });
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const p of this.queue.splice(0)) p.reject(this.failed);
  }

  /** The reader's process id (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Type and size of an object (undefined when missing). */
  info(oid: string): Promise<GitObject | undefined> {
    return this.request('info', oid);
  }

  /** An object with its content (undefined when missing). */
  contents(oid: string): Promise<GitObject | undefined> {
    return this.request('contents', oid);
  }

  close(): void {
    this.fail(new GalleyError('git-failed', `the object reader of ${this.gitDir} was closed`, { exitCode: 4 }));
    this.child.stdin.end();
  }

  private request(kind: Pending['kind'], oid: string): Promise<GitObject | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.queue.push({ kind, oid, resolve, reject });
      if (!this.outgoing) setImmediate(() => this.flush());
      this.outgoing += `${kind} ${oid}\n`;
    });
  }

  private flush(): void {
    const text = this.outgoing;
    this.outgoing = '';
    if (text) this.child.stdin.write(`${text}flush\n`);
  }

  private drain(): void {
    while (this.queue.length) {
      const nl = this.buffer.indexOf(10);
      if (nl === -1) return;
      const header = this.buffer.subarray(0, nl).toString('utf8');
      const current = this.queue[0]!;
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(nl + 1);
        this.queue.shift();
        current.resolve(undefined);
        continue;
      }
      const [, type, sizeText] = header.split(' ');
      const size = Number(sizeText);
      if (current.kind === 'info') {
        this.buffer = this.buffer.subarray(nl + 1);
        this.queue.shift();
        current.resolve({ type: type!, size });
        continue;
      }
      if (this.buffer.length < nl + 1 + size + 1) return;
      const data = Buffer.from(this.buffer.subarray(nl + 1, nl + 1 + size));
      this.buffer = this.buffer.subarray(nl + 1 + size + 1);
      this.queue.shift();
      current.resolve({ type: type!, size, data });
    }
  }
}

/** Every branch and tag of a repository (loose refs win over `packed-refs`), read from the files. */
export async function readRefs(repositoryDir: string): Promise<Map<string, string>> {
  // A linked work tree keeps its branches and tags in the main repository (`commondir`).
  const common = (await readFile(path.join(repositoryDir, 'commondir'), 'utf8').catch(() => '')).trim();
  const gitDir = common ? path.resolve(repositoryDir, common) : repositoryDir;
  const refs = new Map<string, string>();
  const packed = await readFile(path.join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    if (space === 40 || space === 64) refs.set(line.slice(space + 1), line.slice(0, space));
  }
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(gitDir, rel), { withFileTypes: true }).catch(() => []);
    await Promise.all(
      entries.map(async (entry) => {
        const child = `${rel}/${entry.name}`;
        if (entry.isDirectory()) return walk(child);
        if (entry.name.endsWith('.lock')) return;
        const text = (await readFile(path.join(gitDir, child), 'utf8').catch(() => '')).trim();
        if (/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(text)) refs.set(child, text);
      }),
    );
  };
  await Promise.all([walk('refs/heads'), walk('refs/tags')]);
  return refs;
}

/** What `HEAD` is: a branch (`ref: refs/heads/main`) or a detached commit, from the file. */
export async function readHead(gitDir: string): Promise<{ branch?: string; commit?: string }> {
  const text = (await readFile(path.join(gitDir, 'HEAD'), 'utf8').catch(() => '')).trim();
  const branch = /^ref: refs\/heads\/(.+)$/.exec(text)?.[1]?.trim();
  if (branch) return { branch };
  return /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(text) ? { commit: text } : {};
}

/** `1706875200 +0130` → `2024-02-02T13:30:00+01:30`, as git's iso-strict prints it. */
export function isoStrict(epoch: number, zone: string): string {
  const m = /^([+-])(\d{2})(\d{2})$/.exec(zone) ?? ['+0000', '+', '00', '00'];
  const sign = m[1] === '-' ? -1 : 1;
  const offset = sign * (Number(m[2]) * 60 + Number(m[3])) * 60;
  const local = new Date((epoch + offset) * 1000).toISOString().slice(0, 19);
  return `${local}${m[1]}${m[2]}:${m[3]}`;
}

/** The header fields and message of a commit or tag object. */
export function objectHeader(data: Buffer): { fields: Map<string, string>; message: string } {
  const text = data.toString('utf8');
  const end = text.indexOf('\n\n');
  const head = end === -1 ? text : text.slice(0, end);
  const fields = new Map<string, string>();
  for (const line of head.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0 && !fields.has(line.slice(0, space))) fields.set(line.slice(0, space), line.slice(space + 1));
  }
  return { fields, message: end === -1 ? '' : text.slice(end + 2) };
}

/** The date of a `tagger`/`committer` line, in git's iso-strict form. */
export function identityDate(identity: string | undefined): string | undefined {
  const m = identity ? /(\d+) ([+-]\d{4})$/.exec(identity) : null;
  return m ? isoStrict(Number(m[1]), m[2]!) : undefined;
}
