// Fixture recipes and apps for the deploy tests: two services (`app`, an
// httpd with a healthcheck, and `db`, a sleeper), `init: true` and a short
// stop grace so updates and removals are fast, no published ports (no IPVS
// here), images from local/busybox only.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CliResult, runGalley } from '../support/cli.js';
import type { Swarm } from '../support/index.js';

export const HTTPD = 'echo ok > /tmp/index.html && exec httpd -f -p 8080 -h /tmp';

export interface FixtureOptions {
  /** The version label in compose.yml. */
  version: string;
  /** Tag of local/busybox for the app service. */
  imageTag?: string;
  /** The app's shell command. */
  command?: string;
  healthcheck?: { startPeriod?: string; retries?: number; interval?: string } | false;
  /** update_config.failure_action of the app. */
  failureAction?: 'pause' | 'rollback' | 'continue';
  /** The `coop-cloud.<stack>.timeout` label's default. */
  timeout?: number;
  /** Secrets: name → env modifiers comment (e.g. "length=24"). */
  secrets?: Record<string, string>;
  /** Content of the config template greeting.txt (versioned by GREETING_VERSION in abra.sh). */
  greeting?: string;
  greetingVersion?: string;
  /** Settings the app reads without a default (`KEY=${KEY}`): name → `.env.sample` value. */
  settings?: Record<string, string>;
  /** Settings the app passes through (`environment: [KEY]`): name → `.env.sample` value. */
  passThrough?: Record<string, string>;
}

export function composeFile(o: FixtureOptions): string {
  const secrets = Object.keys(o.secrets ?? {});
  const hc = o.healthcheck === false ? undefined : (o.healthcheck ?? {});
  const lines = [
    'version: "3.8"',
    'services:',
    '  app:',
    `    image: local/busybox:${o.imageTag ?? '1'}`,
    '    init: true',
    '    stop_grace_period: 1s',
    `    command: ["sh", "-c", ${JSON.stringify(o.command ?? HTTPD)}]`,
    '    volumes:',
    '      - data:/data',
    '    configs:',
    '      - source: greeting',
    '        target: /greeting.txt',
  ];
  if (secrets.length) lines.push('    secrets:', ...secrets.map((s) => `      - ${s}`));
  const settings = Object.keys(o.settings ?? {}).map((k) => `      - ${k}=\${${k}}`);
  const passed = Object.keys(o.passThrough ?? {}).map((k) => `      - ${k}`);
  if (settings.length || passed.length) lines.push('    environment:', ...settings, ...passed);
  if (hc) {
    lines.push(
      '    healthcheck:',
      '      test: ["CMD", "sh", "-c", "timeout 2 wget -q -O- http://127.0.0.1:8080/ >/dev/null"]',
      `      interval: ${hc.interval ?? '1s'}`,
      '      timeout: 2s',
      `      retries: ${hc.retries ?? 3}`,
    );
    if (hc.startPeriod) lines.push(`      start_period: ${hc.startPeriod}`);
  }
  lines.push(
    '    deploy:',
    '      restart_policy:',
    '        delay: 1s',
    '      update_config:',
    '        monitor: 1s',
    `        failure_action: ${o.failureAction ?? 'pause'}`,
    '      rollback_config:',
    '        monitor: 1s',
    '      labels:',
    '        - "traefik.enable=true"',
    '        - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=8080"',
    '        - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"',
    '        - "traefik.http.routers.${STACK_NAME}.entrypoints=web-secure"',
    `        - "coop-cloud.\${STACK_NAME}.version=${o.version}"`,
    `        - "coop-cloud.\${STACK_NAME}.timeout=\${TIMEOUT:-${o.timeout ?? 60}}"`,
    '  db:',
    '    image: local/busybox:1',
    '    init: true',
    '    stop_grace_period: 1s',
    '    command: ["sleep", "1000000"]',
    '    deploy:',
    '      endpoint_mode: dnsrr',
    '      restart_policy:',
    '        delay: 1s',
    '      update_config:',
    '        monitor: 1s',
    'volumes:',
    '  data:',
    'configs:',
    '  greeting:',
    '    name: ${STACK_NAME}_greeting_${GREETING_VERSION}',
    '    file: greeting.txt',
  );
  if (secrets.length) {
    lines.push('secrets:');
    for (const s of secrets) lines.push(`  ${s}:`, '    external: true', `    name: \${STACK_NAME}_${s}_\${SECRET_${s.toUpperCase()}_VERSION}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The files of a recipe version. */
export function recipeFiles(recipe: string, o: FixtureOptions): Record<string, string> {
  const env = [
    `TYPE=${recipe}`,
    'DOMAIN=example.org',
    ...Object.entries(o.secrets ?? {}).map(([s, m]) => `SECRET_${s.toUpperCase()}_VERSION=v1${m ? ` # ${m}` : ''}`),
    ...Object.entries({ ...o.settings, ...o.passThrough }).map(([k, v]) => `${k}=${v}`),
  ];
  return {
    'compose.yml': composeFile(o),
    'abra.sh': `export GREETING_VERSION=${o.greetingVersion ?? 'v1'}\n`,
    'greeting.txt': o.greeting ?? 'hello from $STACK\n',
    '.env.sample': `${env.join('\n')}\n`,
    'README.md': [
      `# ${recipe}`,
      '',
      '<!-- metadata -->',
      '* **Category**: Apps',
      '* **Status**: 1, alpha',
      '* **Image**: [`busybox`](https://hub.docker.com/_/busybox), 4, upstream',
      '* **Healthcheck**: Yes',
      '* **Backups**: No',
      '* **Email**: N/A',
      '* **Tests**: 2',
      '* **SSO**: N/A',
      '<!-- endmetadata -->',
      '',
      "A fixture recipe of galley's deploy tests.",
      '',
    ].join('\n'),
  };
}

/** A unique stack-safe app name: the domain `<prefix>-<random>.example`. */
export function uniqueDomain(prefix: string): { domain: string; stack: string } {
  const domain = `gdt-${prefix}-${randomBytes(3).toString('hex')}.example`;
  return { domain, stack: domain.replace(/\./g, '_') };
}

export function writeAppEnv(dir: string, name: string, lines: string[]): string {
  const file = path.join(dir, `${name}.env`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `galley-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The operator config the deploy tests run with: a 3 s stability window
 * for services without a healthcheck (the default 10 s is tested on its
 * own), so the suite stays short.
 */
export function deployConfig(home: string): string {
  const file = path.join(home, 'deploy.yml');
  writeFileSync(file, 'stability: 3\n');
  return file;
}

/** Runs galley with a private lock folder, abra home and operator config, recording every output. */
export class GalleyRunner {
  readonly transcript: string[] = [];

  constructor(
    readonly home: string,
    private readonly env: Record<string, string> = {},
  ) {}

  async run(args: string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
    const result = await runGalley(args, {
      env: {
        GALLEY_LOCK_DIR: path.join(this.home, 'locks'),
        ABRA_DIR: path.join(this.home, 'abra'),
        GALLEY_DEPLOY_CONFIG: deployConfig(this.home),
        ...this.env,
        ...options.env,
      },
      ...(options.input !== undefined ? { input: options.input } : {}),
      timeoutMs: options.timeoutMs ?? 240_000,
    });
    this.transcript.push(result.stdout, result.stderr);
    return result;
  }
}

/** Asserts a galley exit code, showing everything galley printed when it differs. */
export function expectExit(result: CliResult, code: number): void {
  if (result.code !== code) {
    throw new Error(`galley exited ${result.code}, expected ${code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`);
  }
}

/** Spec labels of a service. */
export async function serviceLabels(swarm: Swarm, service: string): Promise<Record<string, string>> {
  return JSON.parse(await swarm.docker(['service', 'inspect', '--format', '{{json .Spec.Labels}}', service])) as Record<string, string>;
}

export async function lines(swarm: Swarm, args: string[]): Promise<string[]> {
  return (await swarm.docker(args))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
}

/** Removes everything a test app left: stack, secrets, volumes, the swarm lock. */
export async function cleanUpApp(swarm: Swarm, stack: string): Promise<void> {
  await swarm.removeStack(stack).catch(() => undefined);
  const secrets = (await lines(swarm, ['secret', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith(`${stack}_`));
  if (secrets.length) await swarm.dockerResult(['secret', 'rm', ...secrets]);
  const configs = (await lines(swarm, ['config', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith(`${stack}_`) || n === `galley-lock.${stack}`);
  if (configs.length) await swarm.dockerResult(['config', 'rm', ...configs]);
  const volumes = await lines(swarm, ['volume', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`]);
  if (volumes.length) await swarm.dockerResult(['volume', 'rm', ...volumes]);
}

/** The id of a running container of a service on this node. */
export async function containerOf(swarm: Swarm, service: string): Promise<string> {
  const ids = await lines(swarm, ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${service}`, '--filter', 'status=running']);
  if (!ids.length) throw new Error(`no running container of ${service}`);
  return ids[0]!;
}
