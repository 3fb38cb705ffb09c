// Server selection against a real second engine ("server B", its own
// dockerd in its own network namespace): an app env file in
// servers/<name>/ deploys through the docker context <name>; --context,
// DOCKER_HOST and DOCKER_CONTEXT override it; a missing context is named.
// Over ssh:// a deploy opens a handful of connections and survives one
// dropped during the wait. A two-node swarm (B and a worker) places tasks
// by constraint and converges across nodes. The host's own engine is never
// touched by these deploys.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type EngineB, type Swarm, startEngineB, swarm } from '../support/index.js';
import { removeTree, writeTree } from '../support/recipe-fixtures.js';
import { expectExit, GalleyRunner, HTTPD, recipeFiles, removeDir, tempDir, uniqueDomain, writeAppEnv } from './fixtures.js';

jest.setTimeout(600_000);

describe('servers: the engine an app env file names', () => {
  let sw: Swarm;
  let b: EngineB;
  const home = tempDir('deploy-servers');
  const trees: string[] = [];
  let galley: GalleyRunner;

  /** An app env file in <abra>/servers/<server>/, for a chaos recipe folder. */
  function app(prefix: string, server: string, files = recipeFiles('gdtsrv', { version: '1.0.0+1' })) {
    const { domain, stack } = uniqueDomain(prefix);
    const recipe = writeTree(files, 'galley-deploy-srv-recipe-');
    trees.push(recipe);
    const dir = path.join(home, 'abra', 'servers', server);
    mkdirSync(dir, { recursive: true });
    return { domain, stack, recipe, env: writeAppEnv(dir, domain, ['TYPE=gdtsrv', `DOMAIN=${domain}`]) };
  }

  const services = async (docker: (args: string[]) => Promise<string>, stack: string) =>
    (await docker(['service', 'ls', '--format', '{{.Name}}', '--filter', `label=com.docker.stack.namespace=${stack}`])).split('\n').filter(Boolean).sort();

  beforeAll(async () => {
    sw = await swarm();
    b = await startEngineB({ ssh: true, worker: true });
    galley = new GalleyRunner(home, b.env);
  });

  afterAll(async () => {
    await b?.stop();
    trees.forEach(removeTree);
    removeDir(home);
  });

  it('deploys to the server its servers folder names, says so everywhere, and overrides win', async () => {
    const a = app('srv', b.context);
    const result = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos']);
    expectExit(result, 0);
    const server = `server ${b.context} (docker context ${b.context}: ${b.host})`;
    expect(result.stdout).toContain(`as ${a.stack} on ${server} in`);
    expect(result.stderr).toContain(`server:   ${server}`);
    expect(await services((args) => b.docker(args), a.stack)).toEqual([`${a.stack}_app`, `${a.stack}_db`]);
    expect(await services((args) => sw.docker(args), a.stack)).toEqual([]);

    const ps = await galley.run(['ps', a.env]);
    expectExit(ps, 0);
    expect(ps.stdout).toContain(`${a.stack} on ${server}: gdtsrv 1.0.0+1`);
    const viaFlag = await galley.run(['ps', a.env, '--context', 'default']);
    expect(viaFlag.stdout).toBe(
      `${a.stack} (${a.domain}) is not deployed on server default (docker context default from --context: unix:///var/run/docker.sock)\n`,
    );
    const viaHost = await galley.run(['ps', a.env], { env: { DOCKER_HOST: 'unix:///var/run/docker.sock' } });
    expect(viaHost.stdout).toBe(`${a.stack} (${a.domain}) is not deployed on server unix:///var/run/docker.sock (DOCKER_HOST)\n`);
    const viaContext = await galley.run(['ps', a.env], { env: { DOCKER_CONTEXT: 'default' } });
    expect(viaContext.stdout).toContain('is not deployed on server default (docker context default from DOCKER_CONTEXT: unix:///var/run/docker.sock)');
  });

  it('names a docker context that does not exist, and where it came from', async () => {
    const a = app('nosrv', 'no-such-server');
    const folder = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos']);
    expectExit(folder, 2);
    expect(folder.stderr).toMatch(
      /^galley: docker context no-such-server does not exist \(the app env file is in the servers folder no-such-server, which selects the docker context no-such-server\): create it with `docker context create no-such-server --docker host=ssh:\/\/USER@HOST`/,
    );
    const env = await galley.run(['ps', a.env], { env: { DOCKER_CONTEXT: 'nosuch' } });
    expectExit(env, 2);
    expect(env.stderr).toMatch(/^galley: docker context nosuch does not exist \(from DOCKER_CONTEXT\)/);
    for (const r of [folder, env]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('over ssh:// opens a handful of connections and goes on when one drops during the wait', async () => {
    const sshContext = b.sshContext!;
    const a = app('ssh', sshContext, recipeFiles('gdtsrv', { version: '1.0.0+1', command: `sleep 8; ${HTTPD}`, healthcheck: { startPeriod: '60s' } }));
    const before = await b.sshConnections();
    const running = galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos', '--json']);
    // Once the stack is there, galley is waiting: cut its ssh connection.
    let dropped = 0;
    for (let i = 0; i < 600 && !dropped; i++) {
      await new Promise((r) => setTimeout(r, 250));
      if ((await services((args) => b.docker(args), a.stack)).length === 2) {
        await new Promise((r) => setTimeout(r, 1000));
        dropped = await b.dropSshSessions();
      }
    }
    const result = await running;
    expectExit(result, 0);
    expect(dropped).toBeGreaterThan(0);
    const report = JSON.parse(result.stdout) as {
      outcome: string;
      server: string;
      warnings: string[];
      docker: { engineConnections: number; cliProcesses: number };
    };
    expect(report.warnings.join('\n')).toMatch(
      /the connection to the docker engine \(.*\) dropped.*; opened a new one|lost the connection to the docker engine .*retrying in/,
    );
    expect(report.outcome).toBe('converged');
    expect(report.server).toBe(`server ${sshContext} (docker context ${sshContext}: ssh://root@${b.address})`);
    // One engine connection, one more after the drop, and the CLI's for docker stack deploy.
    expect(report.docker.engineConnections).toBe(2);
    const opened = (await b.sshConnections()) - before;
    expect(opened).toBeGreaterThanOrEqual(3);
    expect(opened).toBeLessThanOrEqual(6);
  });

  it('places a service on the worker of a two-node swarm by constraint and waits for it there', async () => {
    const files = recipeFiles('gdtsrv', { version: '1.0.0+1' });
    // The app only on a worker: B's worker is the only one.
    files['compose.yml'] = files['compose.yml']!.replace(
      '    deploy:\n      restart_policy:',
      '    deploy:\n      placement:\n        constraints: ["node.role == worker"]\n      restart_policy:',
    );
    const a = app('place', b.context, files);
    const result = await galley.run(['deploy', a.env, '--recipe', a.recipe, '--chaos']);
    expectExit(result, 0);
    const nodes = (await b.docker(['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.ID}}', `${a.stack}_app`])).split('\n').filter(Boolean);
    expect(nodes).toHaveLength(1);
    const nodeId = (await b.docker(['inspect', '--type', 'task', '--format', '{{.NodeID}}', nodes[0]!])).trim();
    expect(nodeId).toBe(b.worker!.nodeId);
    // Its container is on the worker: galley cannot inspect it from B, and says no digest instead of failing.
    expect(result.stdout).toMatch(/^ {2}app +local\/busybox:1 +no digest$/m);
  });
});
