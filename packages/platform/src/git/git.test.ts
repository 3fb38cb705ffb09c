import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gitRun } from './command.js';
import { checkRepository, cloneBare, fetchMirror, GitRepository, git, readRefs, removeAbandonedClones, SharedObjects } from './index.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'galley-platform-git-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' };
const sh = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' });

let work: string;
beforeAll(() => {
  work = path.join(root, 'work');
  mkdirSync(work);
  sh(work, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(work, 'compose.yml'), 'services: {}\n');
  sh(work, 'add', '.');
  sh(work, 'commit', '-q', '-m', 'one');
  sh(work, 'tag', '-a', '1.0.0+1', '-m', 'chore: publish 1.0.0+1 release');
});

describe('git', () => {
  it('returns stdout of a successful call', async () => {
    expect((await git(['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: work })).trim()).toBe('main');
  });

  it("fails with git's reason and the repository on a non-zero exit", async () => {
    await expect(git(['rev-parse', '--verify', 'nosuchref'], { cwd: work })).rejects.toMatchObject({
      code: 'git-failed',
      message: expect.stringMatching(new RegExp(`^git rev-parse failed in ${work}: .*\\(exit code 128\\)$`)),
    });
  });

  it('fails when git is killed by a signal, though it printed nothing', async () => {
    // An alias that kills its git parent: exit by SIGKILL, empty stderr.
    const result = await gitRun(['-c', 'alias.boom=!kill -KILL $PPID', 'boom'], { cwd: work });
    expect(result.signal).toBe('SIGKILL');
    expect(result.stderr).toBe('');
    await expect(git(['-c', 'alias.boom=!kill -KILL $PPID', 'boom'], { cwd: work, what: 'fetching x' })).rejects.toThrow(
      /^fetching x failed in .+: killed by SIGKILL \(the operation did not complete; run again\)$/,
    );
  });
});

describe('mirrors', () => {
  it('clone into place, fetch new tags, and report a whole repository', async () => {
    const mirror = path.join(root, 'mirrors', 'work.git');
    mkdirSync(path.dirname(mirror), { recursive: true });
    await cloneBare(work, mirror);
    expect([...(await readRefs(mirror)).keys()].sort()).toEqual(['refs/heads/main', 'refs/tags/1.0.0+1']);
    sh(work, 'tag', '-a', '1.0.1+1', '-m', 'chore: publish 1.0.1+1 release');
    // A lock file left by a killed fetch must not fail the next one.
    writeFileSync(path.join(mirror, 'packed-refs.lock'), '');
    await fetchMirror(mirror, work);
    expect((await readRefs(mirror)).has('refs/tags/1.0.1+1')).toBe(true);
    expect(existsSync(path.join(mirror, 'packed-refs.lock'))).toBe(false);
    expect(await checkRepository(mirror)).toBeUndefined();
  });

  it('a failed clone leaves nothing behind', async () => {
    const dir = path.join(root, 'failed');
    mkdirSync(dir);
    await expect(cloneBare(path.join(root, 'does-not-exist'), path.join(dir, 'x.git'))).rejects.toMatchObject({ code: 'git-clone-failed', exitCode: 3 });
    expect(readdirSync(dir)).toEqual([]);
    mkdirSync(path.join(dir, '.tmp-y.git-1-abcd'));
    await removeAbandonedClones(dir);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('finds a corrupt repository', async () => {
    const mirror = path.join(root, 'corrupt.git');
    await cloneBare(work, mirror);
    sh(mirror, 'repack', '-a', '-d', '-q');
    const packs = readdirSync(path.join(mirror, 'objects', 'pack')).filter((f) => f.endsWith('.pack'));
    for (const p of packs) rmSync(path.join(mirror, 'objects', 'pack', p));
    expect(await checkRepository(mirror)).toMatch(/^checking the repository failed in .+corrupt\.git/);
  });
});

describe('GitRepository', () => {
  it('reads tags and files without a checkout', async () => {
    const repo = new GitRepository(path.join(work, '.git'));
    try {
      const [tag] = await repo.tags();
      expect(tag).toMatchObject({ name: '1.0.0+1', annotated: true, message: 'chore: publish 1.0.0+1 release' });
      const files = await repo.tree(tag!.commit);
      expect(files.map((f) => f.path)).toEqual(['compose.yml']);
      expect(await repo.readBlob(files[0]!.oid)).toBe('services: {}\n');
    } finally {
      repo.close();
    }
  });

  it('a read after the object reader was killed fails at once instead of hanging', async () => {
    const repo = new GitRepository(path.join(work, '.git'));
    try {
      const [tag] = await repo.tags();
      const pid = repo.readerPid();
      expect(pid).toBeDefined();
      process.kill(pid!, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const files = repo.tree(tag!.commit);
      await expect(files).rejects.toThrow(/git cat-file was killed by SIGKILL while reading/);
    } finally {
      repo.close();
    }
  });
});

describe('SharedObjects', () => {
  it('reads the objects of several repositories through one reader', async () => {
    const other = path.join(root, 'other');
    mkdirSync(other);
    sh(other, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(other, 'compose.yml'), 'services: { app: { image: nginx } }\n');
    sh(other, 'add', '.');
    sh(other, 'commit', '-q', '-m', 'other');
    sh(other, 'tag', '2.0.0+1');
    const shared = await SharedObjects.open(path.join(root, 'hub.git'), [path.join(work, '.git'), path.join(other, '.git')]);
    const a = new GitRepository(path.join(work, '.git'), shared);
    const b = new GitRepository(path.join(other, '.git'), shared);
    try {
      const [tagA] = await a.tags();
      const [tagB] = await b.tags();
      const [filesA, filesB] = await Promise.all([a.tree(tagA!.commit), b.tree(tagB!.commit)]);
      expect(await a.readBlob(filesA[0]!.oid)).toBe('services: {}\n');
      expect(await b.readBlob(filesB[0]!.oid)).toBe('services: { app: { image: nginx } }\n');
      // One process read both.
      expect(a.readerPid()).toBeDefined();
      expect(a.readerPid()).toBe(b.readerPid());
      // Closing a repository leaves the shared reader to its owner.
      a.close();
      expect(await b.readBlob(filesB[0]!.oid)).toContain('nginx');
    } finally {
      shared.close();
    }
  });
});
