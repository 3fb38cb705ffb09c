import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { GalleyError, latestRecipeVersion } from '@galley/recipe';
import { BatchedRepository, readRefs, refsFingerprint } from './git-objects.js';

/**
 * Bare mirrors of recipe repositories in the cache, kept with simple-git:
 * `<cache>/mirrors/<recipe>.git`, holding the remote's branches and tags
 * (`refs/heads/*`, `refs/tags/*`, pruned; the refspecs are given on each fetch). A first run clones (into a temp
 * folder renamed into place, so a killed run leaves no half mirror); later
 * runs fetch, which transfers only what changed. Nothing is ever checked out:
 * files are read from git objects.
 */

export const MIRRORS_DIR = 'mirrors';

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

function gitAt(baseDir: string, options: MirrorOptions): SimpleGit {
  // GIT_SSH_COMMAND is ours (BatchMode: never prompt), so simple-git's guard against it may be lifted.
  return simpleGit({ baseDir, timeout: { block: options.timeoutMs }, allowEnvironment: Object.keys(GIT_ENV), trimmed: false, unsafe: { allowUnsafeSshCommand: true } }).env({
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
async function removeStaleLocks(gitDir: string, message: string): Promise<boolean> {
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

  /** Clones or fetches one repository. `knownUrl`: the URL the mirror was made from, when known. */
  async sync(name: string, url: string, knownUrl?: string): Promise<MirrorSync> {
    const gitDir = this.dir(name);
    const exists = await stat(path.join(gitDir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await this.clone(name, url, gitDir);
      return { gitDir, cloned: true };
    }
    const git = gitAt(gitDir, this.options);
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

  private async clone(name: string, url: string, gitDir: string): Promise<void> {
    const root = path.dirname(gitDir);
    const tmp = path.join(root, `.tmp-${name}-${process.pid}-${Date.now()}`);
    const git = gitAt(this.cacheDir, this.options);
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
    return refsFingerprint(await readRefs(gitDir));
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
  const repo = new BatchedRepository(gitDir);
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
