// `galley recipe new` through the built CLI: the scaffold lints clean in the
// coop-cloud preset (linted by the built CLI), docker's own loader accepts
// its compose file, and it can be released as it is.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runGalley } from '../support/cli.js';
import { makeTempDir, removeTempDir, run } from '../support/index.js';

describe('galley recipe new', () => {
  let work: string;
  const env = () => ({
    HOME: work,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'New Packager',
    GIT_AUTHOR_EMAIL: 'new@galley.invalid',
    GIT_COMMITTER_NAME: 'New Packager',
    GIT_COMMITTER_EMAIL: 'new@galley.invalid',
  });
  const galley = (args: string[]) => runGalley(args, { cwd: work, env: env(), timeoutMs: 120_000 });

  beforeAll(async () => {
    work = await makeTempDir('new');
  });
  afterAll(async () => {
    if (work) await removeTempDir(work);
  });

  it('scaffolds a recipe that lints clean in the coop-cloud preset, each part commented as to what to replace', async () => {
    const created = await galley(['recipe', 'new', 'tea-party']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(
      'created tea-party/ (.env.sample, README.md, abra.sh, compose.yml), a git repository\nnext: replace each REPLACE comment, then\n  galley lint tea-party\n  galley recipe release tea-party --dry-run\n',
    );
    const dir = path.join(work, 'tea-party');
    expect(existsSync(path.join(dir, '.git'))).toBe(true);
    for (const file of ['compose.yml', '.env.sample', 'abra.sh', 'README.md']) expect(await readFile(path.join(dir, file), 'utf8')).toContain('REPLACE');
    const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('<!-- metadata -->\n* **Category**: Apps\n');
    expect(await readFile(path.join(dir, 'compose.yml'), 'utf8')).toContain('    healthcheck:\n      test: ["CMD", "curl", "-fsS", "http://localhost/"]');

    const lint = await galley(['lint', '--preset', 'coop-cloud', '--fail-on', 'info', 'tea-party']);
    expect(lint.stdout).toBe('✔ 0 problems (0 errors, 0 warnings, 0 infos) in 1 target\n');
    expect(lint.code).toBe(0);
    const defaults = await galley(['lint', '--format', 'json', 'tea-party']);
    expect(JSON.parse(defaults.stdout).targets[0].findings).toEqual([]);

    // What docker stack deploy would load, by docker's own loader.
    const config = await run('docker', ['stack', 'config', '-c', 'compose.yml'], {
      cwd: dir,
      env: { ...process.env, STACK_NAME: 'tea_example_org', DOMAIN: 'tea.example.org', LETS_ENCRYPT_ENV: 'staging', EXTRA_DOMAINS: '' },
    });
    expect(config.stdout).toContain('image: nginx:1.27.3');
    expect(config.stdout).toContain('traefik.http.routers.tea_example_org.rule: Host(`tea.example.org`)');
  }, 180_000);

  it('releases the scaffold as it is: 0.1.0+<image tag>', async () => {
    const dir = path.join(work, 'tea-party');
    await run('git', ['add', '--all'], { cwd: dir, env: { ...process.env, ...env() } });
    await run('git', ['commit', '--quiet', '--message', 'tea-party: a new recipe'], { cwd: dir, env: { ...process.env, ...env() } });
    const release = await galley(['recipe', 'release', 'tea-party']);
    expect(release.stderr).toBe('');
    expect(release.code).toBe(0);
    expect(release.stdout).toContain(
      'tea-party: released 0.1.0+1.27.3 (minor: the first release)\nno release before\ncompose.yml:32: version label 0.0.0 → 0.1.0+1.27.3\n',
    );
    expect((await run('git', ['cat-file', '-t', '0.1.0+1.27.3'], { cwd: dir })).stdout).toBe('tag\n');
  }, 180_000);

  it('takes the image to package, and refuses a taken folder and a bad name', async () => {
    const wiki = await galley(['recipe', 'new', 'wiki', '--dir', 'src', '--image', 'ghcr.io/example/wiki:2.4.1', '--no-git']);
    expect(wiki.code).toBe(0);
    const dir = path.join(work, 'src', 'wiki');
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
    expect(await readFile(path.join(dir, 'compose.yml'), 'utf8')).toContain('    image: ghcr.io/example/wiki:2.4.1\n');
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toContain('* **Image**: [`ghcr.io/example/wiki`](https://ghcr.io/example/wiki), 4, upstream');
    const lint = await galley(['lint', '--fail-on', 'info', 'src/wiki']);
    expect(lint.code).toBe(0);

    const taken = await galley(['recipe', 'new', 'wiki', '--dir', 'src']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe(`galley: ${dir} exists and is not empty: choose another name or --dir\n`);
    const bad = await galley(['recipe', 'new', 'My_App']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('galley: "My_App" is no recipe name: use lowercase letters, digits and dashes (e.g. my-app), at most 63 characters\n');
    const untagged = await galley(['recipe', 'new', 'plain', '--image', 'nginx']);
    expect(untagged.code).toBe(2);
    expect(untagged.stderr).toBe('galley: --image nginx has no tag: give the version to package, e.g. nginx:1.2.3\n');
    expect(existsSync(path.join(work, 'plain'))).toBe(false);
  }, 180_000);
});
