// Secrets: created with the right names and lengths, never printed (every
// output of every galley run here is searched for the values), never in a
// file galley wrote; generate=false stops the deploy with the command to
// insert it; galley secret generate|insert|ls|rm.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DEFAULT_WORDLIST } from 'secure-password-utilities/wordlists';
import { type Swarm, swarm } from '../support/index.js';
import { writeTree } from '../support/recipe-fixtures.js';
import { cleanUpApp, containerOf, expectExit, GalleyRunner, lines, recipeFiles, removeDir, tempDir, uniqueDomain, writeAppEnv } from './fixtures.js';

jest.setTimeout(300_000);

const SECRETS = { db_password: 'length=24', api_key: '', token: 'length=16 charset=hex', smtp_password: 'generate=false' };
const INSERTED = 'inserted-Smtp-Value-7f3e9';

/** Every file under a folder, recursively (what galley may have written there). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      const info = statSync(full, { throwIfNoEntry: false });
      if (info?.isDirectory()) walk(full);
      else if (info?.isFile()) out.push(full);
    }
  };
  walk(dir);
  return out;
}

describe('app secrets', () => {
  let sw: Swarm;
  const home = tempDir('deploy-secrets');
  const { domain, stack } = uniqueDomain('sec');
  const galley = new GalleyRunner(home);
  let recipe: string;
  let envFile: string;
  const envLines = (dbVersion = 'v1') => [
    'TYPE=gdtsec',
    `DOMAIN=${domain}`,
    `SECRET_DB_PASSWORD_VERSION=${dbVersion} # length=24`,
    'SECRET_API_KEY_VERSION=v1',
    'SECRET_TOKEN_VERSION=v1 # length=16 charset=hex',
    'SECRET_SMTP_PASSWORD_VERSION=v1 # generate=false',
  ];
  const values: Record<string, string> = {};
  const tmpBefore = new Set(readdirSync(os.tmpdir()));

  beforeAll(async () => {
    sw = await swarm();
    recipe = writeTree(recipeFiles('gdtsec', { version: '0.1.0+1', secrets: SECRETS }), 'galley-deploy-secrets-recipe-');
    envFile = writeAppEnv(home, 'sec', envLines());
  });

  afterAll(async () => {
    await cleanUpApp(sw, stack);
    removeDir(home);
    removeDir(recipe);
  });

  const names = async () => (await lines(sw, ['secret', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith(`${stack}_`));

  it('--dry-run prints the compose file and the secrets it would create, by name only, and changes nothing', async () => {
    const result = await galley.run(['deploy', envFile, '--recipe', recipe, '--chaos', '--dry-run']);
    expectExit(result, 0);
    expect(result.stdout).toContain(`name: ${stack}_db_password_v1`);
    expect(result.stdout).toContain(
      `# secrets that would be created: ${stack}_db_password_v1 (24 characters), ${stack}_api_key_v1 (6-word passphrase), ${stack}_token_v1 (16 characters (hex))`,
    );
    expect(result.stdout).toContain(`# secrets to insert by hand first: ${stack}_smtp_password_v1`);
    expect(result.stdout).toContain(`# configs that would be created: ${stack}_greeting_v1`);
    expect(result.stdout).toMatch(/coop-cloud\.[\w-]+\.chaos: "true"/);
    expect(await names()).toEqual([]);
    expect(await lines(sw, ['service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`])).toEqual([]);
  });

  it('stops before changing anything when a generate=false secret is missing, saying how to insert it', async () => {
    const result = await galley.run(['deploy', envFile, '--recipe', recipe, '--chaos']);
    expectExit(result, 2);
    expect(result.stderr).toContain(
      `galley: a secret galley must not generate is missing; insert it, then deploy again:\n  ${stack}_smtp_password_v1: galley secret insert ${envFile} smtp_password v1 -`,
    );
    expect(await names()).toEqual([]);
  });

  it('inserts a secret from stdin only, and refuses to overwrite it', async () => {
    const inArgs = await galley.run(['secret', 'insert', envFile, 'smtp_password', 'v1', 'some-value', '--recipe', recipe, '--chaos']);
    expectExit(inArgs, 2);
    expect(inArgs.stderr).toContain('reads secret values from stdin only');
    const inserted = await galley.run(['secret', 'insert', envFile, 'smtp_password', 'v1', '-', '--recipe', recipe, '--chaos'], { input: `${INSERTED}\n` });
    expectExit(inserted, 0);
    expect(inserted.stdout).toBe(`created ${stack}_smtp_password_v1\n`);
    const again = await galley.run(['secret', 'insert', envFile, 'smtp_password', 'v1', '-', '--recipe', recipe, '--chaos'], { input: 'other' });
    expectExit(again, 2);
    expect(again.stderr).toContain(`secret ${stack}_smtp_password_v1 already exists: secrets are immutable`);
    const unknown = await galley.run(['secret', 'insert', envFile, 'nope', 'v1', '-', '--recipe', recipe, '--chaos'], { input: 'x' });
    expectExit(unknown, 2);
    expect(unknown.stderr).toContain('declares no external secret "nope"; its secrets: db_password, api_key, token, smtp_password');
  });

  it('deploys, creating the missing secrets with the right names, lengths and alphabets', async () => {
    const result = await galley.run(['deploy', envFile, '--recipe', recipe, '--chaos']);
    expectExit(result, 0);
    expect(result.stdout).toContain(`secrets created: ${stack}_db_password_v1, ${stack}_api_key_v1, ${stack}_token_v1`);
    expect(result.stderr).toContain(`created secret ${stack}_token_v1 (16 characters (hex))`);
    expect(await names()).toEqual([`${stack}_api_key_v1`, `${stack}_db_password_v1`, `${stack}_smtp_password_v1`, `${stack}_token_v1`].sort());
    const container = await containerOf(sw, `${stack}_app`);
    for (const key of Object.keys(SECRETS)) values[key] = await sw.docker(['exec', container, 'cat', `/run/secrets/${key}`]);
    expect(values.db_password).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(values.token).toMatch(/^[0-9a-f]{16}$/);
    const words = values.api_key!.split('-');
    expect(words).toHaveLength(6);
    for (const w of words) expect(DEFAULT_WORDLIST).toContain(w);
    expect(values.smtp_password).toBe(INSERTED);
  });

  it('lists the secrets, generates a new version, removes one', async () => {
    const ls = await galley.run(['secret', 'ls', envFile, '--recipe', recipe, '--chaos']);
    expectExit(ls, 0);
    expect(ls.stdout).toMatch(new RegExp(`^db_password +v1 +${stack}_db_password_v1 +yes +24 characters *$`, 'm'));
    expect(ls.stdout).toMatch(new RegExp(`^smtp_password +v1 +${stack}_smtp_password_v1 +yes +inserted by hand \\(generate=false\\) *$`, 'm'));

    writeFileSync(envFile, `${envLines('v2').join('\n')}\n`);
    const generated = await galley.run(['secret', 'generate', envFile, 'db_password', '--recipe', recipe, '--chaos']);
    expectExit(generated, 0);
    expect(generated.stdout).toBe(`created ${stack}_db_password_v2 (24 characters)\n`);
    const all = await galley.run(['secret', 'generate', envFile, '--recipe', recipe, '--chaos']);
    expectExit(all, 0);
    expect(all.stdout).toContain(`skipped ${stack}_db_password_v2: exists (secrets are immutable`);
    const listed = JSON.parse((await galley.run(['secret', 'ls', envFile, '--recipe', recipe, '--chaos', '--json'])).stdout) as {
      secret: string;
      version: string;
      exists: boolean;
      otherVersions: string[];
    }[];
    expect(listed.find((s) => s.secret === 'db_password')).toMatchObject({ version: 'v2', exists: true, otherVersions: [`${stack}_db_password_v1`] });

    const inUse = await galley.run(['secret', 'rm', envFile, 'db_password', 'v1', '--recipe', recipe, '--chaos']);
    expectExit(inUse, 1);
    expect(inUse.stderr).toMatch(/in use/);
    const removed = await galley.run(['secret', 'rm', envFile, 'db_password', '--recipe', recipe, '--chaos']);
    expectExit(removed, 0);
    expect(removed.stdout).toBe(`removed ${stack}_db_password_v2\n`);
    expect(await names()).not.toContain(`${stack}_db_password_v2`);
    writeFileSync(envFile, `${envLines('v1').join('\n')}\n`);
  });

  it('never prints a secret value, and never writes one to a file', async () => {
    // A failing run too: the error path must not leak either.
    const failing = await galley.run(['deploy', envFile, '--recipe', recipe, '--chaos']);
    expectExit(failing, 2);
    await galley.run(['deploy', envFile, '--recipe', recipe, '--chaos', '--dry-run', '--force', '--json']);
    await galley.run(['undeploy', envFile]);
    const rm = await galley.run(['secret', 'rm', envFile, '--all', '--recipe', recipe, '--chaos']);
    expectExit(rm, 0);
    expect(await names()).toEqual([]);

    expect(Object.keys(values)).toHaveLength(4);
    const output = galley.transcript.join('\n');
    expect(galley.transcript.length).toBeGreaterThan(20);
    for (const [key, value] of Object.entries(values)) {
      expect(value.length).toBeGreaterThan(8);
      expect({ key, found: output.includes(value) }).toEqual({ key, found: false });
    }
    const written = [
      ...filesUnder(home),
      ...readdirSync(os.tmpdir())
        .filter((n) => n.startsWith('galley-deploy-') && !tmpBefore.has(n))
        .flatMap((n) => filesUnder(path.join(os.tmpdir(), n))),
    ];
    for (const file of written) {
      const text = readFileSync(file, 'utf8');
      for (const value of Object.values(values)) expect({ file, found: text.includes(value) }).toEqual({ file, found: false });
    }
  });
});
