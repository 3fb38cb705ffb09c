// One deploy per app at a time: two concurrent deploys of one app → one
// refuses, naming the holder; a lock held in the swarm by another machine
// refuses too, and an expired one is taken over.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { removeTree, writeTree } from '../support/recipe-fixtures.js';
import { swarm, type Swarm } from '../support/index.js';
import { cleanUpApp, expectExit, GalleyRunner, lines, recipeFiles, removeDir, tempDir, uniqueDomain, writeAppEnv } from './fixtures.js';

jest.setTimeout(300_000);

describe('the deploy lock', () => {
  let sw: Swarm;
  const home = tempDir('deploy-lock');
  const galley = new GalleyRunner(home);
  const { domain, stack } = uniqueDomain('lock');
  let recipe: string;
  let env: string;

  beforeAll(async () => {
    sw = await swarm();
    recipe = writeTree(recipeFiles('gdtlock', { version: '1.0.0+1' }), 'galley-deploy-lock-recipe-');
    env = writeAppEnv(home, 'lock', ['TYPE=gdtlock', `DOMAIN=${domain}`]);
  });

  afterAll(async () => {
    await cleanUpApp(sw, stack);
    removeTree(recipe);
    removeDir(home);
  });

  it('lets one of two concurrent deploys of an app run and refuses the other, naming the holder', async () => {
    const [a, b] = await Promise.all([galley.run(['deploy', env, '--recipe', recipe]), galley.run(['deploy', env, '--recipe', recipe])]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 2]);
    const refused = a.code === 2 ? a : b;
    expect(refused.stderr).toMatch(new RegExp(`galley: ${stack} is locked by another galley deploy by [^@]+@[^ ]+ \\(pid \\d+\\), running since \\d{4}-\\d\\d-\\d\\dT`));
    expect(refused.stderr).toContain(`lock file ${home}/locks/${stack}.lock`);
    // The lock is gone once the deploy is over.
    expect(await lines(sw, ['config', 'ls', '--format', '{{.Name}}'])).not.toContain(`galley-lock.${stack}`);
  });

  it('refuses while another machine holds the swarm lock, and takes over an expired one', async () => {
    const holder = (expires: number) =>
      JSON.stringify({ id: 'other', pid: 4242, host: 'ops-laptop.example', user: 'alice', started: new Date().toISOString(), expires: new Date(Date.now() + expires).toISOString(), command: 'deploy' });
    await sw.docker(['config', 'create', `galley-lock.${stack}`, '-'], { input: holder(3600_000) });
    const refused = await galley.run(['deploy', env, '--recipe', recipe, '--force']);
    expectExit(refused, 2);
    expect(refused.stderr).toContain(`galley: ${stack} is locked in the swarm by another galley deploy by alice@ops-laptop.example (pid 4242)`);
    expect(refused.stderr).toContain(`docker config rm galley-lock.${stack}`);
    await sw.docker(['config', 'rm', `galley-lock.${stack}`]);

    await sw.docker(['config', 'create', `galley-lock.${stack}`, '-'], { input: holder(-60_000) });
    const taken = await galley.run(['deploy', env, '--recipe', recipe, '--force']);
    expectExit(taken, 0);
    expect(taken.stderr).toContain(`taking over the swarm lock galley-lock.${stack}: it expired at`);
    expect(await lines(sw, ['config', 'ls', '--format', '{{.Name}}'])).not.toContain(`galley-lock.${stack}`);
  });
});
