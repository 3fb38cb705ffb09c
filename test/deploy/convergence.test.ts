// Convergence against the real swarm: a slow app inside its healthcheck
// start_period is waited for (not failed at the recipe's short timeout);
// a swarm-side rollback (update_config.failure_action: rollback) is a
// failure, not a success; a config edited without a version bump is caught
// before anything changes; a failing first deploy has nothing to roll back.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Swarm, swarm } from '../support/index.js';
import { removeTree, writeTree } from '../support/recipe-fixtures.js';
import {
  cleanUpApp,
  expectExit,
  type FixtureOptions,
  GalleyRunner,
  HTTPD,
  recipeFiles,
  removeDir,
  serviceLabels,
  tempDir,
  uniqueDomain,
  writeAppEnv,
} from './fixtures.js';

jest.setTimeout(300_000);

describe('convergence', () => {
  let sw: Swarm;
  const home = tempDir('deploy-conv');
  const galley = new GalleyRunner(home);
  const stacks: string[] = [];
  const recipes: string[] = [];

  /** A chaos-mode recipe folder and an app env file for it. */
  function app(prefix: string, options: FixtureOptions): { recipe: string; env: string; stack: string } {
    const { domain, stack } = uniqueDomain(prefix);
    stacks.push(stack);
    const recipe = writeTree(recipeFiles('gdtconv', options), 'galley-deploy-conv-recipe-');
    recipes.push(recipe);
    return { recipe, stack, env: writeAppEnv(home, prefix, ['TYPE=gdtconv', `DOMAIN=${domain}`]) };
  }

  beforeAll(async () => {
    sw = await swarm();
  });

  afterAll(async () => {
    await Promise.all(stacks.map((stack) => cleanUpApp(sw, stack)));
    recipes.forEach(removeTree);
    removeDir(home);
  });

  it('waits for a slow app inside its healthcheck start_period instead of failing at the timeout label', async () => {
    // Healthy only after ~6 s; the recipe's timeout label says 2 s; start_period 60 s.
    const slow = app('slow', {
      version: '1.0.0+1',
      command: `sleep 6; ${HTTPD}`,
      healthcheck: { startPeriod: '60s', retries: 2 },
      timeout: 2,
    });
    const result = await galley.run(['deploy', slow.env, '--recipe', slow.recipe, '--chaos', '--json']);
    expectExit(result, 0);
    const report = JSON.parse(result.stdout) as { outcome: string; elapsedMs: number; services: { name: string; phase: string }[] };
    expect(report.outcome).toBe('converged');
    expect(report.services.map((s) => [s.name, s.phase])).toEqual([
      ['app', 'converged'],
      ['db', 'converged'],
    ]);
    // It really waited for the app (healthy after its 6 s sleep), far past the 2 s label.
    expect(report.elapsedMs).toBeGreaterThan(6000);
    const tasks = await sw.serviceTasks(`${slow.stack}_app`);
    expect(tasks.filter((t) => /^(Failed|Rejected)/.test(t.currentState))).toEqual([]);
  });

  it('reports a swarm-side rollback (failure_action: rollback) as a failure', async () => {
    const a = app('swrb', { version: '1.0.0+1' });
    expectExit(await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos']), 0);
    writeFileSync(
      path.join(a.recipe, 'compose.yml'),
      recipeFiles('gdtconv', { version: '2.0.0+1', command: 'echo "broken release"; exit 7', failureAction: 'rollback' })['compose.yml']!,
    );
    const result = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--force']);
    expectExit(result, 1);
    expect(result.stdout).toMatch(/FAILED after/);
    expect(result.stdout).toMatch(/^ {2}app: swarm (is rolling|rolled) the update back: /m);
    expect(result.stdout).toContain('last task error: task: non-zero exit (7)');
    expect(result.stdout).toMatch(/^rolled back to 1\.0\.0\+1 \(chaos [^)]*\) \(swarm had rolled back app\)$/m);
    expect((await serviceLabels(sw, `${a.stack}_app`))[`coop-cloud.${a.stack}.version`]).toBe('1.0.0+1');
    expect(result.stderr).toMatch(/^ {2}app: FAILED 0\/1 \(rolled back\)/m);
    // With --no-rollback galley does not roll back, and says the swarm did.
    const kept = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--force', '--no-rollback']);
    expectExit(kept, 1);
    expect(kept.stdout).toContain(
      `not rolled back by galley (--no-rollback), but the swarm itself rolled app back (failure_action: rollback); the rest of ${a.stack} is left as the failed deploy made it`,
    );
  });

  it("shows a failing healthcheck's own output and the failed tasks' logs with their task ids", async () => {
    const files = recipeFiles('gdtconv', { version: '1.0.0+1', command: `echo "app log line"; ${HTTPD}`, healthcheck: { retries: 1 } });
    files['compose.yml'] = files['compose.yml']!.replace(
      'test: ["CMD", "sh", "-c", "timeout 2 wget -q -O- http://127.0.0.1:8080/ >/dev/null"]',
      'test: ["CMD", "sh", "-c", "echo health says no; exit 1"]',
    );
    const { domain, stack } = uniqueDomain('health');
    stacks.push(stack);
    const recipe = writeTree(files, 'galley-deploy-conv-recipe-');
    recipes.push(recipe);
    const env = writeAppEnv(home, 'health', ['TYPE=gdtconv', `DOMAIN=${domain}`]);
    const result = await galley.run(['deploy', env, '--recipe', recipe, '--chaos']);
    expectExit(result, 1);
    expect(result.stdout).toContain('    last healthcheck results:');
    expect(result.stdout).toMatch(/^ {6}exit 1: health says no$/m);
    expect(result.stdout).toMatch(/^ {6}app\.1\.[0-9a-z]{12} \| app log line$/m);
  });

  it('catches a config edited without a version bump before deploying, naming the config', async () => {
    const a = app('cfg', { version: '1.0.0+1', greeting: 'hello v1\n' });
    expectExit(await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos']), 0);
    const before = await sw.docker(['service', 'inspect', '--format', '{{.Version.Index}}', `${a.stack}_app`]);
    writeFileSync(path.join(a.recipe, 'greeting.txt'), 'hello, edited\n');
    writeFileSync(path.join(a.recipe, 'compose.yml'), recipeFiles('gdtconv', { version: '1.0.1+1' })['compose.yml']!);
    const result = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--force']);
    expectExit(result, 2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^galley: compose\\.yml:\\d+:\\d+: config greeting changed without a version bump: greeting\\.txt differs from the config ${a.stack}_greeting_v1 already in the swarm.*bump GREETING_VERSION \\(now v1`,
        'm',
      ),
    );
    expect(await sw.docker(['service', 'inspect', '--format', '{{.Version.Index}}', `${a.stack}_app`])).toBe(before);
    // Bumping the version is the fix.
    writeFileSync(path.join(a.recipe, 'abra.sh'), 'export GREETING_VERSION=v2\n');
    const bumped = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--force']);
    expectExit(bumped, 0);
    expect((await serviceLabels(sw, `${a.stack}_app`))[`coop-cloud.${a.stack}.version`]).toBe('1.0.1+1');
  });

  it('fails a first deploy whose app keeps crashing, with nothing to roll back to', async () => {
    const a = app('first', { version: '1.0.0+1', command: 'echo "cannot start"; exit 5' });
    const result = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--timeout', '120']);
    expectExit(result, 1);
    expect(result.stdout).toMatch(/^ {2}app: \d+ tasks of the new spec failed$/m);
    expect(result.stdout).toContain('last task error: task: non-zero exit (5)');
    expect(result.stdout).toContain('cannot start');
    expect(result.stdout).toContain(`nothing to roll back to: this was the first deploy of ${a.stack}; it is left as it is (remove it with galley undeploy)`);
  });

  it('returns once the stack is sent with --no-wait', async () => {
    const a = app('nowait', { version: '1.0.0+1', command: `sleep 30; ${HTTPD}`, healthcheck: { startPeriod: '60s' } });
    const result = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--no-wait', '--json']);
    expectExit(result, 0);
    const report = JSON.parse(result.stdout) as { outcome: string; exitCode: number; services: unknown[] };
    expect(report).toMatchObject({ outcome: 'sent', exitCode: 0, services: [] });
    // Sent, not converged: the app is still inside its 30 s sleep.
    const tasks = await sw.serviceTasks(`${a.stack}_app`);
    expect(tasks.some((t) => t.currentState.startsWith('Running'))).toBe(false);
  });
});
