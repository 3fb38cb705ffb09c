import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { checkRepository, cloneBare, fetchMirror, GitRepository, maintainRepository, readRefs, removeAbandonedClones } from '@galley/platform/git';
import { latestRecipeVersion } from '@galley/recipe';
import pLimit from 'p-limit';
import { remoteRefs, sameRefs } from './remote-refs.js';

/** Remotes asked for their refs at once. */
const REMOTE_REFS_CONCURRENCY = 16;

/**
 * Bare mirrors of recipe repositories in the cache:
 * `<cache>/mirrors/<recipe>.git`, holding the remote's branches and tags
 * (pruned). A first run clones (into a temp folder renamed into place, so a
 * killed run leaves no half mirror); later runs fetch, which transfers only
 * what changed. Nothing is ever checked out: files are read from git
 * objects. Git runs through @galley/platform/git, which checks every call's
 * exit code and signal.
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

  /** Where the hub that reads many mirrors through one object reader lives (SharedObjects). */
  hubDir(): string {
    return path.join(this.cacheDir, MIRRORS_DIR, '.hub.git');
  }

  /** Removes temp folders of clones a killed run left behind. */
  async cleanTemp(): Promise<void> {
    await removeAbandonedClones(path.join(this.cacheDir, MIRRORS_DIR));
  }

  /** What prefetch() learnt: fetched (or failed), or already up to date with the remote. */
  private readonly prefetched = new Map<string, { url: string; error?: GalleyError; upToDate?: boolean }>();

  /**
   * Brings many existing mirrors up to date at once. First each remote's
   * refs are asked without git (remote-refs.ts): a mirror that has exactly
   * those is up to date and is not fetched. The others are fetched,
   * `concurrency` at a time. Mirrors whose URL changed and missing mirrors
   * go through `sync()` one by one afterwards.
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
    const askLimit = pLimit(REMOTE_REFS_CONCURRENCY);
    const unchanged = new Set<string>();
    await Promise.all(
      ready.map((item) =>
        askLimit(async () => {
          const [remote, local] = await Promise.all([remoteRefs(item.url, this.options.timeoutMs), readRefs(item.gitDir)]);
          if (remote && sameRefs(remote, local)) unchanged.add(item.name);
        }),
      ),
    );
    for (const item of ready) if (unchanged.has(item.name)) this.prefetched.set(item.name, { url: item.url, upToDate: true });
    const fetchLimit = pLimit(Math.max(1, concurrency));
    await Promise.all(
      ready
        .filter((r) => !unchanged.has(r.name))
        .map((r) =>
          fetchLimit(async () => {
            try {
              await fetchMirror(r.gitDir, r.url, { timeoutMs: this.options.timeoutMs });
              this.prefetched.set(r.name, { url: r.url });
            } catch (error) {
              if (!(error instanceof GalleyError)) throw error;
              this.prefetched.set(r.name, { url: r.url, error });
            }
          }),
        ),
    );
  }

  /**
   * Clones or fetches one repository (a fetch that failed in prefetch() is
   * tried once more here, on its own).
   */
  async sync(name: string, url: string): Promise<MirrorSync> {
    const gitDir = this.dir(name);
    const done = this.prefetched.get(name);
    this.prefetched.delete(name);
    if (done?.upToDate && done.url === url) return { gitDir, cloned: false };
    const fetched = done !== undefined && done.url === url && done.error === undefined;
    if (!fetched) {
      if (!(await exists(path.join(gitDir, 'HEAD')))) {
        await cloneBare(url, gitDir, { timeoutMs: this.options.timeoutMs });
        return { gitDir, cloned: true };
      }
      await fetchMirror(gitDir, url, { timeoutMs: this.options.timeoutMs });
    }
    const sync: MirrorSync = { gitDir, cloned: false };
    const hash = await fetchHeadHash(gitDir);
    if (hash) sync.fetchHead = hash;
    return sync;
  }

  /** Whether the mirror of `name` is there (it has a HEAD). */
  exists(name: string): Promise<boolean> {
    return exists(path.join(this.dir(name), 'HEAD'));
  }

  /** Why the mirror of `name` is broken (`git fsck --connectivity-only`), or undefined when it is whole. */
  check(name: string): Promise<string | undefined> {
    return checkRepository(this.dir(name), { timeoutMs: this.options.timeoutMs });
  }

  /** Removes the mirror of `name` (the next sync clones it afresh). */
  async remove(name: string): Promise<void> {
    this.prefetched.delete(name);
    await rm(this.dir(name), { recursive: true, force: true });
  }

  /** Packs and prunes a mirror when git thinks it is time (`git gc --auto`): after fetches that brought something. */
  async maintain(gitDir: string): Promise<void> {
    await maintainRepository(gitDir);
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
