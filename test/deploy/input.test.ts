// Where recipes come from (--repo with a git server, ~/.abra/recipes, a
// pinned RECIPE=name:version) and unusable input: every case exits 2 with a
// message naming the file, the recipe or the host, never a stack trace, and
// changes nothing in the swarm.

import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parse } from 'yaml';
import { type GitServer, type Swarm, startGitServer, swarm } from '../support/index.js';
import { removeTree, writeTree } from '../support/recipe-fixtures.js';
import { cleanUpApp, expectExit, GalleyRunner, lines, recipeFiles, removeDir, serviceLabels, tempDir, uniqueDomain, writeAppEnv } from './fixtures.js';

jest.setTimeout(300_000);

type Compose = { services: Record<string, { image: string; deploy: { labels: Record<string, string> } }>; configs: Record<string, { file: string }> };

describe('recipe sources and unusable input', () => {
  let sw: Swarm;
  let git: GitServer;
  const home = tempDir('deploy-input');
  const galley = new GalleyRunner(home);
  const { domain, stack } = uniqueDomain('input');
  const trees: string[] = [];

  beforeAll(async () => {
    sw = await swarm();
    git = await startGitServer([
      {
        name: 'gdtrepo',
        commits: [
          { message: 'first release', files: recipeFiles('gdtrepo', { version: '1.0.0+1', greeting: 'one\n' }), tags: [{ name: '1.0.0+1', annotated: true }] },
          {
            message: 'second release',
            files: recipeFiles('gdtrepo', { version: '1.1.0+1', greeting: 'two\n', greetingVersion: 'v2' }),
            tags: [{ name: '1.1.0+1', annotated: true }],
          },
          { message: 'unreleased work', files: recipeFiles('gdtrepo', { version: '1.2.0+1', greeting: 'three\n', greetingVersion: 'v3' }) },
        ],
      },
    ]);
  });

  afterAll(async () => {
    await git?.stop();
    await cleanUpApp(sw, stack);
    trees.forEach(removeTree);
    removeDir(home);
  });

  const noTrace = (text: string) => expect(text).not.toMatch(/\n\s+at /);

  it('deploys a release tag of a remote repository: the newest by default, or the one asked for', async () => {
    const env = writeAppEnv(home, 'repo', ['TYPE=gdtrepo', `DOMAIN=${domain}`]);
    const latest = await galley.run(['deploy', env, '--repo', git.url('gdtrepo'), '--dry-run']);
    expect(latest.stderr).toBe('');
    expectExit(latest, 0);
    const doc = parse(latest.stdout) as Compose;
    expect(doc.services.app!.deploy.labels[`coop-cloud.${stack}.version`]).toBe('1.1.0+1');
    expect(doc.services.app!.deploy.labels[`coop-cloud.${stack}.chaos`]).toBe('false');
    expect(doc.configs.greeting!.file).toBe('greeting.txt');
    expect(latest.stdout).toContain(`from ${git.url('gdtrepo')}#1.1.0+1`);

    const pinned = writeAppEnv(home, 'pinned', ['RECIPE=gdtrepo:1.0.0+1', `DOMAIN=${domain}`]);
    const old = await galley.run(['deploy', pinned, '--repo', git.url('gdtrepo'), '--dry-run']);
    expect(old.stderr).toBe('');
    expect((parse(old.stdout) as Compose).services.app!.deploy.labels[`coop-cloud.${stack}.version`]).toBe('1.0.0+1');

    const deployed = await galley.run(['deploy', env, '--repo', git.url('gdtrepo'), '--version', '1.0.0+1']);
    expectExit(deployed, 0);
    expect(deployed.stdout).toMatch(new RegExp(`^deployed gdtrepo 1\\.0\\.0\\+1 as ${stack} on server default .* in`, 'm'));
    expect((await serviceLabels(sw, `${stack}_app`))[`coop-cloud.${stack}.version`]).toBe('1.0.0+1');
    const config = JSON.parse(await sw.docker(['config', 'inspect', `${stack}_greeting_v1`])) as { Spec: { Data: string } }[];
    expect(Buffer.from(config[0]!.Spec.Data, 'base64').toString()).toBe('one\n');

    const unknown = await galley.run(['deploy', env, '--repo', git.url('gdtrepo'), '--version', '9.9.9+1', '--force']);
    expectExit(unknown, 2);
    expect(unknown.stderr).toContain('recipe gdtrepo has no version 9.9.9+1');
    expect(unknown.stderr).toContain('its releases: 1.0.0+1, 1.1.0+1');
    noTrace(unknown.stderr);
  });

  it('looks recipes up in ~/.abra/recipes/<recipe> by default; a folder without releases deploys only with --chaos', async () => {
    const folder = path.join(home, 'abra', 'recipes', 'gdtrepo');
    mkdirSync(path.dirname(folder), { recursive: true });
    const src = writeTree(recipeFiles('gdtrepo', { version: '0.5.0+1' }), 'galley-deploy-input-abra-');
    trees.push(src);
    cpSync(src, folder, { recursive: true });
    const env = writeAppEnv(home, 'abra', ['TYPE=gdtrepo', 'DOMAIN=abra-lookup.example']);
    const refused = await galley.run(['deploy', env, '--dry-run']);
    expectExit(refused, 2);
    expect(refused.stderr).toBe(
      `galley: ${folder} is not a git repository, so it has no releases: deploy its work tree with --chaos, or point --recipe at a clone of the recipe\n`,
    );
    const result = await galley.run(['deploy', env, '--dry-run', '--chaos']);
    expectExit(result, 0);
    const doc = parse(result.stdout) as Compose;
    expect(doc.services.app!.deploy.labels['coop-cloud.abra-lookup_example.chaos']).toBe('true');
    expect(doc.configs.greeting!.file).toBe(path.join(folder, 'greeting.txt'));
  });

  it('refuses unusable input with exit code 2, naming what is wrong', async () => {
    const missing = await galley.run(['deploy', path.join(home, 'nope.env')]);
    expectExit(missing, 2);
    expect(missing.stderr).toBe(`galley: cannot read the app env file ${path.join(home, 'nope.env')}: it does not exist\n`);

    const noDomain = writeAppEnv(home, 'nodomain', ['TYPE=gdtrepo']);
    const r1 = await galley.run(['deploy', noDomain, '--dry-run']);
    expectExit(r1, 2);
    expect(r1.stderr).toContain(`galley: ${noDomain} has no DOMAIN: add DOMAIN=<the app's domain>`);

    const badQuote = writeAppEnv(home, 'quote', ['TYPE=gdtrepo', 'DOMAIN="x.example']);
    const r2 = await galley.run(['deploy', badQuote]);
    expectExit(r2, 2);
    expect(r2.stderr).toMatch(new RegExp(`^galley: ${badQuote}:2:\\d+: the " quote of DOMAIN is never closed`));

    const unknownRecipe = writeAppEnv(home, 'unknown', ['TYPE=nosuchrecipe', 'DOMAIN=x.example']);
    const r3 = await galley.run(['deploy', unknownRecipe]);
    expectExit(r3, 2);
    expect(r3.stderr).toContain(
      `galley: recipe nosuchrecipe not found: ${path.join(home, 'abra', 'recipes', 'nosuchrecipe')} does not exist; clone the nosuchrecipe recipe repository there, or pass --recipe DIR`,
    );

    const noApp = writeTree(
      { 'compose.yml': 'version: "3.8"\nservices:\n  web:\n    image: local/busybox:1\n', '.env.sample': 'TYPE=noapp\n' },
      'galley-deploy-input-noapp-',
    );
    trees.push(noApp);
    const env = writeAppEnv(home, 'noapp', ['TYPE=noapp', 'DOMAIN=noapp.example']);
    const r4 = await galley.run(['deploy', env, '--recipe', noApp, '--chaos']);
    expectExit(r4, 2);
    expect(r4.stderr).toMatch(/lint errors? in what this app deploys; fix (it|them) before deploying/);
    expect(r4.stderr).toMatch(/^ {2}compose\.yml:\d+:\d+ recipe\/app-service /m);

    const r5 = await galley.run(['deploy', env, '--recipe', noApp, '--repo', git.url('gdtrepo')]);
    expectExit(r5, 2);
    expect(r5.stderr).toMatch(/^error: option '--repo <url>' cannot be used with option '--recipe <dir>'\n/);
    const r6 = await galley.run(['deploy', env, '--repo', git.url('gdtrepo'), '--chaos']);
    expectExit(r6, 2);
    expect(r6.stderr).toContain('--chaos deploys a local work tree');
    const r7 = await galley.run(['deploy', env, '--timeout', 'soon']);
    expectExit(r7, 2);
    expect(r7.stderr).toContain("option '--timeout <seconds>' argument 'soon' is invalid");

    for (const r of [missing, r1, r2, r3, r4, r5, r6, r7]) noTrace(r.stderr);
    expect(await lines(sw, ['service', 'ls', '-q', '--filter', 'label=com.docker.stack.namespace=noapp_example'])).toEqual([]);
  });

  it('names the docker host it cannot reach', async () => {
    const env = writeAppEnv(home, 'unreachable', ['TYPE=gdtrepo', 'DOMAIN=unreachable.example']);
    const socket = `unix://${path.join(home, 'no-docker.sock')}`;
    const result = await galley.run(['deploy', env, '--repo', git.url('gdtrepo')], { env: { DOCKER_HOST: socket } });
    expectExit(result, 2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^galley: cannot reach the docker engine \\(server ${socket.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(DOCKER_HOST\\)\\): .*Start dockerd there, or check the docker context`,
        'm',
      ),
    );
    noTrace(result.stderr);
    expect(result.stderr).not.toContain('retrying');
    const ps = await galley.run(['ps', env], { env: { DOCKER_HOST: socket } });
    expectExit(ps, 2);
    expect(ps.stderr).toContain('cannot reach the docker engine');
  });
});
