// galley deploy / ps / undeploy against the real local swarm: a release
// deploys and converges, a new release updates it, a release whose app exits
// at once fails, is reported with the task error and its logs and is rolled
// back, and undeploy keeps volumes and secrets unless --prune.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Swarm, swarm } from '../support/index.js';
import { commitAll } from '../support/recipe-fixtures.js';
import { cleanUpApp, expectExit, GalleyRunner, lines, recipeFiles, removeDir, serviceLabels, tempDir, uniqueDomain, writeAppEnv } from './fixtures.js';

jest.setTimeout(300_000);

describe('galley deploy, ps and undeploy of a release', () => {
  let sw: Swarm;
  const home = tempDir('deploy-life');
  const repo = tempDir('deploy-life-recipe');
  const { domain, stack } = uniqueDomain('life');
  const galley = new GalleyRunner(home);
  let envFile: string;
  const secrets = { db_password: 'length=24' };

  beforeAll(async () => {
    sw = await swarm();
    await sw.ensureImage('2');
    commitAll(repo, [
      { files: recipeFiles('gdtlife', { version: '1.0.0+1', secrets }), tags: [{ name: '1.0.0+1', annotated: true }] },
      { files: recipeFiles('gdtlife', { version: '1.1.0+2', imageTag: '2', secrets }), tags: [{ name: '1.1.0+2', annotated: true }] },
      {
        files: recipeFiles('gdtlife', { version: '1.2.0+2', imageTag: '2', secrets, command: 'echo "app is crashing on purpose"; exit 3' }),
        tags: [{ name: '1.2.0+2', annotated: true }],
      },
    ]);
    envFile = writeAppEnv(home, 'life', ['TYPE=gdtlife', `DOMAIN=${domain}`, 'SECRET_DB_PASSWORD_VERSION=v1 # length=24']);
  });

  afterAll(async () => {
    await cleanUpApp(sw, stack);
    removeDir(home);
    removeDir(repo);
  });

  it('deploys a release and waits until both services run', async () => {
    const result = await galley.run(['deploy', envFile, '--recipe', repo, '--version', '1.0.0+1']);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expectExit(result, 0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^deployed gdtlife 1\\.0\\.0\\+1 as ${stack} on server default \\(docker context default: unix:///var/run/docker\\.sock\\) in \\d+\\.\\d s`,
        'm',
      ),
    );
    expect(result.stdout).toMatch(/^ {2}app {2}local\/busybox:1 {2}(sha256:|image sha256:)[0-9a-f]{64}$/m);
    expect(result.stdout).toContain(`secrets created: ${stack}_db_password_v1`);
    expect(result.stderr).toMatch(/app: converged 1\/1/);
    const labels = await serviceLabels(sw, `${stack}_app`);
    expect(labels).toMatchObject({
      [`coop-cloud.${stack}.recipe`]: 'gdtlife',
      [`coop-cloud.${stack}.version`]: '1.0.0+1',
      [`coop-cloud.${stack}.chaos`]: 'false',
      [`coop-cloud.${stack}.timeout`]: '60',
    });
    expect(labels[`coop-cloud.${stack}.chaos-version`]).toBeUndefined();
    for (const service of ['app', 'db']) await sw.waitForServiceRunning(`${stack}_${service}`, { timeoutMs: 5_000 });
    // The config came from the git tag, materialised into a temporary folder that is gone again.
    const config = JSON.parse(await sw.docker(['config', 'inspect', `${stack}_greeting_v1`])) as { Spec: { Data: string } }[];
    expect(Buffer.from(config[0]!.Spec.Data, 'base64').toString()).toBe('hello from $STACK\n');
  });

  it('refuses to deploy over a running deployment without --force, changing nothing', async () => {
    const before = await sw.docker(['service', 'inspect', '--format', '{{.Version.Index}}', `${stack}_app`]);
    const result = await galley.run(['deploy', envFile, '--recipe', repo, '--version', '1.1.0+2']);
    expectExit(result, 2);
    expect(result.stderr).toContain(
      `galley: ${stack} is already deployed (1.0.0+1) on server default (docker context default: unix:///var/run/docker.sock); deploying 1.1.0+2 replaces it: run again with --force`,
    );
    expect(await sw.docker(['service', 'inspect', '--format', '{{.Version.Index}}', `${stack}_app`])).toBe(before);
  });

  it('shows what runs and which version with galley ps', async () => {
    const result = await galley.run(['ps', envFile]);
    expectExit(result, 0);
    expect(result.stdout).toContain(`${stack} on server default (docker context default: unix:///var/run/docker.sock): gdtlife 1.0.0+1`);
    expect(result.stdout).toMatch(/^ {2}app +1\/1 +local\/busybox:1/m);
    expect(result.stdout).toMatch(/^ {2}db +1\/1 +local\/busybox:1/m);
    const json = JSON.parse((await galley.run(['ps', envFile, '--json'])).stdout) as {
      deployed: boolean;
      version: { version: string };
      services: { name: string; running: number }[];
    };
    expect(json.deployed).toBe(true);
    expect(json.version.version).toBe('1.0.0+1');
    expect(json.services.map((s) => [s.name, s.running])).toEqual([
      ['app', 1],
      ['db', 1],
    ]);
  });

  it('updates to a new release with --force', async () => {
    const result = await galley.run(['deploy', envFile, '--recipe', repo, '--version', '1.1.0+2', '--force']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^deployed gdtlife 1\\.1\\.0\\+2 as ${stack} on server default \\(docker context default: unix:///var/run/docker\\.sock\\) in .* \\(was 1\\.0\\.0\\+1\\)$`,
        'm',
      ),
    );
    expect(result.stdout).toMatch(/^ {2}app {2}local\/busybox:2 /m);
    expect(result.stdout).not.toContain('secrets created');
    expect((await serviceLabels(sw, `${stack}_app`))[`coop-cloud.${stack}.version`]).toBe('1.1.0+2');
    expect((await sw.docker(['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', `${stack}_app`])).trim()).toBe('local/busybox:2');
    const running = await sw.serviceTasks(`${stack}_app`);
    expect(running.filter((t) => t.desiredState === 'Running' && t.currentState.startsWith('Running'))).toHaveLength(1);
  });

  it('reports a release whose app exits at once as failed, with the task error and logs, and rolls it back', async () => {
    const result = await galley.run(['deploy', envFile, '--recipe', repo, '--version', '1.2.0+2', '--force']);
    expectExit(result, 1);
    expect(result.stdout).toMatch(new RegExp(`^deploy of gdtlife 1\\.2\\.0\\+2 as ${stack} on server default .* FAILED after`, 'm'));
    expect(result.stdout).toMatch(/^ {2}app: update paused: /m);
    expect(result.stdout).toContain('last task error: task: non-zero exit (3)');
    expect(result.stdout).toContain('app is crashing on purpose');
    expect(result.stdout).toMatch(/^rolled back to 1\.1\.0\+2 \(rolled back app\)$/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect((await serviceLabels(sw, `${stack}_app`))[`coop-cloud.${stack}.version`]).toBe('1.1.0+2');
    const status = JSON.parse(await sw.docker(['service', 'inspect', '--format', '{{json .UpdateStatus}}', `${stack}_app`])) as { State: string };
    expect(status.State).toBe('rollback_completed');
    await sw.waitForServiceRunning(`${stack}_app`, { timeoutMs: 10_000, tolerateFailures: true });
  });

  it('undeploys, keeping volumes and secrets; --prune removes them', async () => {
    const result = await galley.run(['undeploy', envFile]);
    expectExit(result, 0);
    expect(result.stdout).toContain(`removed ${stack} from server default (docker context default: unix:///var/run/docker.sock): ${stack}_app, ${stack}_db`);
    expect(result.stdout).toContain(`kept secrets: ${stack}_db_password_v1 (--prune removes them)`);
    expect(await lines(sw, ['service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`])).toEqual([]);
    const volumes = await lines(sw, ['volume', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`]);
    expect(volumes).toEqual([`${stack}_data`]);
    expect(result.stdout).toContain(`kept volumes: ${stack}_data`);
    expect((await lines(sw, ['secret', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith(stack))).toEqual([`${stack}_db_password_v1`]);

    const ps = await galley.run(['ps', envFile]);
    expect(ps.stdout).toBe(`${stack} (${domain}) is not deployed on server default (docker context default: unix:///var/run/docker.sock)\n`);

    const pruned = await galley.run(['undeploy', envFile, '--prune', '--recipe', repo, '--version', '1.1.0+2']);
    expectExit(pruned, 0);
    expect(pruned.stdout).toContain(`${stack} was not deployed on server default (docker context default: unix:///var/run/docker.sock): nothing to remove`);
    expect(pruned.stdout).toContain(`removed volumes: ${stack}_data`);
    expect(pruned.stdout).toContain(`removed secrets: ${stack}_db_password_v1`);
    expect(await lines(sw, ['volume', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`])).toEqual([]);
    expect((await lines(sw, ['secret', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith(stack))).toEqual([]);
    // No lock is left behind, here or in the swarm.
    expect(await lines(sw, ['config', 'ls', '--format', '{{.Name}}'])).not.toContain(`galley-lock.${stack}`);
  });
});
