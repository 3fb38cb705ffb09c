import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GIT_IDENTITY, type GitRepoSpec, type GitServer, makeTempDir, removeTempDir, run, startGitServer } from './index.js';

const TIMEOUT = 60_000;

const bonfire: GitRepoSpec = {
  name: 'bonfire',
  commits: [
    {
      message: 'init recipe',
      date: '2024-03-01T10:00:00Z',
      files: { 'compose.yml': 'services:\n  app:\n    image: bonfire:1.0\n', 'README.md': '# Bonfire\n' },
      tags: [{ name: '1.0.0+1.0', annotated: true, message: 'first release' }],
    },
    {
      message: 'bump app',
      date: '2024-04-01T10:00:00Z',
      files: { 'compose.yml': 'services:\n  app:\n    image: bonfire:1.1\n' },
      tags: [{ name: '1.1.0+1.1', annotated: false }],
    },
    { message: 'docs', files: { 'README.md': null, 'docs/index.md': 'hello\n' } },
  ],
};

function parseLsRemote(out: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of out.trim().split('\n')) {
    const [sha, ref] = line.split('\t');
    if (sha && ref) refs.set(ref, sha);
  }
  return refs;
}

describe('startGitServer (git daemon over git://)', () => {
  let server: GitServer;
  let work = '';
  let commits: string[] = [];

  beforeAll(async () => {
    server = await startGitServer([bonfire]);
    work = await makeTempDir('git-test');
    commits = await server.git('bonfire', ['rev-list', '--reverse', 'main']).then((s) => s.trim().split('\n'));
  }, TIMEOUT);

  afterAll(async () => {
    await server?.stop();
    if (work) await removeTempDir(work);
  }, TIMEOUT);

  it('serves on git://127.0.0.1:PORT/<name>.git', () => {
    expect(server.baseUrl).toBe(`git://127.0.0.1:${server.port}`);
    expect(server.url('bonfire')).toBe(`git://127.0.0.1:${server.port}/bonfire.git`);
    expect(server.repoPath('bonfire').endsWith('/bonfire.git')).toBe(true);
    expect(commits).toHaveLength(3);
  });

  it(
    'shows annotated tags with a peeled ^{} line and lightweight tags without',
    async () => {
      const { stdout } = await run('git', ['ls-remote', '--tags', server.url('bonfire')]);
      const refs = parseLsRemote(stdout);
      expect([...refs.keys()].sort()).toEqual(['refs/tags/1.0.0+1.0', 'refs/tags/1.0.0+1.0^{}', 'refs/tags/1.1.0+1.1']);
      expect(refs.get('refs/tags/1.0.0+1.0^{}')).toBe(commits[0]);
      expect(refs.get('refs/tags/1.0.0+1.0')).not.toBe(commits[0]);
      expect(refs.get('refs/tags/1.1.0+1.1')).toBe(commits[1]);

      expect((await server.git('bonfire', ['cat-file', '-t', 'refs/tags/1.0.0+1.0'])).trim()).toBe('tag');
      expect((await server.git('bonfire', ['cat-file', '-t', 'refs/tags/1.1.0+1.1'])).trim()).toBe('commit');
      const tagObject = await server.git('bonfire', ['cat-file', '-p', 'refs/tags/1.0.0+1.0']);
      expect(tagObject).toContain(`tagger ${GIT_IDENTITY.name} <${GIT_IDENTITY.email}> ${Date.parse('2024-03-01T10:00:00Z') / 1000} +0000`);
      expect(tagObject).toContain('first release');
    },
    TIMEOUT,
  );

  it(
    'clones with the fixture files, dates and identity',
    async () => {
      const clone = join(work, 'clone');
      await run('git', ['clone', '--quiet', server.url('bonfire'), clone]);
      expect(await readFile(join(clone, 'docs/index.md'), 'utf8')).toBe('hello\n');
      await expect(stat(join(clone, 'README.md'))).rejects.toThrow();
      const show = await run('git', ['-C', clone, 'show', '1.0.0+1.0:compose.yml']);
      expect(show.stdout).toContain('image: bonfire:1.0');
      const log = await run('git', ['-C', clone, 'log', '--format=%an|%ae|%aI|%cI|%s', 'main']);
      const who = `${GIT_IDENTITY.name}|${GIT_IDENTITY.email}`;
      expect(log.stdout.trim().split('\n')).toEqual([
        `${who}|2024-04-02T10:00:00+00:00|2024-04-02T10:00:00+00:00|docs`,
        `${who}|2024-04-01T10:00:00+00:00|2024-04-01T10:00:00+00:00|bump app`,
        `${who}|2024-03-01T10:00:00+00:00|2024-03-01T10:00:00+00:00|init recipe`,
      ]);
    },
    TIMEOUT,
  );

  it(
    'makes the same commit ids from the same fixture',
    async () => {
      const again = await server.addRepo({ ...bonfire, name: 'bonfire-again' });
      expect(again).toEqual(commits);
    },
    TIMEOUT,
  );

  it(
    'adds commits and tags after start, seen by an incremental fetch',
    async () => {
      const clone = join(work, 'incremental');
      await run('git', ['clone', '--quiet', '--bare', server.url('bonfire'), clone]);
      const sha = await server.addCommit('bonfire', {
        message: 'release 2',
        files: { 'compose.yml': 'services:\n  app:\n    image: bonfire:2.0\n' },
        tags: [
          { name: '2.0.0+2.0', annotated: true },
          { name: 'latest-lightweight', annotated: false },
        ],
      });
      await server.addTag('bonfire', { name: '0.9.0+0.9', annotated: true, message: 'late tag' }, commits[0]);
      const fetch = await run('git', ['-C', clone, 'fetch', '--tags', 'origin', '+refs/heads/*:refs/heads/*']);
      expect(fetch.code).toBe(0);
      expect((await run('git', ['-C', clone, 'rev-parse', 'main'])).stdout.trim()).toBe(sha);
      expect((await run('git', ['-C', clone, 'cat-file', '-t', '2.0.0+2.0'])).stdout.trim()).toBe('tag');
      expect((await run('git', ['-C', clone, 'cat-file', '-t', 'latest-lightweight'])).stdout.trim()).toBe('commit');
      expect((await run('git', ['-C', clone, 'rev-parse', '0.9.0+0.9^{commit}'])).stdout.trim()).toBe(commits[0]);

      await server.deleteTag('bonfire', 'latest-lightweight');
      const refs = parseLsRemote((await run('git', ['ls-remote', '--tags', server.url('bonfire')])).stdout);
      expect(refs.has('refs/tags/latest-lightweight')).toBe(false);
      expect(refs.has('refs/tags/2.0.0+2.0^{}')).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'creates a repository from a folder, keeping executable bits',
    async () => {
      const folder = join(work, 'recipe-src');
      await mkdir(join(folder, 'scripts'), { recursive: true });
      await writeFile(join(folder, 'compose.yml'), 'services: {}\n');
      await writeFile(join(folder, 'scripts/entry.sh'), '#!/bin/sh\necho hi\n');
      await chmod(join(folder, 'scripts/entry.sh'), 0o755);
      await server.addRepo({
        name: 'coop-cloud/from-dir',
        fromDir: folder,
        commits: [{ message: 'tag it', files: { VERSION: '1\n' }, tags: [{ name: '0.1.0+1', annotated: true }] }],
      });
      const clone = join(work, 'from-dir');
      await run('git', ['clone', '--quiet', server.url('coop-cloud/from-dir'), clone]);
      expect(await readFile(join(clone, 'compose.yml'), 'utf8')).toBe('services: {}\n');
      expect((await stat(join(clone, 'scripts/entry.sh'))).mode & 0o111).not.toBe(0);
      const tree = await run('git', ['-C', clone, 'ls-tree', '-r', '--name-only', '0.1.0+1']);
      expect(tree.stdout.trim().split('\n')).toEqual(['VERSION', 'compose.yml', 'scripts/entry.sh']);
    },
    TIMEOUT,
  );
});
