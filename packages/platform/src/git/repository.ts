import { GalleyError } from '../errors.js';
import { ok } from '../exec/process.js';
import { git, gitFailure, gitRun } from './command.js';
import { type GitObject, identityDate, ObjectReader, objectHeader, readHead, readRefs } from './objects.js';
import type { SharedObjects } from './shared.js';

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
  /** The tagger's name (annotated tags only; the e-mail address is left out). */
  tagger?: string;
}

export interface TreeEntry {
  path: string;
  oid: string;
  size: number;
  mode: string;
}

const FULL_OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * A git repository (bare or a work tree's `.git`), read without checking
 * anything out: refs from the files, objects through one long-lived
 * `git cat-file --batch-command` (see objects.ts), or the reader of a
 * SharedObjects hub that covers this repository (shared.ts); trees and sizes
 * cached. Call `close()` when done (a shared reader is left to its owner).
 */
export class GitRepository {
  private readerInstance: ObjectReader | undefined;
  private refsCache: Promise<Map<string, string>> | undefined;
  private readonly trees = new Map<string, Promise<TreeEntry[]>>();
  private readonly sizes = new Map<string, Promise<number>>();

  constructor(
    readonly gitDir: string,
    private readonly shared?: SharedObjects,
  ) {}

  /** Runs any other git command in this repository. */
  run(args: string[]): Promise<string> {
    return git(args, { gitDir: this.gitDir });
  }

  /** Branches and tags (`refs/heads/…`, `refs/tags/…`) → object id, read once. */
  refs(): Promise<Map<string, string>> {
    this.refsCache ??= readRefs(this.gitDir);
    return this.refsCache;
  }

  private get reader(): ObjectReader {
    if (this.shared) return this.shared.reader;
    this.readerInstance ??= new ObjectReader(this.gitDir);
    return this.readerInstance;
  }

  private async object(oid: string, expected?: string): Promise<GitObject & { data: Buffer }> {
    const object = await this.reader.contents(oid);
    if (!object?.data) throw new GalleyError('git-missing-object', `git object ${oid} is missing in ${this.gitDir}`);
    if (expected && object.type !== expected) throw new GalleyError('git-bad-object', `git object ${oid} is a ${object.type}, not a ${expected}`);
    return object as GitObject & { data: Buffer };
  }

  /** Follows tag objects to the commit they name; undefined if it is no commit. */
  private async peel(oid: string): Promise<string | undefined> {
    for (let depth = 0; depth < 10; depth++) {
      const object = await this.reader.contents(oid);
      if (!object?.data) return undefined;
      if (object.type === 'commit') return oid;
      if (object.type !== 'tag') return undefined;
      oid = objectHeader(object.data).fields.get('object') ?? '';
    }
    return undefined;
  }

  /** The commit a ref (tag, branch, full sha, `HEAD`; else anything `git rev-parse` knows) points at. */
  async resolveCommit(ref: string): Promise<string> {
    const refs = await this.refs();
    let oid: string | undefined;
    if (ref === 'HEAD') {
      const head = await readHead(this.gitDir);
      oid = head.commit ?? (head.branch ? refs.get(`refs/heads/${head.branch}`) : undefined);
    } else {
      oid = [ref, `refs/tags/${ref}`, `refs/heads/${ref}`].map((c) => refs.get(c)).find(Boolean) ?? (FULL_OID.test(ref) ? ref : undefined);
    }
    const commit = oid ? await this.peel(oid) : undefined;
    if (commit) return commit;
    // Abbreviated ids, `main~2`, remote refs: ask git. Only git's own "no such commit" is an unknown ref;
    // a git killed by a signal or timed out is a failure.
    const args = ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`];
    const result = await gitRun(args, { gitDir: this.gitDir });
    if (ok(result)) return result.stdout.trim();
    if (result.code === null || result.timedOut || result.aborted) throw gitFailure(args, result, { gitDir: this.gitDir });
    throw new GalleyError('git-unknown-ref', `${this.gitDir} has no commit or tag "${ref}": check the name with git tag --list`);
  }

  async tags(): Promise<GitTag[]> {
    const refs = await this.refs();
    const names = [...refs.keys()].filter((r) => r.startsWith('refs/tags/')).sort();
    return Promise.all(
      names.map(async (ref) => {
        let oid = refs.get(ref)!;
        let object = await this.object(oid);
        const name = ref.slice('refs/tags/'.length);
        const annotated = object.type === 'tag';
        let taggerDate: string | undefined;
        let message: string | undefined;
        let tagger: string | undefined;
        if (annotated) {
          const parsed = objectHeader(object.data);
          taggerDate = identityDate(parsed.fields.get('tagger'));
          message = parsed.message.split('\n')[0] || undefined;
          tagger = /^(.*?)\s*<[^>]*>/.exec(parsed.fields.get('tagger') ?? '')?.[1]?.trim() || undefined;
        }
        for (let depth = 0; object.type === 'tag' && depth < 10; depth++) {
          oid = objectHeader(object.data).fields.get('object') ?? '';
          object = await this.object(oid);
        }
        if (object.type !== 'commit') throw new GalleyError('git-bad-object', `tag ${name} in ${this.gitDir} does not point at a commit`);
        const commitDate = identityDate(objectHeader(object.data).fields.get('committer')) ?? '';
        const tag: GitTag = { name, annotated, commit: oid, date: annotated ? (taggerDate ?? commitDate) : commitDate };
        if (message) tag.message = message;
        if (tagger) tag.tagger = tagger;
        return tag;
      }),
    );
  }

  /** Every file of a commit's tree with its blob id and size, sorted by path. */
  async tree(commit: string): Promise<TreeEntry[]> {
    const { data } = await this.object(commit, 'commit');
    const tree = objectHeader(data).fields.get('tree');
    if (!tree) throw new GalleyError('git-bad-object', `commit ${commit} has no tree`);
    return this.listTree(tree);
  }

  /** Reads a blob's content as bytes (images and other binary files). */
  async readBlobBytes(oid: string): Promise<Buffer> {
    return (await this.object(oid, 'blob')).data;
  }

  /** Reads a blob's content as UTF-8 text. */
  async readBlob(oid: string): Promise<string> {
    return (await this.object(oid, 'blob')).data.toString('utf8');
  }

  /** The committer date of a commit (ISO 8601). */
  async commitDate(commit: string): Promise<string> {
    return identityDate(objectHeader((await this.object(commit, 'commit')).data).fields.get('committer')) ?? '';
  }

  /** The process id of the object reader, when one runs. */
  readerPid(): number | undefined {
    return this.shared ? this.shared.reader.pid : this.readerInstance?.pid;
  }

  close(): void {
    this.readerInstance?.close();
    this.readerInstance = undefined;
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
            nested.push(this.size(oid).then((size) => void out.push({ path: name, oid, size, mode: mode.padStart(6, '0') })));
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
}
