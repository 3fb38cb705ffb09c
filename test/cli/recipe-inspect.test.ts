import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from '@jest/globals';
import { GALLEY_BIN, runGalley } from '../support/cli.js';
import { commitAll, removeTree, writeTree } from '../support/recipe-fixtures.js';

describe('galley recipe inspect', () => {
  const temp: string[] = [];
  afterAll(() => temp.forEach(removeTree));

  it('prints the resolved example recipe, never secret values', async () => {
    const result = await runGalley(['recipe', 'inspect', 'examples/recipes/forum']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('compose files in use: compose.yml, compose.postgres.yml');
    expect(result.stdout).toContain('db_password: SECRET_DB_PASSWORD_VERSION=v1  # length=48  → forum_example_com_db_password_v1');
    expect(result.stdout).toContain('entrypoint: entrypoint.sh.tmpl (golang)  ENTRYPOINT_VERSION=v1 from abra.sh');
    expect(result.stdout).toContain('app: ghcr.io/nodebb/nodebb:3.8.4');
    expect(result.stderr).toBe('');
  });

  it('prints JSON with --json and resolves with an app env file', async () => {
    const dir = writeTree({
      'chat.env':
        'TYPE=forum\nDOMAIN=chat.coop.example\nCOMPOSE_FILE="compose.yml:compose.smtp.yml"\nSMTP_HOST=mail\nSECRET_SMTP_PASSWORD_VERSION=v3\nSECRET_ADMIN_PASSWORD_VERSION=v2\n',
    });
    temp.push(dir);
    const result = await runGalley(['recipe', 'inspect', 'examples/recipes/forum', '--env', `${dir}/chat.env`, '--json']);
    expect(result.code).toBe(0);
    const description = JSON.parse(result.stdout);
    expect(description.stackName).toBe('chat_coop_example');
    expect(description.composeFiles.inUse).toEqual(['compose.yml', 'compose.smtp.yml']);
    expect(description.secrets.map((s: { name: string; version?: string }) => [s.name, s.version])).toEqual([
      ['admin_password', 'v2'],
      ['smtp_password', 'v3'],
    ]);
  });

  it('reads a recipe at a git tag', async () => {
    const repo = writeTree({});
    temp.push(repo);
    commitAll(repo, [
      { files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.26.0\n' }, tags: [{ name: '1.0.0+1.26.0', annotated: true }] },
      { files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.0\n' }, tags: [{ name: '1.1.0+1.27.0', annotated: false }] },
    ]);
    const result = await runGalley(['recipe', 'inspect', `${repo}#1.0.0+1.26.0`, '--json']);
    expect(result.code).toBe(0);
    const description = JSON.parse(result.stdout);
    expect(description.services[0].image.resolved).toBe('nginx:1.26.0');
    expect(description.versions.map((v: { tag: string; annotated: boolean }) => [v.tag, v.annotated])).toEqual([
      ['1.0.0+1.26.0', true],
      ['1.1.0+1.27.0', false],
    ]);
  });

  it('reports malformed YAML as file:line:col with exit code 2 and no stack trace', async () => {
    const dir = writeTree({ 'compose.yml': 'services:\n  app:\n    image: nginx\n    ports: [80\n' });
    temp.push(dir);
    const result = await runGalley(['recipe', 'inspect', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^compose\.yml:\d+:\d+: /m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a 20 MB compose file and an alias bomb with a clear message', async () => {
    const bomb = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const dir = writeTree({
      'compose.yml': `services:\n  app:\n    image: nginx:1\n    labels:\n${'      - "x=yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"\n'.repeat(360_000)}`,
      'compose.bomb.yml': bomb.join('\n'),
    });
    temp.push(dir);
    const result = await runGalley(['recipe', 'inspect', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^compose\.yml:1:1: compose\.yml is 2\d\.\d MiB; galley reads recipe text files up to 4\.0 MiB$/m);
    expect(result.stderr).toMatch(
      /^compose\.bomb\.yml:1:1: compose\.bomb\.yml: aliases expand to more than \d+ nodes \(a "billion laughs" document\); refusing to read it$/m,
    );
  });

  it('reports a missing folder and an unknown ref with exit code 2', async () => {
    const missing = await runGalley(['recipe', 'inspect', 'no/such/recipe']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('galley: no/such/recipe does not exist: give a recipe folder, a compose file or a git-url#ref\n');
    const repo = writeTree({});
    temp.push(repo);
    commitAll(repo, [{ files: { 'compose.yml': 'services: {}\n' } }]);
    const unknownRef = await runGalley(['recipe', 'inspect', `${repo}#9.9.9`]);
    expect(unknownRef.code).toBe(2);
    expect(unknownRef.stderr).toContain('has no commit or tag "9.9.9"');
  });

  it('reports an unreachable git host with exit code 2', async () => {
    const result = await runGalley(['recipe', 'inspect', 'git://127.0.0.1:1/nothing.git#1.0.0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^galley: cannot clone git:\/\/127\.0\.0\.1:1\/nothing\.git: .*Check the URL and that the host is reachable\.\n$/s);
  });

  it('rejects unknown options with exit code 2', async () => {
    const result = await runGalley(['recipe', 'inspect', '--nope', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--nope'");
  });
});

describe('galley --help and --version', () => {
  const temp: string[] = [];
  afterAll(() => temp.forEach(removeTree));

  it('prints the version', async () => {
    const result = await runGalley(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits quietly when its output pipe is closed early (galley … | head)', async () => {
    const services = Array.from({ length: 3000 }, (_, i) => `  s${i}:\n    image: nginx\n`).join('');
    const dir = writeTree({ 'compose.yml': `services:\n${services}` });
    temp.push(dir);
    const child = spawn(process.execPath, [GALLEY_BIN, 'lint', '--format', 'json', `${dir}/compose.yml`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0); // the reader went away: nothing left to report, not a crash
  });

  it('documents exit codes in --help', async () => {
    const result = await runGalley(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Exit codes:');
    expect(result.stdout).toContain('2  unusable input or configuration');
  });
});
