// An upgrade on the real swarm, from a recipe whose annotated release tags
// the git server serves: galley deploy shows the recipe diff between the
// deployed release and the target in its overview, refuses (exit 2, no
// override) a target that requires settings the app env lacks, naming each
// `.env.sample` line to add, and once they are added deploys it, generating
// the new secret the target brings and listing it.
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type GitServer, type Swarm, startGitServer, swarm } from '../support/index.js';
import {
  cleanUpApp,
  containerOf,
  expectExit,
  GalleyRunner,
  lines,
  recipeFiles,
  removeDir,
  serviceLabels,
  tempDir,
  uniqueDomain,
  writeAppEnv,
} from './fixtures.js';

jest.setTimeout(300_000);

describe('galley deploy of an upgrade', () => {
  let sw: Swarm;
  let git: GitServer;
  const home = tempDir('deploy-upgrade');
  const galley = new GalleyRunner(home);
  const { domain, stack } = uniqueDomain('upgrade');
  const older = recipeFiles('gdtup', { version: '1.0.0+1', secrets: { db_password: 'length=24' } });
  // 2.0.0+1 reads ADMIN_EMAIL without a default, passes TZ through, and brings a secret.
  const newer = recipeFiles('gdtup', {
    version: '2.0.0+1',
    secrets: { db_password: 'length=24', api_key: 'length=16' },
    settings: { ADMIN_EMAIL: 'admin@example.org' },
    passThrough: { TZ: 'Europe/Berlin' },
  });
  const sample = newer['.env.sample']!.split('\n');
  const lineOf = (key: string) => {
    const i = sample.findIndex((l) => l.startsWith(`${key}=`));
    return { at: `.env.sample:${i + 1}`, text: sample[i]! };
  };
  let envFile: string;
  let url: string;

  beforeAll(async () => {
    sw = await swarm();
    git = await startGitServer([
      {
        name: 'gdtup',
        commits: [
          { message: 'first release', files: older, tags: [{ name: '1.0.0+1', annotated: true, message: 'chore: publish 1.0.0+1 release' }] },
          {
            message: 'an admin account',
            files: { ...newer, 'release/2.0.0+1': 'An admin account: set ADMIN_EMAIL.\n' },
            tags: [{ name: '2.0.0+1', annotated: true, message: 'chore: publish 2.0.0+1 release' }],
          },
        ],
      },
    ]);
    url = git.url('gdtup');
    envFile = writeAppEnv(home, 'upgrade', ['TYPE=gdtup', `DOMAIN=${domain}`, 'SECRET_DB_PASSWORD_VERSION=v1 # length=24']);
  });

  afterAll(async () => {
    await git?.stop();
    if (sw) await cleanUpApp(sw, stack);
    removeDir(home);
  });

  it('deploys the older release', async () => {
    const result = await galley.run(['deploy', envFile, '--repo', url, '--version', '1.0.0+1']);
    expectExit(result, 0);
    expect(result.stderr).not.toContain('upgrade:');
    expect((await serviceLabels(sw, `${stack}_app`))[`coop-cloud.${stack}.version`]).toBe('1.0.0+1');
  });

  it('refuses the upgrade while the app env lacks settings the newer release requires, naming each .env.sample line, changing nothing', async () => {
    const index = await sw.docker(['service', 'inspect', '--format', '{{.Version.Index}}', `${stack}_app`]);
    const result = await galley.run(['deploy', envFile, '--repo', url, '--version', '2.0.0+1', '--force', '--yes']);
    expectExit(result, 2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const missing = ['SECRET_API_KEY_VERSION', 'ADMIN_EMAIL', 'TZ'];
    expect(result.stderr).toContain(
      `galley: upgrading ${domain} from 1.0.0+1 to 2.0.0+1 needs 3 settings ${envFile} lacks (${missing.join(', ')}): add these lines of recipe gdtup's .env.sample (2.0.0+1) to it, with your own values, then deploy again; nothing was changed\n`,
    );
    for (const key of missing) {
      const { at, text } = lineOf(key);
      expect(result.stderr).toContain(`\n  ${at}: ${text}\n`);
    }
    // The secret's version line is copied with its modifiers.
    expect(lineOf('SECRET_API_KEY_VERSION').text).toBe('SECRET_API_KEY_VERSION=v1 # length=16');
    expect(await sw.docker(['service', 'inspect', '--format', '{{.Version.Index}}', `${stack}_app`])).toBe(index);
    expect(await lines(sw, ['secret', 'ls', '--format', '{{.Name}}', '--filter', `name=${stack}_api_key`])).toEqual([]);
  });

  it('deploys the upgrade once the lines are added: the overview shows the diff, the new secret is generated and listed', async () => {
    appendFileSync(envFile, `${['ADMIN_EMAIL', 'TZ', 'SECRET_API_KEY_VERSION'].map((k) => lineOf(k).text).join('\n')}\n`);
    const result = await galley.run(['deploy', envFile, '--repo', url, '--version', '2.0.0+1', '--force', '--yes']);
    expectExit(result, 0);
    // The overview, before anything changes (stderr, not a terminal): the diff, breaking changes first, with where each is.
    const overview = result.stderr.slice(0, result.stderr.indexOf('created secret'));
    expect(overview).toContain('version:  1.0.0+1 -> gdtup 2.0.0+1\n');
    expect(overview).toMatch(/^upgrade: {2}1\.0\.0\+1 -> 2\.0\.0\+1: \d+ changes, 4 breaking$/m);
    expect(overview).toContain(`  BREAKING ADMIN_EMAIL added, required (${lineOf('ADMIN_EMAIL').at})\n`);
    expect(overview).toContain(`  BREAKING TZ added, required (${lineOf('TZ').at})\n`);
    expect(overview).toMatch(/^ {2}BREAKING secret api_key added \(SECRET_API_KEY_VERSION=v1\) \(compose\.yml:\d+\)$/m);
    expect(overview).toContain(`  new secrets: api_key (generated by this deploy: ${stack}_api_key_v1)\n`);
    expect(overview).toContain('  release notes: release/2.0.0+1\n');
    expect(overview).toContain(`secrets:  creates ${stack}_api_key_v1\n`);
    expect(result.stderr).toContain(`created secret ${stack}_api_key_v1 (`);
    expect(result.stdout).toMatch(new RegExp(`^deployed gdtup 2\\.0\\.0\\+1 as ${stack} on server default .* \\(was 1\\.0\\.0\\+1\\)$`, 'm'));
    expect(result.stdout).toContain(`secrets created: ${stack}_api_key_v1\n`);

    expect((await serviceLabels(sw, `${stack}_app`))[`coop-cloud.${stack}.version`]).toBe('2.0.0+1');
    // The pass-through took the app env's value, as docker stack deploy does with the environment abra gives it.
    const env = JSON.parse(await sw.docker(['service', 'inspect', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}', `${stack}_app`])) as string[];
    expect(env.sort()).toEqual(['ADMIN_EMAIL=admin@example.org', 'TZ=Europe/Berlin']);
    // The new secret was generated with its modifiers (16 characters) and reaches the app.
    await sw.waitForServiceRunning(`${stack}_app`, { timeoutMs: 60_000 });
    const secret = await sw.docker(['exec', await containerOf(sw, `${stack}_app`), 'cat', '/run/secrets/api_key']);
    expect(secret.trim()).toHaveLength(16);
    expect(readFileSync(envFile, 'utf8')).toMatch(/^TYPE=gdtup:2\.0\.0\+1$/m);
  });
});
