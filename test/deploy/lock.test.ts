// One deploy per app at a time: two concurrent deploys of one app → one
// refuses, naming the holder; a lock held in the swarm by another machine
// refuses too, and an expired one is taken over.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { GALLEY_BIN } from '../support/cli.js';
import { type Swarm, swarm } from '../support/index.js';
import { removeTree, writeTree } from '../support/recipe-fixtures.js';
import { cleanUpApp, expectExit, GalleyRunner, HTTPD, lines, recipeFiles, removeDir, tempDir, uniqueDomain, writeAppEnv } from './fixtures.js';

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

  const slow = uniqueDomain('intr');
  afterAll(async () => {
    await cleanUpApp(sw, slow.stack);
    await cleanUpApp(sw, stack);
    removeTree(recipe);
    removeDir(home);
  });

  it('lets one of two concurrent deploys of an app run and refuses the other, naming the holder', async () => {
    const [a, b] = await Promise.all([galley.run(['deploy', env, '--recipe', recipe, '--chaos']), galley.run(['deploy', env, '--recipe', recipe, '--chaos'])]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 2]);
    const refused = a.code === 2 ? a : b;
    expect(refused.stderr).toMatch(new RegExp(`galley: ${stack} is locked by another galley deploy by [^@]+@[^ ]+ \\(pid \\d+, since \\d{4}-\\d\\d-\\d\\dT`));
    expect(refused.stderr).toContain(`lock file ${home}/locks/${stack}.lock`);
    // The lock is gone once the deploy is over.
    expect(await lines(sw, ['config', 'ls', '--format', '{{.Name}}'])).not.toContain(`galley-lock.${stack}`);
  });

  it('refuses while another machine holds the swarm lock, and takes over an expired one', async () => {
    const holder = (expires: number) =>
      JSON.stringify({
        id: 'other',
        pid: 4242,
        host: 'ops-laptop.example',
        user: 'alice',
        started: new Date().toISOString(),
        expires: new Date(Date.now() + expires).toISOString(),
        command: 'deploy',
      });
    await sw.docker(['config', 'create', `galley-lock.${stack}`, '-'], { input: holder(3600_000) });
    const refused = await galley.run(['deploy', env, '--recipe', recipe, '--chaos', '--force']);
    expectExit(refused, 2);
    expect(refused.stderr).toContain(`galley: ${stack} is locked in the swarm by another galley deploy by alice@ops-laptop.example (pid 4242)`);
    expect(refused.stderr).toContain(`docker config rm galley-lock.${stack}`);
    await sw.docker(['config', 'rm', `galley-lock.${stack}`]);

    await sw.docker(['config', 'create', `galley-lock.${stack}`, '-'], { input: holder(-60_000) });
    const taken = await galley.run(['deploy', env, '--recipe', recipe, '--chaos', '--force']);
    expectExit(taken, 0);
    expect(taken.stderr).toContain(`taking over the swarm lock galley-lock.${stack}: its lease expired at`);
    expect(await lines(sw, ['config', 'ls', '--format', '{{.Name}}'])).not.toContain(`galley-lock.${stack}`);
  });

  it('releases its locks and says so when interrupted while waiting', async () => {
    const recipeDir = writeTree(
      recipeFiles('gdtlock', { version: '1.0.0+1', command: `sleep 60; ${HTTPD}`, healthcheck: { startPeriod: '120s' } }),
      'galley-deploy-lock-slow-',
    );
    const envFile = writeAppEnv(home, 'intr', ['TYPE=gdtlock', `DOMAIN=${slow.domain}`]);
    try {
      const child = spawn(process.execPath, [GALLEY_BIN, 'deploy', envFile, '--recipe', recipeDir, '--chaos'], {
        env: { ...process.env, NO_COLOR: '1', GALLEY_LOCK_DIR: path.join(home, 'locks') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const waiting = new Promise<void>((resolve) =>
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (/^ {2}app: /m.test(stderr)) resolve();
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await waiting;
      child.kill('SIGINT');
      const code = await exited;
      expect({ code, stdout, stderr }).toMatchObject({ code: 130 });
      expect(stdout).toMatch(
        new RegExp(
          `^interrupted after \\d+\\.\\d s: the swarm on server default \\(.*\\) goes on with ${slow.stack} by itself; galley ps shows its state$`,
          'm',
        ),
      );
      expect(stderr).toContain('galley: SIGINT: stopping');
      // The lock (proper-lockfile's folder beside the lock path) and its holder file are gone.
      expect(readdirSync(path.join(home, 'locks')).filter((f) => f.startsWith(slow.stack))).toEqual([]);
      expect(await lines(sw, ['config', 'ls', '--format', '{{.Name}}'])).not.toContain(`galley-lock.${slow.stack}`);
      // The swarm goes on: the services are there.
      expect(await lines(sw, ['service', 'ls', '--format', '{{.Name}}', '--filter', `label=com.docker.stack.namespace=${slow.stack}`])).toEqual([
        `${slow.stack}_app`,
        `${slow.stack}_db`,
      ]);
    } finally {
      removeTree(recipeDir);
    }
  });
});
