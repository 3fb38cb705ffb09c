import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BUSYBOX_LAYOUT_LABEL, busyboxLayout, freePort, type Swarm, swarm, waitForHttp } from './index.js';

const TIMEOUT = 120_000;
const suffix = randomBytes(3).toString('hex');
const service = `galley-smoke-${suffix}`;
const stack = `galleysmoke${suffix}`;
const tag = `smoke-${suffix}`;

describe('swarm (local docker engine, single-node swarm)', () => {
  let s: Swarm;

  beforeAll(async () => {
    s = await swarm();
  }, TIMEOUT);

  afterAll(async () => {
    if (!s) return;
    await s.removeService(service).catch(() => undefined);
    await s.removeStack(stack).catch(() => undefined);
    await s.dockerResult(['image', 'rm', `local/busybox:${tag}`]);
  }, TIMEOUT);

  it('finds the engine, an active swarm and local/busybox:1 as provision.sh imported it', async () => {
    expect(s.image).toBe('local/busybox:1');
    expect(s.apiVersion).toMatch(/^1\.\d+$/);
    expect((await s.docker(['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'])).trim()).toBe('active true');
    const label = await s.docker(['image', 'inspect', '--format', `{{index .Config.Labels "${BUSYBOX_LAYOUT_LABEL}"}}`, s.image]);
    expect(label.trim()).toBe(await busyboxLayout());
  });

  it(
    'imports another busybox tag once, and the image runs its applets',
    async () => {
      await s.dockerResult(['image', 'rm', `local/busybox:${tag}`]);
      const ref = await s.ensureImage(tag);
      expect(ref).toBe(`local/busybox:${tag}`);
      const id = (await s.docker(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
      await s.ensureImage(tag);
      expect((await s.docker(['image', 'inspect', '--format', '{{.Id}}', ref])).trim()).toBe(id);
      const out = await s.docker(['run', '--rm', '--network', 'none', ref, 'sh', '-c', 'echo hello from $(busybox | head -n1 | cut -d" " -f1)']);
      expect(out.trim()).toBe('hello from BusyBox');
    },
    TIMEOUT,
  );

  it(
    'runs a one-replica service of local/busybox to Running, then removes it',
    async () => {
      await s.docker([
        'service',
        'create',
        '--detach',
        '--no-resolve-image',
        '--name',
        service,
        '--replicas',
        '1',
        '--stop-grace-period',
        '1s',
        s.image,
        'sleep',
        '3600',
      ]);
      const running = await s.waitForServiceRunning(service);
      expect(running).toHaveLength(1);
      expect(running[0]?.currentState).toMatch(/^Running/);
      const containers = await s.docker(['ps', '--filter', `label=com.docker.swarm.service.name=${service}`, '--format', '{{.Image}} {{.Command}}']);
      expect(containers.trim()).toBe(`${s.image} "sleep 3600"`);

      await s.removeService(service);
      expect(await s.docker(['service', 'ls', '-q', '--filter', `name=${service}`])).toBe('');
    },
    TIMEOUT,
  );

  it(
    'deploys a stack from stdin with a host-mode port, then removes it completely',
    async () => {
      const port = await freePort();
      const compose = [
        'version: "3.8"',
        'services:',
        '  web:',
        `    image: ${s.image}`,
        '    init: true',
        '    command: ["sh", "-c", "mkdir -p /www && echo hello-stack > /www/index.html && exec httpd -f -p 8080 -h /www"]',
        '    ports:',
        `      - { target: 8080, published: ${port}, protocol: tcp, mode: host }`,
        '    deploy:',
        '      endpoint_mode: dnsrr',
        '',
      ].join('\n');
      await s.docker(['stack', 'deploy', '--detach=true', '--resolve-image', 'never', '-c', '-', stack], { input: compose });
      await s.waitForServiceRunning(`${stack}_web`);
      await waitForHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 30_000 });
      const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(body.trim()).toBe('hello-stack');

      await s.removeStack(stack);
      expect(await s.docker(['stack', 'ls', '--format', '{{.Name}}'])).not.toContain(stack);
    },
    TIMEOUT,
  );
});
