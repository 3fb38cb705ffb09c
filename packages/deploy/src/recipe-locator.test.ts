import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parseAppEnv } from './app-env.js';
import { locateRecipe } from './recipe-locator.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'galley-locator-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t.invalid' };
function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
}
function commit(dir: string, image: string, tag?: string): void {
  writeFileSync(path.join(dir, 'compose.yml'), `services:\n  app:\n    image: ${image}\n`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', image);
  if (tag) git(dir, 'tag', '-a', tag, '-m', `chore: publish ${tag} release`);
}

const app = parseAppEnv('TYPE=shop\nDOMAIN=shop.example\n', 'shop.env');

describe('locateRecipe', () => {
  const repo = path.join(root, 'shop');
  execFileSync('mkdir', ['-p', repo]);
  git(repo, 'init', '-q', '--initial-branch=main');
  commit(repo, 'nginx:1.25', '1.0.0+1.25');
  commit(repo, 'nginx:1.26', '1.1.0+1.26');

  it('deploys the release a clean HEAD is at, and a tag asked for without checking it out', async () => {
    const atTag = await locateRecipe(app, { recipeDir: repo });
    expect([atTag.version, atTag.chaos, atTag.label]).toEqual(['1.1.0+1.26', false, `${repo}#1.1.0+1.26`]);
    await atTag.dispose();
    const older = await locateRecipe(app, { recipeDir: repo, version: '1.0.0+1.25' });
    expect(older.version).toBe('1.0.0+1.25');
    expect(await older.recipe.source.read('compose.yml')).toContain('nginx:1.25');
    await older.dispose();
    const pinned = await locateRecipe(parseAppEnv('RECIPE=shop:1.0.0+1.25\nDOMAIN=shop.example\n', 'shop.env'), { recipeDir: repo });
    expect(pinned.version).toBe('1.0.0+1.25');
    await pinned.dispose();
  });

  it('deploys the newest release, not the work tree, when the folder is off a tag or dirty; --chaos deploys the work tree', async () => {
    const head = git(repo, 'rev-parse', '--short', 'HEAD').trim();
    writeFileSync(path.join(repo, 'compose.yml'), 'services:\n  app:\n    image: nginx:1.27\n');
    const dirty = await locateRecipe(app, { recipeDir: repo });
    expect([dirty.chaos, dirty.version, dirty.workTree]).toEqual([false, '1.1.0+1.26', undefined]);
    expect(await dirty.recipe.source.read('compose.yml')).toContain('nginx:1.26');
    expect(dirty.note).toMatch(/has uncommitted changes: deploying the release 1\.1\.0\+1\.26 from git, not the work tree/);
    await dirty.dispose();
    const chaosDirty = await locateRecipe(app, { recipeDir: repo, chaos: true });
    expect([chaosDirty.chaos, chaosDirty.chaosVersion, chaosDirty.workTree]).toEqual([true, `${head}+U`, repo]);
    await chaosDirty.dispose();
    commit(repo, 'nginx:1.27');
    const ahead = await locateRecipe(app, { recipeDir: repo });
    expect([ahead.chaos, ahead.version]).toEqual([false, '1.1.0+1.26']);
    expect(ahead.note).toMatch(/is at [0-9a-f]+, not at 1\.1\.0\+1\.26/);
    await ahead.dispose();
    const forced = await locateRecipe(app, { recipeDir: repo, chaos: true });
    expect([forced.chaos, forced.chaosVersion]).toEqual([true, git(repo, 'rev-parse', '--short', 'HEAD').trim()]);
    await forced.dispose();
  });

  it('names what is missing', async () => {
    await expect(locateRecipe(app, { recipeDir: repo, version: '9.9.9+1' })).rejects.toThrow(
      /recipe shop has no version 9\.9\.9\+1 .*its releases: 1\.0\.0\+1\.25, 1\.1\.0\+1\.26/,
    );
    await expect(locateRecipe(app, { abraDir: path.join(root, 'abra') })).rejects.toThrow(
      `recipe shop not found: ${path.join(root, 'abra', 'recipes', 'shop')} does not exist`,
    );
    await expect(locateRecipe(app, { recipeDir: repo, chaos: true, version: '1.0.0+1.25' })).rejects.toThrow(/give one of them/);
    await expect(locateRecipe(app, { repo: repo, chaos: true })).rejects.toThrow(/--chaos deploys a local work tree/);
    const plain = path.join(root, 'plain');
    mkdirSync(plain, { recursive: true });
    await expect(locateRecipe(app, { recipeDir: plain })).rejects.toMatchObject({ code: 'release-required' });
    const untagged = path.join(root, 'untagged');
    mkdirSync(untagged, { recursive: true });
    git(untagged, 'init', '-q');
    writeFileSync(path.join(untagged, 'compose.yml'), 'services:\n  app:\n    image: nginx:1\n');
    git(untagged, 'add', '.');
    git(untagged, '-c', 'user.email=t@example.org', '-c', 'user.name=t', 'commit', '-qm', 'first');
    await expect(locateRecipe(app, { recipeDir: untagged })).rejects.toThrow(/has no release tag: deploy its work tree with --chaos/);
  });
});
