import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { GitRepository, latestRecipeVersion, readRefs } from '@galley/recipe';
import { type SimpleGit, simpleGit } from 'simple-git';
import { remoteRefs, sameRefs } from './remote-refs.js';

/** Remotes asked for their refs at once. */
const REMOTE_REFS_CONCURRENCY = 16;

/**
 * Bare mirrors of recipe repositories in the cache, kept with simple-git:
 * `<cache>/mirrors/<recipe>.git`, holding the remote's branches and tags
 * (`refs/heads/*`, `refs/tags/*`, pruned; the refspecs are given on each fetch). A first run clones (into a temp
 * folder renamed into place, so a killed run leaves no half mirror); later
 * runs fetch, which transfers only what changed. Nothing is ever checked out:
 * files are read from git objects.
 */

export const MIRRORS_DIR = 'mirrors';

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

export function mirrorPath(cacheDir: string, name: string): string {
  return path.join(cacheDir, MIRRORS_DIR, `${name}.git`);
}

export interface MirrorSync {
  gitDir: string;
  /** True when the mirror was cloned now. */
  cloned: boolean;
  /** A hash of what the fetch saw (FETCH_HEAD); absent after a clone. */
  fetchHead?: string;
}

export interface MirrorOptions {
  timeoutMs: number;
}

/** What a mirror keeps: the remote's branches and tags, as they are there (pruned). */
const REFSPECS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];

const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: 'ssh -o BatchMode=yes', LC_ALL: 'C' };

/**
 * Over git:// (git daemon) a protocol v2 fetch waits ~40 ms longer than a v0
 * one for the same answer (measured: 52 ms vs 9 ms for a no-op fetch), and v2's
 * advantage, filtering refs by prefix, is of no use to a mirror that wants every
 * branch and tag. Other transports keep git's default (v2 spares https mirrors
 * GitHub's pull-request refs).
 */
function transportConfig(url: string | undefined): string[] {
  return url?.startsWith('git://') ? ['protocol.version=0'] : [];
}

function gitAt(baseDir: string, options: MirrorOptions, url?: string): SimpleGit {
  // GIT_SSH_COMMAND is ours (BatchMode: never prompt), so simple-git's guard against it may be lifted.
  return simpleGit({
    baseDir,
    config: transportConfig(url),
    timeout: { block: options.timeoutMs },
    allowEnvironment: Object.keys(GIT_ENV),
    trimmed: false,
    unsafe: { allowUnsafeSshCommand: true },
  }).env({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/',
    ...GIT_ENV,
  });
}

function gitErrorMessage(error: unknown): string {
  const text = (error as Error).message ?? String(error);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^hint:/.test(l));
  return (lines.find((l) => /^fatal:|^error:/.test(l)) ?? lines[0] ?? 'git failed').replace(/^(?:fatal|error):\s*/, '');
}

/** Removes `*.lock` files a killed git left in a mirror (the cache lock says no other run uses it). */
async function removeStaleLocks(_gitDir: string, message: string): Promise<boolean> {
  const m = /Unable to create '([^']+\.lock)': File exists/.exec(message);
  if (!m) return false;
  await unlink(m[1]!).catch(() => undefined);
  return true;
}

async function fetchHeadHash(gitDir: string): Promise<string | undefined> {
  const text = await readFile(path.join(gitDir, 'FETCH_HEAD'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : createHash('sha256').update(text).digest('hex');
}

export class MirrorStore {
  constructor(
    readonly cacheDir: string,
    private readonly options: MirrorOptions,
  ) {}

  dir(name: string): string {
    return mirrorPath(this.cacheDir, name);
  }

  /** Removes temp folders of clones a killed run left behind. */
  async cleanTemp(): Promise<void> {
    const root = path.join(this.cacheDir, MIRRORS_DIR);
    const names = await readdir(root).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.startsWith('.tmp-')).map((n) => rm(path.join(root, n), { recursive: true, force: true })));
  }

  /** What prefetch() learnt: fetched (or failed), or already up to date with the remote. */
  private readonly prefetched = new Map<string, { url: string; error?: string; upToDate?: boolean }>();

  /**
   * Brings many existing mirrors up to date at once. First each remote's
   * refs are asked without git (remote-refs.ts): a mirror that has exactly
   * those is up to date and is not fetched. The others are fetched from one
   * process (`xargs -P` running `git fetch`): spawning a git process per
   * repository from node costs more main-thread time than the fetches. Mirrors whose
   * URL changed, missing mirrors and failures go through `sync()` one by one
   * (with simple-git) afterwards.
   */
  async prefetch(items: ReadonlyArray<{ name: string; url: string; knownUrl?: string }>, concurrency: number): Promise<void> {
    const ready: Array<{ name: string; url: string; gitDir: string }> = [];
    await Promise.all(
      items.map(async (item) => {
        const gitDir = this.dir(item.name);
        if (item.knownUrl !== item.url || !(await exists(path.join(gitDir, 'HEAD')))) return;
        ready.push({ ...item, gitDir });
      }),
    );
    // Ask each remote for its refs without starting git (see remote-refs.ts);
    // mirrors that already have exactly those need no fetch at all.
    const unchanged = new Set<string>();
    let next = 0;
    const askRemote = async () => {
      for (let i = next++; i < ready.length; i = next++) {
        const item = ready[i]!;
        const [remote, local] = await Promise.all([remoteRefs(item.url, this.options.timeoutMs), readRefs(item.gitDir)]);
        if (remote && sameRefs(remote, local)) unchanged.add(item.name);
      }
    };
    await Promise.all(Array.from({ length: Math.min(REMOTE_REFS_CONCURRENCY, ready.length) }, askRemote));
    for (const name of unchanged) this.prefetched.set(name, { url: ready.find((r) => r.name === name)!.url, upToDate: true });
    const toFetch = ready.filter((r) => !unchanged.has(r.name));
    if (toFetch.length < 2) return;
    // No auto maintenance here (a process per fetch, mostly for nothing): maintain() tidies mirrors that changed.
    const script =
      'd=$1; shift; timeout "$GALLEY_FETCH_TIMEOUT" git -c maintenance.auto=false -c gc.auto=0 "$@" --git-dir="$d" fetch --prune --quiet origin "+refs/heads/*:refs/heads/*" "+refs/tags/*:refs/tags/*" 2>"$d/galley-fetch.err"; echo $? >"$d/galley-fetch.status"';
    // Each record is three arguments (xargs -n 3): the git dir and one `-c key=value` (a no-op one when none is needed).
    const records = toFetch.map((r) => {
      const extra = transportConfig(r.url).flatMap((c) => ['-c', c]);
      return [r.gitDir, ...(extra.length ? extra : ['-c', 'galley.mirror=1'])];
    });
    await new Promise<void>((resolve) => {
      const child = spawn('xargs', ['-0', '-n', '3', '-P', String(concurrency), 'sh', '-c', script, 'galley-fetch'], {
        env: { ...process.env, ...GIT_ENV, GALLEY_FETCH_TIMEOUT: String(Math.max(1, Math.ceil(this.options.timeoutMs / 1000))) },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.on('error', () => resolve());
      child.on('close', () => resolve());
      child.stdin.on('error', () => undefined);
      child.stdin.end(records.map((r) => `${r.join('\0')}\0`).join(''));
    });
    await Promise.all(
      toFetch.map(async (r) => {
        const status = (await readFile(path.join(r.gitDir, 'galley-fetch.status'), 'utf8').catch(() => '')).trim();
        const error =
          status === '0'
            ? undefined
            : (await readFile(path.join(r.gitDir, 'galley-fetch.err'), 'utf8').catch(() => '')).trim() || `git fetch exited ${status || 'without a status'}`;
        await Promise.all([rm(path.join(r.gitDir, 'galley-fetch.status'), { force: true }), rm(path.join(r.gitDir, 'galley-fetch.err'), { force: true })]);
        this.prefetched.set(r.name, error === undefined ? { url: r.url } : { url: r.url, error });
      }),
    );
  }

  /** Clones or fetches one repository. `knownUrl`: the URL the mirror was made from, when known. */
  async sync(name: string, url: string, knownUrl?: string): Promise<MirrorSync> {
    const gitDir = this.dir(name);
    const done = this.prefetched.get(name);
    this.prefetched.delete(name);
    if (done?.upToDate && done.url === url) return { gitDir, cloned: false };
    if (done && done.url === url && done.error === undefined) {
      const sync: MirrorSync = { gitDir, cloned: false };
      const hash = await fetchHeadHash(gitDir);
      if (hash) sync.fetchHead = hash;
      return sync;
    }
    if (!(await exists(path.join(gitDir, 'HEAD')))) {
      await this.clone(name, url, gitDir);
      return { gitDir, cloned: true };
    }
    const git = gitAt(gitDir, this.options, url);
    if (knownUrl !== url) {
      const current = (await git.raw(['config', '--get', 'remote.origin.url']).catch(() => '')).trim();
      if (current !== url) await git.raw(['remote', 'set-url', 'origin', url]);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await git.raw(['fetch', '--prune', '--quiet', 'origin', ...REFSPECS]);
        break;
      } catch (error) {
        const message = (error as Error).message ?? '';
        if (attempt === 0 && (await removeStaleLocks(gitDir, message))) continue;
        throw new GalleyError('git-fetch-failed', `fetching ${url} failed: ${gitErrorMessage(error)}`, { exitCode: 3 });
      }
    }
    const sync: MirrorSync = { gitDir, cloned: false };
    const hash = await fetchHeadHash(gitDir);
    if (hash) sync.fetchHead = hash;
    return sync;
  }

  /** Packs and prunes a mirror when git thinks it is time (`git gc --auto`): after fetches that brought something. */
  async maintain(gitDir: string): Promise<void> {
    await gitAt(gitDir, this.options)
      .raw(['gc', '--auto', '--quiet'])
      .catch(() => undefined);
  }

  private async clone(name: string, url: string, gitDir: string): Promise<void> {
    const root = path.dirname(gitDir);
    const tmp = path.join(root, `.tmp-${name}-${process.pid}-${Date.now()}`);
    const git = gitAt(this.cacheDir, this.options, url);
    try {
      // A bare clone maps branches to refs/heads and brings the tags; later fetches name their refspecs.
      await git.clone(url, tmp, ['--bare', '--quiet']);
      await rm(gitDir, { recursive: true, force: true });
      await rename(tmp, gitDir);
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      if (error instanceof GalleyError) throw error;
      throw new GalleyError('git-clone-failed', `cloning ${url} failed: ${gitErrorMessage(error)}`, { exitCode: 3 });
    }
  }

  /** A hash of every branch and tag of the mirror (read from the ref files): equal hashes mean nothing changed. */
  async refsHash(gitDir: string): Promise<string> {
    const lines = [...(await readRefs(gitDir))].map(([name, oid]) => `${oid} ${name}`).sort();
    return createHash('sha256').update(lines.join('\n')).digest('hex');
  }
}

/**
 * A recipe's README from the mirror in `cacheDir`: at `ref` (a tag, branch or
 * commit), by default at its latest release (the default branch when it has
 * none). Undefined when there is no mirror, no such ref or no README. The
 * site builder reads READMEs this way from the cache the generator filled.
 */
export async function readRecipeReadme(cacheDir: string, recipeName: string, ref?: string): Promise<string | undefined> {
  const gitDir = mirrorPath(cacheDir, recipeName);
  const exists = await stat(path.join(gitDir, 'HEAD')).then(
    () => true,
    () => false,
  );
  if (!exists) return undefined;
  const repo = new GitRepository(gitDir);
  try {
    let target = ref;
    if (target === undefined) target = latestRecipeVersion((await repo.tags()).map((t) => t.name)) ?? 'HEAD';
    const commit = await repo.resolveCommit(target).catch(() => undefined);
    if (!commit) return undefined;
    const readme = (await repo.tree(commit)).find((e) => !e.path.includes('/') && /^readme\.md$/i.test(e.path));
    return readme ? await repo.readBlob(readme.oid) : undefined;
  } finally {
    repo.close();
  }
}
