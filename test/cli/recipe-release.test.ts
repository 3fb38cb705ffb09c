// `galley recipe diff` and `galley recipe release` through the built CLI, on
// "pad", a recipe with three releases served by a real `git daemon`; what a
// release made is checked by asking git.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runGalley } from '../support/cli.js';
import { type GitServer, makeTempDir, removeTempDir, run, startGitServer } from '../support/index.js';
import { PAD_RELEASES, padCommits } from '../support/release-recipe.js';

const [V1, V2, V3] = PAD_RELEASES;

describe('galley recipe diff and release on a recipe with three releases', () => {
  let server: GitServer;
  let work: string;
  let env: Record<string, string>;
  const git = async (dir: string, args: string[]) => (await run('git', args, { cwd: dir, env: { ...process.env, ...env } })).stdout;

  beforeAll(async () => {
    server = await startGitServer([{ name: 'pad', commits: padCommits() }]);
    work = await makeTempDir('release');
    env = {
      HOME: work,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Pad Packager',
      GIT_AUTHOR_EMAIL: 'packager@pad.invalid',
      GIT_COMMITTER_NAME: 'Pad Packager',
      GIT_COMMITTER_EMAIL: 'packager@pad.invalid',
    };
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (work) await removeTempDir(work);
  });

  const galley = (args: string[], cwd?: string) => runGalley(args, { env, timeoutMs: 120_000, ...(cwd ? { cwd } : {}) });

  it('diffs two release tags of a remote recipe: a minor image jump and a new optional setting', async () => {
    const result = await galley(['recipe', 'diff', server.url('pad'), V1, V2]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`pad: ${V1} → ${V2}
2 changes, none breaking; the release rules call for a minor bump

Images
  compose.yml:6:12  app: local/busybox 1.36.0 → 1.37.0 (minor)

Environment (.env.sample)
  .env.sample:7:1  PAD_THEME added, optional (commented out)

Release notes
  release/1.1.0+1.37.0
    busybox 1.37. Dark pages: set PAD_THEME=dark.
`);
  }, 180_000);

  it('finds what breaks: exit 1 with --fail-on breaking, each change at its file:line in JSON', async () => {
    const plain = await galley(['recipe', 'diff', server.url('pad'), V2, V3, '--json']);
    expect(plain.code).toBe(0);
    const diff = JSON.parse(plain.stdout);
    expect(diff).toMatchObject({ recipe: 'pad', from: { label: V2, release: V2 }, to: { label: V3, release: V3 }, breaking: true, level: 'major' });
    expect(
      diff.changes.map((c: { kind: string; subject: string; breaking: boolean; location: { file: string; line: number } }) => [
        c.kind,
        c.subject,
        c.breaking,
        `${c.location.file}:${c.location.line}`,
      ]),
    ).toEqual([
      ['env-added', 'PAD_ADMIN', true, '.env.sample:9'],
      ['env-added', 'SECRET_ADMIN_PASS_VERSION', true, '.env.sample:10'],
      ['secret-added', 'admin_pass', true, 'compose.yml:50'],
    ]);
    const failing = await galley(['recipe', 'diff', server.url('pad'), V2, V3, '--fail-on', 'breaking']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(
      'BREAKING\n  .env.sample:9:1  PAD_ADMIN added, required\n      → the app env must set it (.env.sample has PAD_ADMIN=admin@pad.example.com)',
    );
    expect(failing.stdout).toContain(
      'compose.yml:50:3  secret admin_pass added (SECRET_ADMIN_PASS_VERSION=v1)\n      → generate it: galley secret generate <app env> admin_pass',
    );
    const markdown = await galley(['recipe', 'diff', server.url('pad'), V1, V3, '--format', 'markdown']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(
      /^## pad: 1\.0\.0\+1\.36\.0 → 2\.0\.0\+1\.37\.0\n\n5 changes, 3 breaking; the release rules call for a major bump\.\n\n### Breaking\n/,
    );
    expect(markdown.stdout).toContain(
      '### Release notes\n\n`release/1.1.0+1.37.0`:\n\n> busybox 1.37. Dark pages: set PAD_THEME=dark.\n\n`release/2.0.0+1.37.0`:\n\n> An admin account',
    );
  }, 180_000);

  it('with an app env: what this app must add to upgrade', async () => {
    const appEnv = path.join(work, 'pad.example.org.env');
    await writeFile(appEnv, 'TYPE=pad\nDOMAIN=pad.example.org\nLETS_ENCRYPT_ENV=production\n');
    const result = await galley(['recipe', 'diff', server.url('pad'), V2, V3, '--env', appEnv, '--json']);
    expect(result.code).toBe(0);
    const diff = JSON.parse(result.stdout);
    expect(diff.appEnv).toBe(true);
    expect(
      diff.changes.filter((c: { missingInAppEnv?: boolean }) => c.missingInAppEnv).map((c: { line: string; action: string }) => [c.line, c.action]),
    ).toEqual([
      ['PAD_ADMIN=admin@pad.example.com', 'the app env lacks it: add the line PAD_ADMIN=admin@pad.example.com'],
      // The line as .env.sample writes it: the secret's modifiers come along.
      ['SECRET_ADMIN_PASS_VERSION=v1 # length=24', 'the app env lacks it: add the line SECRET_ADMIN_PASS_VERSION=v1 # length=24'],
    ]);
    const missing = await galley(['recipe', 'diff', server.url('pad'), V2, '--env', path.join(work, 'nope.env')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`galley: cannot read env file ${path.join(work, 'nope.env')}: it does not exist: check the path\n`);
  }, 180_000);

  it('says which version it cannot find, with exit 2', async () => {
    const result = await galley(['recipe', 'diff', server.url('pad'), '9.9.9+1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`galley: 9.9.9+1 is neither a folder nor a tag, branch or commit of ${server.url('pad')}: check the name with git tag --list\n`);
  }, 180_000);

  it('releases: a dry run shows everything and changes nothing; the release commits, tags (annotated) and pushes', async () => {
    const dir = path.join(work, 'pad');
    await git(work, ['clone', '--quiet', server.url('pad'), dir]);
    const compose = path.join(dir, 'compose.yml');
    await writeFile(compose, (await readFile(compose, 'utf8')).replace('local/busybox:1.37.0', 'local/busybox:1.37.1'));
    await git(dir, ['commit', '--quiet', '--all', '--message', 'busybox 1.37.1']);
    const head = (await git(dir, ['rev-parse', 'HEAD'])).trim();

    const dry = await galley(['recipe', 'release', '--dry-run'], dir);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`pad: ${V3} → work tree (${V3})\n1 change, none breaking; the release rules call for a patch bump\n`);
    expect(dry.stdout).toContain(`pad: would release 2.0.1+1.37.1 (patch: no breaking change, no minor image jump, no new optional setting)
previous release: ${V3}
compose.yml:39: version label ${V3} → 2.0.1+1.37.1
release/2.0.1+1.37.1 (drafted from the diff: edit it):
  pad 2.0.1+1.37.1

  Changes:
  - app: local/busybox 1.37.0 → 1.37.1 (patch)
lint: no errors
would commit "chore: publish 2.0.1+1.37.1 release" with compose.yml and release/2.0.1+1.37.1
would tag that commit: git tag -a 2.0.1+1.37.1 -m "chore: publish 2.0.1+1.37.1 release"
dry run: nothing was written
`);
    expect((await git(dir, ['rev-parse', 'HEAD'])).trim()).toBe(head);
    expect(await git(dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(await git(dir, ['tag', '--list', '2.0.1*'])).toBe('');

    const release = await galley(['recipe', 'release', dir]);
    expect(release.stderr).toBe('');
    expect(release.code).toBe(0);
    const tag = '2.0.1+1.37.1';
    expect(await git(dir, ['cat-file', '-t', tag])).toBe('tag\n');
    expect(await git(dir, ['for-each-ref', `refs/tags/${tag}`, '--format=%(contents)'])).toBe(`chore: publish ${tag} release\n\n`);
    expect(await git(dir, ['for-each-ref', `refs/tags/${tag}`, '--format=%(taggername) %(taggeremail)'])).toBe('Pad Packager <packager@pad.invalid>\n');
    const commit = (await git(dir, ['rev-parse', 'HEAD'])).trim();
    expect((await git(dir, ['rev-parse', `${tag}^{commit}`])).trim()).toBe(commit);
    expect((await git(dir, ['rev-parse', 'HEAD~1'])).trim()).toBe(head);
    expect(await git(dir, ['log', '-1', '--format=%s'])).toBe(`chore: publish ${tag} release\n`);
    expect((await git(dir, ['show', '--name-only', '--format=', 'HEAD'])).split('\n').filter(Boolean).sort()).toEqual(['compose.yml', `release/${tag}`]);
    expect(await git(dir, ['show', `HEAD:compose.yml`])).toContain(`- "coop-cloud.\${STACK_NAME}.version=${tag}"`);
    expect(await git(dir, ['show', `HEAD:release/${tag}`])).toBe(`pad ${tag}\n\nChanges:\n- app: local/busybox 1.37.0 → 1.37.1 (patch)\n`);
    expect(await git(dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(release.stdout).toContain(`not pushed: git push --atomic origin HEAD ${tag} (or run with --push)`);

    // The notes a packager wrote are kept; --minor forces the bump; --push publishes branch and tag to the git server.
    await writeFile(path.join(dir, 'release/2.1.0+1.37.1'), 'Written by hand.\n');
    await git(dir, ['remote', 'add', 'server', server.repoPath('pad')]);
    const pushed = await galley(['recipe', 'release', '--minor', '--push', '--remote', 'server'], dir);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain('release/2.1.0+1.37.1 (kept as written):\n  Written by hand.\n');
    expect(pushed.stdout).toContain('pushed main and 2.1.0+1.37.1 to server');
    const remote = await git(work, ['ls-remote', server.url('pad')]);
    const local = (await git(dir, ['rev-parse', 'HEAD', '2.1.0+1.37.1'])).trim().split('\n');
    expect(remote).toContain(`${local[0]}\trefs/heads/main`);
    expect(remote).toContain(`${local[1]}\trefs/tags/2.1.0+1.37.1`);
    expect(await git(work, ['--git-dir', server.repoPath('pad'), 'show', '2.1.0+1.37.1:release/2.1.0+1.37.1'])).toBe('Written by hand.\n');
  }, 180_000);

  it('refuses lint errors and uncommitted work, changing nothing', async () => {
    const dir = path.join(work, 'refused');
    await git(work, ['clone', '--quiet', server.url('pad'), dir]);
    const compose = path.join(dir, 'compose.yml');
    const text = await readFile(compose, 'utf8');
    await writeFile(compose, text.replace('    networks:\n      - proxy\n', '    networks:\n      - proxy\n      - backend\n'));
    const dirty = await galley(['recipe', 'release', dir]);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toBe(`galley: ${dir} has uncommitted changes (compose.yml): commit or stash them first; a release tags committed work\n`);

    await git(dir, ['commit', '--quiet', '--all', '--message', 'join a network nobody defined']);
    const head = (await git(dir, ['rev-parse', 'HEAD'])).trim();
    for (const args of [['--dry-run'], []]) {
      const refused = await galley(['recipe', 'release', dir, ...args]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /^galley: refused has 1 lint error: fix it before releasing \(galley lint .* shows details\):\n {2}compose\.yml:21:9 compose\/undefined-network: /,
      );
    }
    expect((await git(dir, ['rev-parse', 'HEAD'])).trim()).toBe(head);
    expect(await git(dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(await git(dir, ['tag', '--list', '2.0.1*'])).toBe('');
  }, 180_000);
});
