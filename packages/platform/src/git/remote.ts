import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ok } from '../exec/process.js';
import { type GitOptions, git, gitFailure, gitRun } from './command.js';

/**
 * Keeping bare copies of remote repositories: clone into a temp folder that
 * is renamed into place (a killed clone leaves no half repository), fetch
 * branches and tags (pruned), and check that a copy is whole. Every call
 * checks git's exit code and signal.
 */

/** What a mirror keeps: the remote's branches and tags, as they are there. */
export const MIRROR_REFSPECS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'] as const;

/**
 * Over git:// (git daemon) a protocol v2 fetch waits ~40 ms longer than a v0
 * one for the same answer, and v2's advantage (filtering refs by prefix) is
 * of no use to a mirror that wants every branch and tag. Other transports
 * keep git's default (v2 spares https mirrors GitHub's pull-request refs).
 */
export function transportConfig(url: string): string[] {
  return url.startsWith('git://') ? ['protocol.version=0'] : [];
}

export interface RemoteOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

function remoteOptions(url: string, options: RemoteOptions, extra: GitOptions): GitOptions {
  return {
    config: transportConfig(url),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    exitCode: 3,
    ...extra,
  };
}

/** Clones `url` as a bare repository at `gitDir` (replacing what is there only once the clone is complete). */
export async function cloneBare(url: string, gitDir: string, options: RemoteOptions = {}): Promise<void> {
  const tmp = path.join(path.dirname(gitDir), `.tmp-${path.basename(gitDir)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await git(['clone', '--bare', '--quiet', url, tmp], remoteOptions(url, options, { errorCode: 'git-clone-failed', what: `cloning ${url}` }));
    await rm(gitDir, { recursive: true, force: true });
    await rename(tmp, gitDir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Removes the temp folders of clones a killed run left in `dir`. */
export async function removeAbandonedClones(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith('.tmp-')).map((n) => rm(path.join(dir, n), { recursive: true, force: true })));
}

/** `*.lock` files a killed git leaves (refs, packed-refs, index, shallow, config): they fail every later fetch. */
export async function removeStaleGitLocks(gitDir: string): Promise<string[]> {
  const removed: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < 8 && entry.name !== 'objects') await visit(full, depth + 1);
      } else if (entry.name.endsWith('.lock')) {
        await unlink(full).catch(() => undefined);
        removed.push(path.relative(gitDir, full));
      }
    }
  };
  await visit(gitDir, 0);
  return removed;
}

/**
 * Fetches the remote's branches and tags into a bare mirror (pruned), after
 * pointing `origin` at `url` when it changed. Run only while holding the
 * mirror's cache lock: stale `*.lock` files are then a killed run's, and are
 * removed before the fetch.
 */
export async function fetchMirror(gitDir: string, url: string, options: RemoteOptions = {}): Promise<void> {
  await removeStaleGitLocks(gitDir);
  const current = await gitRun(['config', '--get', 'remote.origin.url'], { gitDir });
  if (!ok(current) || current.stdout.trim() !== url) {
    await git(['config', 'remote.origin.url', url], { gitDir, what: 'setting the mirror URL' });
  }
  await git(
    ['fetch', '--prune', '--quiet', 'origin', ...MIRROR_REFSPECS],
    // No auto maintenance per fetch (a process each, mostly for nothing): maintainRepository() tidies mirrors that changed.
    remoteOptions(url, options, {
      gitDir,
      errorCode: 'git-fetch-failed',
      what: `fetching ${url}`,
      config: [...transportConfig(url), 'maintenance.auto=false', 'gc.auto=0'],
    }),
  );
}

/** Packs and prunes a repository when git thinks it is time (`git gc --auto`); failures are ignored (it is tidying). */
export async function maintainRepository(gitDir: string): Promise<void> {
  await gitRun(['gc', '--auto', '--quiet'], { gitDir }).catch(() => undefined);
}

/**
 * Whether a repository is whole: its objects reachable from every ref are
 * present and readable (`git fsck --connectivity-only`). Resolves with the
 * problem when it is not.
 */
export async function checkRepository(gitDir: string, options: RemoteOptions = {}): Promise<string | undefined> {
  const head = await stat(path.join(gitDir, 'HEAD')).catch(() => undefined);
  if (!head?.isFile()) return 'not a git repository (no HEAD)';
  const result = await gitRun(['fsck', '--connectivity-only', '--no-dangling', '--no-progress'], {
    gitDir,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (ok(result)) return undefined;
  return gitFailure(['fsck'], result, { gitDir, what: 'checking the repository' }).message;
}
