import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes files (path → content) into a new temp folder and returns it. */
export function writeTree(files: Record<string, string>, prefix = 'galley-fixture-'): string {
  return writeFiles(mkdtempSync(path.join(os.tmpdir(), prefix)), files);
}

/** Writes files (path → content) into `dir` (made when missing) and returns it. */
export function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface FixtureTag {
  name: string;
  annotated: boolean;
  message?: string;
  date?: string;
}

export interface FixtureCommit {
  /** Files to write (relative path → content); `null` deletes the file. */
  files: Record<string, string | null>;
  message?: string;
  /** ISO date for author, committer and tagger; deterministic by default. */
  date?: string;
  tags?: FixtureTag[];
}

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Galley Tests',
  GIT_AUTHOR_EMAIL: 'tests@galley.invalid',
  GIT_COMMITTER_NAME: 'Galley Tests',
  GIT_COMMITTER_EMAIL: 'tests@galley.invalid',
};

/** Adds commits (and tags) to a work tree repository, creating it when needed. */
export function commitAll(dir: string, commits: FixtureCommit[]): void {
  const run = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', args, { cwd: dir, env: { ...process.env, ...IDENTITY, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    run(['rev-parse', '--git-dir']);
  } catch {
    run(['init', '--quiet', '--initial-branch=main']);
  }
  commits.forEach((commit, i) => {
    for (const [file, content] of Object.entries(commit.files)) {
      const full = path.join(dir, file);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    const date = commit.date ?? new Date(Date.UTC(2024, 0, 1 + i)).toISOString();
    const dates = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    run(['add', '--all']);
    run(['commit', '--quiet', '--allow-empty', '-m', commit.message ?? `commit ${i + 1}`], dates);
    for (const tag of commit.tags ?? []) {
      const tagDate = tag.date ?? date;
      if (tag.annotated) run(['tag', '-a', tag.name, '-m', tag.message ?? `chore: publish ${tag.name} release`], { GIT_COMMITTER_DATE: tagDate });
      else run(['tag', tag.name]);
    }
  });
}
