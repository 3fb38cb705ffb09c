import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { acquireFileLock, writeFileAtomic } from '@galley/platform/fs';
import type { RepoScan } from './scan.js';

/**
 * What the last run learnt about each repository, so the next one reads only
 * what changed: the URL the mirror fetches from, a hash of the last fetch's
 * answer and of the mirror's refs, and the scan result (versions, services,
 * README features, lint summary). Kept in `<cache>/catalogue-state.json`.
 */
export const STATE_FILE = 'catalogue-state.json';
/** 2: scans record invalid releases. */
export const STATE_VERSION = 2;

export interface RepoState {
  url: string;
  /** The forge's last push time when the mirror was last brought up to date (see RepoDescriptor.pushedAt). */
  pushedAt?: string;
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
  await writeFileAtomic(file, text, { createFolder: true });
}

export const LOCK_FILE = 'catalogue.lock';

/**
 * Takes the cache for this run (`<cache>/catalogue.lock`): two runs must not
 * fetch into the same mirrors. A lock is refreshed while the run lives and
 * counts as abandoned once it has not been for 20 s (a killed run): no pid is
 * trusted, so a live process that happens to reuse a dead run's pid blocks
 * nothing. A run that finds a live lock waits up to `waitMs` for it.
 */
export async function lockCache(cacheDir: string, waitMs = 0): Promise<() => Promise<void>> {
  const lock = await acquireFileLock(path.join(cacheDir, LOCK_FILE), {
    command: 'galley catalogue generate',
    waitMs,
    busyCode: 'cache-busy',
    busyAdvice: `wait for it, or give another --cache`,
  });
  return () => lock.release();
}
