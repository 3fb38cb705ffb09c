// An operator's deploys from the first to the day after, on the real swarm:
// services without a healthcheck must stay up for their stability window;
// releases (not work trees) are deployed and the version is written back;
// a release that drops a service removes it; old configs are pruned; env
// typos of every kind are caught before anything changes; post-deploy
// commands run; logs, restart and run work; env new writes an app; a Ctrl-C
// on a terminal in the first second leaves nothing behind.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { GALLEY_BIN } from '../support/cli.js';
import { runOnPty, type Swarm, swarm } from '../support/index.js';
import { commitAll, removeTree, writeTree } from '../support/recipe-fixtures.js';
import {
  cleanUpApp,
  deployConfig,
  expectExit,
  type FixtureOptions,
  GalleyRunner,
  HTTPD,
  lines,
  recipeFiles,
  removeDir,
  serviceLabels,
  tempDir,
  uniqueDomain,
  writeAppEnv,
} from './fixtures.js';

jest.setTimeout(600_000);

const SLEEPER = 'command: ["sleep", "1000000"]';

/** The fixture recipe with its db running `dbCommand` (a shell line) instead of sleeping. */
function withDb(files: Record<string, string>, dbCommand: string): Record<string, string> {
  return { ...files, 'compose.yml': files['compose.yml']!.replace(SLEEPER, `command: ["sh", "-c", ${JSON.stringify(dbCommand)}]`) };
}

describe('operations', () => {
  let sw: Swarm;
  const home = tempDir('deploy-ops');
  const galley = new GalleyRunner(home);
  const stacks: string[] = [];
  const trees: string[] = [];

  function app(prefix: string, files: Record<string, string>, extra: string[] = []) {
    const { domain, stack } = uniqueDomain(prefix);
    stacks.push(stack);
    const recipe = writeTree(files, 'galley-deploy-ops-recipe-');
    trees.push(recipe);
    return { domain, stack, recipe, env: writeAppEnv(home, prefix, ['TYPE=gdtops', `DOMAIN=${domain}`, ...extra]) };
  }
  const fixture = (o: Partial<FixtureOptions> = {}) => recipeFiles('gdtops', { version: '1.0.0+1', ...o });

  beforeAll(async () => {
    sw = await swarm();
  });

  afterAll(async () => {
    await Promise.all(stacks.map((s) => cleanUpApp(sw, s)));
    trees.forEach(removeTree);
    removeDir(home);
  });

  describe('the stability window of services without a healthcheck', () => {
    // The default window (10 s), not the suite's shorter one.
    const defaults = { GALLEY_DEPLOY_CONFIG: path.join(home, 'no-such-config.yml') };

    it('fails a deploy whose db crashes 6 s after starting, naming the task', async () => {
      const a = app('crash6', withDb(fixture(), 'sleep 6; echo "db gave up"; exit 3'));
      const result = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos'], { env: defaults });
      expectExit(result, 1);
      expect(result.stderr).toMatch(/then db must stay up 10 s \(no healthcheck\)/);
      expect(result.stdout).toMatch(
        /^ {2}db: \S+_db\.1 \([0-9a-z]{12}\) failed: task: non-zero exit \(3\) \d+ s after it started running, within its 10 s stability window$/m,
      );
      expect(result.stdout).toMatch(/^ {6}db\.1\.[0-9a-z]{12} \| db gave up$/m);
    });

    it('deploys a db that crashes later; galley ps shows the crashes, and a --force redeploy over the crash loop fails', async () => {
      const a = app('crash20', withDb(fixture(), 'sleep 20; echo "late crash"; exit 4'));
      const result = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos'], { env: defaults });
      expectExit(result, 0);
      // Wait for the first crash, then ps shows it.
      for (let i = 0; i < 240; i++) {
        const tasks = await sw.serviceTasks(`${a.stack}_db`);
        if (tasks.some((t) => t.currentState.startsWith('Failed'))) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const ps = await galley.run(['ps', a.env]);
      expectExit(ps, 0);
      expect(ps.stdout).toMatch(/^ {2}db +\d\/1 +local\/busybox:1 +[1-9]/m);
      expect(ps.stdout).toMatch(
        /^ {2}! db: (CRASH LOOP: \d+ tasks failed in 10 min; )?last task error \d+ s ago \(\S+_db\.1\.[0-9a-z]{12}\): task: non-zero exit \(4\)$/m,
      );
      const json = JSON.parse((await galley.run(['ps', a.env, '--json'])).stdout) as { services: { name: string; recentFailures: number }[] };
      expect(json.services.find((s) => s.name === 'db')!.recentFailures).toBeGreaterThan(0);
      // The same spec again: no new tasks, but the old ones keep failing within a 30 s window.
      const again = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--force', '--stability', '30']);
      expectExit(again, 1);
      expect(again.stdout).toMatch(/^ {2}db: .*failed: task: non-zero exit \(4\) .*within its 30 s stability window$/m);
    });
  });

  it('deploys releases, records the version, prunes dropped services and old configs, and rolls back with --version', async () => {
    const repo = tempDir('deploy-ops-repo');
    trees.push(repo);
    const withWorker = (files: Record<string, string>) => ({
      ...files,
      'compose.yml': `${files['compose.yml']!.replace('volumes:\n  data:', '  worker:\n    image: local/busybox:1\n    init: true\n    stop_grace_period: 1s\n    command: ["sleep", "1000000"]\n    deploy:\n      endpoint_mode: dnsrr\nvolumes:\n  data:')}`,
    });
    commitAll(repo, [
      { files: withWorker(fixture({ greetingVersion: 'v1', greeting: 'one\n' })), tags: [{ name: '1.0.0+1', annotated: true }] },
      { files: fixture({ version: '1.1.0+1', greetingVersion: 'v2', greeting: 'two\n' }), tags: [{ name: '1.1.0+1', annotated: true }] },
      { files: fixture({ version: '1.2.0+1', greetingVersion: 'v3', greeting: 'three\n' }), tags: [{ name: '1.2.0+1', annotated: true }] },
    ]);
    const { domain, stack } = uniqueDomain('rel');
    stacks.push(stack);
    const env = writeAppEnv(home, 'rel', ['TYPE=gdtops', `DOMAIN=${domain}`]);

    const first = await galley.run(['deploy', env, '--recipe', repo, '--version', '1.0.0+1']);
    expectExit(first, 0);
    expect(first.stdout).toContain('recorded the version in the app env file: gdtops:1.0.0+1');
    expect(readFileSync(env, 'utf8')).toBe(`TYPE=gdtops:1.0.0+1\nDOMAIN=${domain}\n`);
    expect(first.stderr).toMatch(/^waiting up to \d+ s for \S+ to converge \(timeout 60 s/m);

    // Without --version: the recorded release, not the newest one.
    const again = await galley.run(['deploy', env, '--recipe', repo, '--dry-run', '--force']);
    expect(again.stdout).toContain(`coop-cloud.${stack}.version: 1.0.0+1`);

    const upgrade = await galley.run(['deploy', env, '--recipe', repo, '--version', '1.1.0+1', '--force']);
    expectExit(upgrade, 0);
    expect(upgrade.stderr).toContain(`version:  1.0.0+1 -> gdtops 1.1.0+1`);
    expect(upgrade.stderr).toContain(`removes:  ${stack}_worker (the new version no longer has them)`);
    expect(upgrade.stdout).toContain('removed services the new version no longer has: worker');
    expect(await lines(sw, ['service', 'ls', '--format', '{{.Name}}', '--filter', `label=com.docker.stack.namespace=${stack}`])).toEqual([
      `${stack}_app`,
      `${stack}_db`,
    ]);

    const third = await galley.run(['deploy', env, '--recipe', repo, '--version', '1.2.0+1', '--force']);
    expectExit(third, 0);
    // v1 is used by no spec any more; v2 stays for a swarm rollback to 1.1.0+1.
    expect(third.stdout).toContain(`removed old configs: ${stack}_greeting_v1`);
    const configs = await lines(sw, ['config', 'ls', '--format', '{{.Name}}']);
    expect(configs.filter((c) => c.startsWith(`${stack}_greeting`))).toEqual([`${stack}_greeting_v2`, `${stack}_greeting_v3`]);

    // The site's rollback form: deploy the previous release again.
    const back = await galley.run(['deploy', env, '--version', '1.1.0+1', '--force', '--recipe', repo]);
    expectExit(back, 0);
    expect((await serviceLabels(sw, `${stack}_app`))[`coop-cloud.${stack}.version`]).toBe('1.1.0+1');
    expect(readFileSync(env, 'utf8')).toContain('TYPE=gdtops:1.1.0+1');
  });

  it('catches env typos of every kind before changing anything; galley env check lists them', async () => {
    const files = fixture({ secrets: { db_password: 'length=24' } });
    files['compose.yml'] = files['compose.yml']!.replace(
      '    init: true\n',
      '    init: true\n    environment:\n      - SMTP_HOST=${SMTP_HOST}\n      - LETS_ENCRYPT_ENV=${LETS_ENCRYPT_ENV:-staging}\n',
    );
    files['.env.sample'] += 'LETS_ENCRYPT_ENV=production\nSMTP_HOST=mail.example.org\n#COMPOSE_FILE=compose.yml\n';
    const a = app('typo', files, [
      'LETS_ENCRYPT_EVN=production',
      'COMPOSE_FILES=compose.yml',
      'SECRET_DB_PASWORD_VERSION=v1',
      'SECRET_DB_PASSWORD_VERSION=v1 # lenght=32',
    ]);
    const check = await galley.run(['env', 'check', a.env, '--recipe', a.recipe, '--chaos']);
    expectExit(check, 1);
    expect(check.stdout).toContain(`${a.env}:3:1: LETS_ENCRYPT_EVN is not a setting of recipe gdtops: did you mean LETS_ENCRYPT_ENV?`);
    expect(check.stdout).toContain(`${a.env}:4:1: COMPOSE_FILES is not a setting of recipe gdtops: did you mean COMPOSE_FILE?`);
    expect(check.stdout).toContain(`${a.env}:5:1: SECRET_DB_PASWORD_VERSION is not a setting of recipe gdtops: did you mean SECRET_DB_PASSWORD_VERSION?`);
    expect(check.stdout).toMatch(
      new RegExp(
        `${a.env.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:\\d+: SECRET_DB_PASSWORD_VERSION: "lenght=" is not a secret modifier: did you mean length=\\?`,
      ),
    );
    expect(check.stdout).toContain("SMTP_HOST is missing: the recipe's compose files need it and .env.sample sets it (SMTP_HOST=mail.example.org)");
    expect(check.stdout).toMatch(/^5 problems in /m);
    const deploy = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos']);
    expectExit(deploy, 2);
    expect(deploy.stderr).toContain('LETS_ENCRYPT_EVN is not a setting of recipe gdtops: did you mean LETS_ENCRYPT_ENV?');
    expect((await lines(sw, ['secret', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith(a.stack))).toEqual([]);
    // Fixed, it passes.
    writeFileSync(
      a.env,
      `TYPE=gdtops\nDOMAIN=${a.domain}\nLETS_ENCRYPT_ENV=production\nSMTP_HOST=mail.example.org\nSECRET_DB_PASSWORD_VERSION=v1 # length=32\n`,
    );
    const ok = await galley.run(['env', 'check', a.env, '--recipe', a.recipe, '--chaos']);
    expectExit(ok, 0);
  });

  it('lints what the app deploys: an error in an overlay it does not use blocks nothing; the operator can lower the gate', async () => {
    const files = { ...fixture(), 'compose.extra.yml': 'version: "3.8"\nservices:\n  app:\n    imagee: local/busybox:1\n' };
    const a = app('lint', files);
    const unused = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--dry-run']);
    expectExit(unused, 0);
    writeFileSync(a.env, `TYPE=gdtops\nDOMAIN=${a.domain}\nCOMPOSE_FILE=compose.yml:compose.extra.yml\n`);
    const used = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--dry-run']);
    expectExit(used, 2);
    expect(used.stderr).toContain('has 1 lint error in what this app deploys');
    expect(used.stderr).toMatch(/^ {2}compose\.extra\.yml:4:5 swarm\/schema docker stack deploy refuses the key "imagee"/m);
    expectExit(await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--dry-run', '--lint-level', 'off']), 0);
    const config = path.join(home, 'operator.yml');
    writeFileSync(config, 'lint:\n  rules:\n    swarm/schema: warning\n');
    expectExit(await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--dry-run'], { env: { GALLEY_DEPLOY_CONFIG: config } }), 0);
    expectExit(
      await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--dry-run', '--lint-level', 'warning'], { env: { GALLEY_DEPLOY_CONFIG: config } }),
      2,
    );
  });

  it('on a terminal shows the overview and asks; "n" changes nothing', async () => {
    const a = app('ask', fixture({ secrets: { db_password: 'length=24' } }), ['SECRET_DB_PASSWORD_VERSION=v1 # length=24']);
    const run = await runOnPty([process.execPath, GALLEY_BIN, 'deploy', a.env, '--recipe', a.recipe, '--chaos'], {
      env: { ...process.env, GALLEY_LOCK_DIR: path.join(home, 'locks'), GALLEY_DEPLOY_CONFIG: deployConfig(home), NO_COLOR: '1' },
      answer: { prompt: /deploy\? \[y\/N\] /, text: 'n\r' },
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`server:   server default (docker context default: unix:///var/run/docker.sock)`);
    expect(run.output).toContain(`secrets:  creates ${a.stack}_db_password_v1`);
    expect(run.output).toContain('galley: not deployed: cancelled at the overview; nothing was changed');
    expect((await lines(sw, ['secret', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith(a.stack))).toEqual([]);
    expect(await lines(sw, ['service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${a.stack}`])).toEqual([]);
  });

  it('checks external networks before creating any secret', async () => {
    const files = fixture({ secrets: { api_key: '' } });
    const network = `gdt-nonet-${path.basename(home).slice(-6)}`;
    files['compose.yml'] =
      `${files['compose.yml']!.replace('    init: true\n', '    init: true\n    networks:\n      - proxy\n')}networks:\n  proxy:\n    external: true\n    name: ${network}\n`;
    const a = app('nonet', files, ['SECRET_API_KEY_VERSION=v1']);
    const result = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos']);
    expectExit(result, 2);
    expect(result.stderr).toContain(`the stack uses the external network ${network}, which server default`);
    expect((await lines(sw, ['secret', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith(a.stack))).toEqual([]);
  });

  it('runs post-deploy commands; logs, restart and run work on the deployed app', async () => {
    const files = fixture({ command: `echo "app-says-hello"; ${HTTPD}` });
    files['abra.sh'] += 'greet() { echo "hello $1" > /tmp/greeted; echo "greeted $1"; }\nbroken() { echo "migration failed" >&2; exit 4; }\n';
    const a = app('post', files, ['POST_DEPLOY_CMDS="app greet world"']);
    const result = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos']);
    expectExit(result, 0);
    expect(result.stdout).toContain('ran app greet world');
    const run = await galley.run(['run', a.env, 'app', '--', 'cat', '/tmp/greeted']);
    expectExit(run, 0);
    expect(run.stdout).toBe('hello world\n');
    const code = await galley.run(['run', a.env, 'app', '--', 'sh', '-c', 'echo out; exit 7']);
    expect(code.code).toBe(7);

    const logs = await galley.run(['logs', a.env, 'app']);
    expectExit(logs, 0);
    expect(logs.stdout).toMatch(/^app\.1\.[0-9a-z]{12} \| app-says-hello$/m);

    const before = await sw.serviceTasks(`${a.stack}_app`);
    const restarted = await galley.run(['restart', a.env, 'app']);
    expectExit(restarted, 0);
    expect(restarted.stdout).toMatch(new RegExp(`^restarted app of ${a.stack} on server default .* in \\d+\\.\\d s$`, 'm'));
    const after = await sw.serviceTasks(`${a.stack}_app`);
    expect(after.filter((t) => t.desiredState === 'Running').map((t) => t.id)).not.toEqual(before.filter((t) => t.desiredState === 'Running').map((t) => t.id));

    writeFileSync(a.env, `TYPE=gdtops\nDOMAIN=${a.domain}\nPOST_DEPLOY_CMDS="app broken"\n`);
    const failed = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--force']);
    expectExit(failed, 1);
    expect(failed.stdout).toContain('post-deploy command app broken failed (exit code 4)');
    expect(failed.stdout).toContain('migration failed');
  });

  it('writes a new app env file into the server folder, with its secrets made on that server', async () => {
    const recipeName = 'gdtops';
    const folder = path.join(home, 'abra', 'recipes', recipeName);
    mkdirSync(folder, { recursive: true });
    commitAll(folder, [{ files: fixture({ secrets: { db_password: 'length=24' } }), tags: [{ name: '1.0.0+1', annotated: true }] }]);
    const { domain, stack } = uniqueDomain('new');
    stacks.push(stack);
    const result = await galley.run(['env', 'new', recipeName, domain, '--server', 'default', '--secrets']);
    expectExit(result, 0);
    const file = path.join(home, 'abra', 'servers', 'default', `${domain}.env`);
    expect(result.stdout).toContain(`wrote ${file} (recipe gdtops 1.0.0+1)`);
    expect(result.stdout).toContain(`created secret ${stack}_db_password_v1 (24 characters)`);
    expect(readFileSync(file, 'utf8')).toBe(`TYPE=gdtops\nDOMAIN=${domain}\nSECRET_DB_PASSWORD_VERSION=v1 # length=24\n`);
    const again = await galley.run(['env', 'new', recipeName, domain, '--server', 'default']);
    expectExit(again, 2);
    expect(again.stderr).toContain('already exists');
  });

  it('stops on a Ctrl-C typed in the first second, with exit code 130 and a message, leaving no lock and no temporary folder', async () => {
    const repo = tempDir('deploy-ops-intr');
    trees.push(repo);
    commitAll(repo, [{ files: fixture(), tags: [{ name: '1.0.0+1', annotated: true }] }]);
    const locks = path.join(home, 'intr-locks');
    // galley's own temporary folders go here (TMPDIR), so nothing else on the machine is counted.
    const tmp = path.join(home, 'intr-tmp');
    mkdirSync(tmp);
    const start = (name: string, interrupt: { interruptAfterMs?: number; interruptWhen?: (stack: string) => Promise<boolean> }) => {
      const { domain, stack } = uniqueDomain(name);
      stacks.push(stack);
      const env = writeAppEnv(home, name, ['TYPE=gdtops', `DOMAIN=${domain}`]);
      const { interruptWhen, ...after } = interrupt;
      const run = runOnPty([process.execPath, GALLEY_BIN, 'deploy', env, '--recipe', repo, '--version', '1.0.0+1', '--yes'], {
        env: { ...process.env, GALLEY_LOCK_DIR: locks, GALLEY_DEPLOY_CONFIG: deployConfig(home), TMPDIR: tmp, NO_COLOR: '1' },
        ...after,
        ...(interruptWhen ? { interruptWhen: () => interruptWhen(stack) } : {}),
      });
      return { stack, run };
    };
    // Once `docker stack deploy … STACK` runs (its command line, from /proc): ^C reaches it as well, as it
    // does when typed in the moment between its start and its own process group.
    const sending = async (stack: string) => {
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        let args: string[] = [];
        try {
          args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        } catch {}
        if (!(args.includes('stack') && args.includes('deploy') && args.includes(stack))) continue;
        process.kill(Number(pid), 'SIGINT');
        return true;
      }
      return false;
    };
    const noLeftovers = async (stack: string) => {
      if (existsSync(locks)) expect(readdirSync(locks).filter((f) => f.startsWith(stack))).toEqual([]);
      expect(await lines(sw, ['config', 'ls', '--format', '{{.Name}}'])).not.toContain(`galley-lock.${stack}`);
    };
    // Within the first second: while galley reads the recipe (git cat-file), lints, renders. A ^C that lands
    // while node itself is still starting kills it before galley ran any code: 130 too, nothing to clean.
    for (const delay of [200, 500, 900]) {
      const { stack, run } = start(`intr${delay}`, { interruptAfterMs: delay });
      const result = await run;
      if (result.code !== 130) throw new Error(`^C ${delay} ms after start: exit ${result.code}, not 130; galley printed:\n${result.output}`);
      expect(result.interrupted).toBe(true);
      expect(result.output).not.toMatch(/\n\s+at /);
      if (result.output.replace(/\^C/g, '').trim()) expect(result.output).toMatch(/galley: SIGINT: (stopping|interrupted)/);
      await noLeftovers(stack);
    }
    // The moment galley holds its lock: it must say so, and let go of it.
    // While `docker stack deploy` runs: the ^C reaches it too, and galley must still say "interrupted" with 130, not "failed" with 1.
    const sent = start('intrsend', { interruptWhen: sending });
    const whileSending = await sent.run;
    if (whileSending.code !== 130)
      throw new Error(`^C during docker stack deploy: exit ${whileSending.code}, not 130; galley printed:\n${whileSending.output}`);
    expect(whileSending.interrupted).toBe(true);
    expect(whileSending.output).toMatch(/interrupted after \d+\.\d s/);
    expect(whileSending.output).not.toContain('FAILED');
    await noLeftovers(sent.stack);
    const held = start('intrlock', { interruptWhen: async () => existsSync(locks) && readdirSync(locks).some((f) => f.endsWith('.lock.lock')) });
    const result = await held.run;
    if (result.code !== 130) throw new Error(`^C while the lock was held: exit ${result.code}, not 130; galley printed:\n${result.output}`);
    expect(result.interrupted).toBe(true);
    expect(result.output).toContain('galley: SIGINT: stopping');
    expect(result.output).toMatch(/interrupted (before anything was changed in the swarm|after \d+\.\d s)/);
    await noLeftovers(held.stack);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
