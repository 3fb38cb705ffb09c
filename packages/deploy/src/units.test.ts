import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnvFile } from '@galley/recipe';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parseAppEnv, recordDeployedVersion } from './app-env.js';
import type { ServiceProgress } from './converge.js';
import { withValues } from './env-new.js';
import { parseOperatorConfig } from './operator-config.js';
import { postCommands, shellQuote } from './post-deploy.js';
import { formatProgressTable } from './progress.js';
import { serverOfAppEnv } from './server.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-deploy-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the server of an app env file', () => {
  it.each([
    ['/home/op/.abra/servers/example.org/forum.example.org.env', 'example.org'],
    ['servers/b/app.env', 'b'],
    ['/srv/apps/forum.env', undefined],
    ['app.env', undefined],
  ])('%s → %s', (file, server) => {
    expect(serverOfAppEnv(file)).toBe(server);
  });
});

describe('writing the deployed version back', () => {
  it('rewrites the recipe line in place, keeps the rest and the mode, and leaves another recipe alone', async () => {
    const file = path.join(dir, 'app.env');
    writeFileSync(file, '# my app\nTYPE=forum # the recipe\nDOMAIN=a.example\n');
    chmodSync(file, 0o640);
    const app = parseAppEnv(readFileSync(file, 'utf8'), file);
    expect(await recordDeployedVersion(app, '1.2.0+3')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('# my app\nTYPE=forum:1.2.0+3 # the recipe\nDOMAIN=a.example\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(await recordDeployedVersion(app, '1.2.0+3')).toBe(false);
    expect(await recordDeployedVersion(app, '1.1.0+3')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('# my app\nTYPE=forum:1.1.0+3 # the recipe\nDOMAIN=a.example\n');
    // Edited meanwhile to another recipe: left alone.
    writeFileSync(file, 'TYPE=other\nDOMAIN=a.example\n');
    expect(await recordDeployedVersion(app, '1.3.0+3')).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('TYPE=other\nDOMAIN=a.example\n');
  });
});

describe('a new app env from .env.sample', () => {
  it('sets TYPE and DOMAIN in place, keeping comments and modifiers, or adds them on top', () => {
    const sample = '# forum\nTYPE=forum\nDOMAIN=forum.example.com # your domain\nSECRET_X_VERSION=v1 # length=32\n';
    expect(withValues(sample, '.env.sample', { TYPE: 'forum', DOMAIN: 'a.example' })).toBe(
      '# forum\nTYPE=forum\nDOMAIN=a.example # your domain\nSECRET_X_VERSION=v1 # length=32\n',
    );
    expect(withValues('X=1\n', '.env.sample', { TYPE: 'forum', DOMAIN: 'a.example' })).toBe('TYPE=forum\nDOMAIN=a.example\nX=1\n');
  });
});

describe('the operator config', () => {
  it('reads lint levels and the stability window', () => {
    expect(parseOperatorConfig('lint:\n  level: warning\n  rules:\n    recipe/x: off\nstability: 20\n', 'd.yml')).toEqual({
      file: 'd.yml',
      lint: { level: 'warning', rules: { 'recipe/x': 'off' } },
      stability: 20,
    });
    expect(parseOperatorConfig('', 'd.yml')).toEqual({ file: 'd.yml', lint: { rules: {} } });
  });

  it.each([
    ['lint:\n  level: loud\n', 'd.yml: lint.level: must be error, warning or off, not "loud"'],
    ['stabilty: 3\n', 'd.yml: unknown setting stabilty (known: lint, stability)'],
    ['stability: -1\n', 'd.yml: stability: must be a number of seconds (0 or more)'],
    ['lint:\n  rules:\n    x: never\n', 'd.yml: lint.rules.x: must be error, warning, info or off'],
  ])('refuses %j', (text, message) => {
    expect(() => parseOperatorConfig(text, 'd.yml')).toThrow(message);
  });
});

describe('post-deploy commands', () => {
  const abraSh = { file: 'abra.sh', text: '', exports: [], functions: ['migrate', 'set_admin'], lines: undefined as never };
  const env = (value: string) => parseEnvFile(`POST_DEPLOY_CMDS="${value}"\nPOST_UPGRADE_CMDS="app set_admin root"\n`, 'app.env');

  it('parses service, function and arguments; upgrade commands only on an upgrade', () => {
    expect(postCommands(env('app migrate|db migrate --all'), abraSh, ['app', 'db'], false)).toEqual([
      { variable: 'POST_DEPLOY_CMDS', service: 'app', command: 'migrate', args: [] },
      { variable: 'POST_DEPLOY_CMDS', service: 'db', command: 'migrate', args: ['--all'] },
    ]);
    expect(postCommands(env('app migrate'), abraSh, ['app'], true).map((c) => c.command)).toEqual(['migrate', 'set_admin']);
  });

  it.each([
    ['web migrate', 'POST_DEPLOY_CMDS: service web is not in the stack (its services: app)'],
    ['app nope', "POST_DEPLOY_CMDS: the recipe's abra.sh defines no function nope"],
    ['app', 'POST_DEPLOY_CMDS: "app" names no function'],
  ])('refuses %j before deploying', (value, message) => {
    expect(() => postCommands(env(value), abraSh, ['app'], false)).toThrow(message);
  });

  it('quotes arguments for the shell only when needed', () => {
    expect([shellQuote('--all'), shellQuote("it's"), shellQuote('a b')]).toEqual(['--all', "'it'\\''s'", "'a b'"]);
  });
});

describe('the progress table', () => {
  const rows: ServiceProgress[] = [
    { service: 's_app', name: 'app', phase: 'failed', running: 0, desired: 1, detail: 'swarm rolled the update back', reason: 'x', swarmRollback: true },
    { service: 's_db', name: 'db', phase: 'stabilising', running: 1, desired: 1, detail: '1/1 running, stable for 3/10 s' },
  ];

  it('shows a swarm rollback as no task of the new spec running', () => {
    expect(formatProgressTable(rows)[1]).toMatch(/^app +FAILED +0\/1 \(rolled back\) +swarm rolled the update back$/);
  });

  it('cuts nothing on a terminal that reports 0 columns, and cuts to a real width', () => {
    expect(formatProgressTable(rows, 0).every((l) => !l.endsWith('…'))).toBe(true);
    expect(formatProgressTable(rows, 30).every((l) => l.length <= 30)).toBe(true);
  });
});
