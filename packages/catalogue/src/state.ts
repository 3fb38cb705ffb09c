import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { writeFileAtomic } from './atomic.js';
import type { RepoScan } from './scan.js';

/**
 * What the last run learnt about each repository, so the next one reads only
 * what changed: the URL the mirror fetches from, a hash of the last fetch's
 * answer and of the mirror's refs, and the scan result (versions, services,
 * README features, lint summary). Kept in `<cache>/catalogue-state.json`.
 */
export const STATE_FILE = 'catalogue-state.json';
export const STATE_VERSION = 1;

export interface RepoState {
  url: string;
  fetchHead?: string;
  refs: string;
  scan: RepoScan;
}

export interface ScanState {
  version: number;
  repos: Record<string, RepoState>;
}

export async function loadState(cacheDir: string): Promise<ScanState> {
  try {
    const data = JSON.parse(await readFile(path.join(cacheDir, STATE_FILE), 'utf8')) as ScanState;
    if (data.version === STATE_VERSION && data.repos && typeof data.repos === 'object') return data;
  } catch {
    // Missing or unreadable: start afresh (the mirrors still save the clones).
  }
  return { version: STATE_VERSION, repos: {} };
}

export async function saveState(cacheDir: string, state: ScanState): Promise<void> {
  const repos: Record<string, RepoState> = {};
  for (const name of Object.keys(state.repos).sort()) repos[name] = state.repos[name]!;
  const file = path.join(cacheDir, STATE_FILE);
  const text = JSON.stringify({ version: STATE_VERSION, repos });
  // A run that learnt nothing leaves the file alone (no write, no fsync).
  if ((await readFile(file, 'utf8').catch(() => undefined)) === text) return;
  await writeFileAtomic(file, text);
}

export const LOCK_FILE = 'catalogue.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the cache for this run (`<cache>/catalogue.lock` holding our pid):
 * two runs must not fetch into the same mirrors. A lock left by a process
 * that is gone (a killed run) is taken over.
 */
export async function lockCache(cacheDir: string): Promise<() => Promise<void>> {
  const file = path.join(cacheDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await unlink(file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new GalleyError('cache-unusable', `cannot use the cache folder ${cacheDir}: ${(error as Error).message}`);
      }
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new GalleyError('cache-busy', `another galley catalogue run (pid ${pid}) is using the cache ${cacheDir}: wait for it, or give another --cache`);
      }
      await unlink(file).catch(() => undefined);
    }
  }
  throw new GalleyError('cache-busy', `cannot take the lock ${file}: remove it if no galley run is using the cache`);
}
