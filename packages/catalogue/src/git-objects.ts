import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError, GitRepository, type GitTag, type TreeEntry } from '@galley/recipe';

/**
 * Reading a bare mirror with as few processes as possible: the refs come
 * from the files (`packed-refs`, `refs/`), and every object (tags, commits,
 * trees, blobs) through one long-lived `git cat-file --batch-command`. A
 * catalogue run reads thousands of release tags; one process per repository
 * instead of one per tag is what keeps it fast (spawning is the cost).
 */

interface Pending {
  kind: 'info' | 'contents';
  oid: string;
  resolve: (value: GitObject | undefined) => void;
  reject: (error: Error) => void;
}

export interface GitObject {
  type: string;
  size: number;
  data?: Buffer;
}

/** One `git cat-file --batch-command` answering `info` and `contents` requests in order. */
export class ObjectReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failed: Error | undefined;

  constructor(readonly gitDir: string) {
    // --buffer: git answers when told to `flush`; requests made in one tick go out in one write.
    this.child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch-command', '--buffer'], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
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

  private outgoing = '';

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

  /** Type and size of an object (undefined when missing). */
  info(oid: string): Promise<GitObject | undefined> {
    return this.request('info', oid);
  }

  /** An object with its content (undefined when missing). */
  contents(oid: string): Promise<GitObject | undefined> {
    return this.request('contents', oid);
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

  close(): void {
    this.child.stdin.end();
  }
}

/** Every ref of a repository (loose ones win over `packed-refs`), read from the files. */
export async function readRefs(gitDir: string): Promise<Map<string, string>> {
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

/** A hash of the branches and tags: equal hashes mean nothing changed. */
export function refsFingerprint(refs: Map<string, string>): string {
  const lines = [...refs]
    .filter(([name]) => name.startsWith('refs/heads/') || name.startsWith('refs/tags/'))
    .map(([name, oid]) => `${oid} ${name}`)
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The branch HEAD names (`ref: refs/heads/main`), from the file. */
export async function headBranch(gitDir: string): Promise<string | undefined> {
  const text = await readFile(path.join(gitDir, 'HEAD'), 'utf8').catch(() => '');
  const m = /^ref: refs\/heads\/(.+)$/m.exec(text);
  return m?.[1]?.trim();
}

/** `1706875200 +0130` → `2024-02-02T13:30:00+01:30`, as git's iso-strict prints it. */
export function isoStrict(epoch: number, zone: string): string {
  const m = /^([+-])(\d{2})(\d{2})$/.exec(zone) ?? ['+0000', '+', '00', '00'];
  const sign = m[1] === '-' ? -1 : 1;
  const offset = sign * (Number(m[2]) * 60 + Number(m[3])) * 60;
  const local = new Date((epoch + offset) * 1000).toISOString().slice(0, 19);
  return `${local}${m[1]}${m[2]}:${m[3]}`;
}

function header(data: Buffer): { fields: Map<string, string>; message: string } {
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

function identityDate(identity: string | undefined): string | undefined {
  const m = identity ? /(\d+) ([+-]\d{4})$/.exec(identity) : null;
  return m ? isoStrict(Number(m[1]), m[2]!) : undefined;
}

/**
 * A GitRepository whose reads (tags, trees, blobs) go through one
 * `cat-file --batch-command` process and the ref files: what @galley/recipe
 * and the lint rules use, without a process per call.
 */
export class BatchedRepository extends GitRepository {
  readonly reader: ObjectReader;
  private readonly trees = new Map<string, Promise<TreeEntry[]>>();
  private readonly sizes = new Map<string, Promise<number>>();
  private refsCache: Promise<Map<string, string>> | undefined;

  constructor(gitDir: string) {
    super(gitDir);
    this.reader = new ObjectReader(gitDir);
  }

  refs(): Promise<Map<string, string>> {
    this.refsCache ??= readRefs(this.gitDir);
    return this.refsCache;
  }

  private async object(oid: string, expected?: string): Promise<GitObject & { data: Buffer }> {
    const object = await this.reader.contents(oid);
    if (!object?.data) throw new GalleyError('git-missing-object', `git object ${oid} is missing in ${this.gitDir}`);
    if (expected && object.type !== expected) throw new GalleyError('git-bad-object', `git object ${oid} is a ${object.type}, not a ${expected}`);
    return object as GitObject & { data: Buffer };
  }

  override async tags(): Promise<GitTag[]> {
    const refs = await this.refs();
    const names = [...refs.keys()].filter((r) => r.startsWith('refs/tags/')).sort();
    return Promise.all(
      names.map(async (ref) => {
        let oid = refs.get(ref)!;
        let object = await this.object(oid);
        const name = ref.slice('refs/tags/'.length);
        let taggerDate: string | undefined;
        let message: string | undefined;
        const annotated = object.type === 'tag';
        if (annotated) {
          const parsed = header(object.data);
          taggerDate = identityDate(parsed.fields.get('tagger'));
          message = parsed.message.split('\n')[0] || undefined;
        }
        for (let depth = 0; object.type === 'tag' && depth < 10; depth++) {
          oid = header(object.data).fields.get('object') ?? '';
          object = await this.object(oid);
        }
        if (object.type !== 'commit') throw new GalleyError('git-bad-object', `tag ${name} in ${this.gitDir} does not point at a commit`);
        const commitDate = identityDate(header(object.data).fields.get('committer')) ?? '';
        const tag: GitTag = { name, annotated, commit: oid, date: annotated ? (taggerDate ?? commitDate) : commitDate };
        if (message) tag.message = message;
        return tag;
      }),
    );
  }

  override async resolveCommit(ref: string): Promise<string> {
    const refs = await this.refs();
    const candidates = ref === 'HEAD' ? [`refs/heads/${(await headBranch(this.gitDir)) ?? ''}`] : [ref, `refs/tags/${ref}`, `refs/heads/${ref}`];
    let oid = candidates.map((c) => refs.get(c)).find(Boolean) ?? (/^[0-9a-f]{40}$/.test(ref) ? ref : undefined);
    if (!oid) throw new GalleyError('git-unknown-ref', `${this.gitDir} has no commit or tag "${ref}"`);
    for (let depth = 0; depth < 10; depth++) {
      const object = await this.object(oid);
      if (object.type === 'commit') return oid;
      if (object.type !== 'tag') break;
      oid = header(object.data).fields.get('object') ?? '';
    }
    throw new GalleyError('git-unknown-ref', `"${ref}" in ${this.gitDir} is not a commit`);
  }

  private listTree(treeOid: string): Promise<TreeEntry[]> {
    let known = this.trees.get(treeOid);
    if (!known) {
      known = (async () => {
        const { data } = await this.object(treeOid, 'tree');
        const out: TreeEntry[] = [];
        const nested: Promise<void>[] = [];
        for (let pos = 0; pos < data.length; ) {
          const space = data.indexOf(32, pos);
          const nul = data.indexOf(0, space);
          const mode = data.subarray(pos, space).toString('latin1');
          const name = data.subarray(space + 1, nul).toString('utf8');
          const oid = data.subarray(nul + 1, nul + 21).toString('hex');
          pos = nul + 21;
          if (mode === '40000') {
            nested.push(
              this.listTree(oid).then((children) => {
                for (const c of children) out.push({ ...c, path: `${name}/${c.path}` });
              }),
            );
          } else if (mode !== '160000') {
            nested.push(
              this.size(oid).then((size) => {
                out.push({ path: name, oid, size, mode: mode.padStart(6, '0') });
              }),
            );
          }
        }
        await Promise.all(nested);
        return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      })();
      this.trees.set(treeOid, known);
    }
    return known;
  }

  private size(oid: string): Promise<number> {
    let known = this.sizes.get(oid);
    if (!known) {
      known = this.reader.info(oid).then((i) => i?.size ?? 0);
      this.sizes.set(oid, known);
    }
    return known;
  }

  override async tree(commit: string): Promise<TreeEntry[]> {
    const { data } = await this.object(commit, 'commit');
    const tree = header(data).fields.get('tree');
    if (!tree) throw new GalleyError('git-bad-object', `commit ${commit} has no tree`);
    return this.listTree(tree);
  }

  override async readBlob(oid: string): Promise<string> {
    return (await this.object(oid, 'blob')).data.toString('utf8');
  }

  override async commitDate(commit: string): Promise<string> {
    return identityDate(header((await this.object(commit, 'commit')).data).fields.get('committer')) ?? '';
  }

  override close(): void {
    this.reader.close();
    super.close();
  }
}
