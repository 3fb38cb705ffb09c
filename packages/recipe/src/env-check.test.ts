import { afterAll, describe, expect, it } from '@jest/globals';
import { removeTree, writeTree } from '../../../test/support/recipe-fixtures.js';
import { checkAppEnv, formatEnvProblems, requiredEnvKeys } from './env-check.js';
import { parseEnvFile } from './env-file.js';
import { loadRecipe } from './recipe.js';
import { resolveStack } from './stack.js';

const files = {
  'compose.yml': [
    'services:',
    '  app:',
    '    image: nginx:${TAG:-1.27}',
    '    environment:',
    '      - DOMAIN=${DOMAIN}',
    '      - ADMIN=${ADMIN_EMAIL:?set an admin}',
    '      - LETS_ENCRYPT_ENV=${LETS_ENCRYPT_ENV:-staging}',
    '    secrets: [db_password]',
    'secrets:',
    '  db_password:',
    '    external: true',
    '    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}',
  ].join('\n'),
  'compose.smtp.yml': 'services:\n  app:\n    environment:\n      - SMTP_HOST=${SMTP_HOST}\n',
  '.env.sample': [
    'TYPE=forum',
    'DOMAIN=forum.example.com',
    'ADMIN_EMAIL=admin@example.com',
    'LETS_ENCRYPT_ENV=production',
    'TAG=1.27',
    '#COMPOSE_FILE="compose.yml:compose.smtp.yml"',
    'SMTP_HOST=mail.example.com',
    'SECRET_DB_PASSWORD_VERSION=v1 # length=32',
  ].join('\n'),
  'abra.sh': 'export APP_CONFIG_VERSION=v1\n',
};

describe('app env against its recipe', () => {
  const dir = writeTree(files);
  afterAll(() => removeTree(dir));
  const env = (lines: string[]) => parseEnvFile(`${lines.join('\n')}\n`, 'app.env');
  const good = ['TYPE=forum:1.0.0+1', 'DOMAIN=a.example', 'ADMIN_EMAIL=me@a.example', 'SECRET_DB_PASSWORD_VERSION=v1 # length=32'];

  it('requires what .env.sample sets and the used compose files read without a default', async () => {
    const recipe = await loadRecipe(dir);
    // TAG and LETS_ENCRYPT_ENV have defaults; SMTP_HOST is only read by an overlay not in use.
    expect(requiredEnvKeys(recipe)).toEqual(['ADMIN_EMAIL', 'DOMAIN', 'SECRET_DB_PASSWORD_VERSION']);
    const withSmtp = resolveStack(recipe, { composeFiles: ['compose.yml', 'compose.smtp.yml'] });
    expect(requiredEnvKeys(recipe, withSmtp)).toEqual(['ADMIN_EMAIL', 'DOMAIN', 'SECRET_DB_PASSWORD_VERSION', 'SMTP_HOST']);
  });

  it('requires a key .env.sample sets and compose passes through (environment: [KEY]), as docker stack deploy takes it from the app env', async () => {
    const passed = writeTree({
      'compose.yml':
        'services:\n  app:\n    image: nginx:1.27\n    environment:\n      - TZ\n      - LOG_LEVEL=${LOG_LEVEL:-info}\n  db:\n    image: postgres:16\n    environment:\n      PGTZ:\n',
      '.env.sample': 'TYPE=forum\nDOMAIN=forum.example.com\nTZ=Europe/Berlin\nPGTZ=UTC\n#LOG_LEVEL=debug\n',
    });
    try {
      const recipe = await loadRecipe(passed);
      expect(requiredEnvKeys(recipe)).toEqual(['PGTZ', 'TZ']);
      const check = checkAppEnv(recipe, env(['TYPE=forum', 'DOMAIN=a.example', 'PGTZ=UTC']));
      expect(check.errors.map((e) => [e.kind, e.key])).toEqual([['missing-key', 'TZ']]);
    } finally {
      removeTree(passed);
    }
  });

  it('passes an app env that matches', async () => {
    const recipe = await loadRecipe(dir);
    expect(checkAppEnv(recipe, env([...good, 'COMPOSE_FILE=compose.yml', 'APP_CONFIG_VERSION=v2', 'POST_DEPLOY_CMDS="app migrate"']))).toEqual({
      errors: [],
      warnings: [],
    });
  });

  it.each([
    ['LETS_ENCRYPT_EVN=production', 'unknown-key', 'LETS_ENCRYPT_EVN is not a setting of recipe', 'LETS_ENCRYPT_ENV'],
    ['COMPOSE_FILES=compose.yml', 'unknown-key', 'COMPOSE_FILES is not a setting of recipe', 'COMPOSE_FILE'],
    ['SECRET_DB_PASWORD_VERSION=v2', 'unknown-key', 'SECRET_DB_PASWORD_VERSION is not a setting of recipe', 'SECRET_DB_PASSWORD_VERSION'],
    ['TOTALLY_ELSEWHERE=1', 'unknown-key', 'not in its .env.sample nor used by its compose files', undefined],
  ])('%s: %s', async (line, kind, message, suggestion) => {
    const recipe = await loadRecipe(dir);
    const check = checkAppEnv(recipe, env([...good, line]));
    expect(check.errors).toHaveLength(1);
    expect(check.errors[0]).toMatchObject({ kind, span: { file: 'app.env', line: 5, col: 1 } });
    expect(check.errors[0]!.message).toContain(message);
    expect(check.errors[0]!.suggestion).toBe(suggestion);
  });

  it.each([
    ['# lenght=32', '"lenght=" is not a secret modifier: did you mean length=?'],
    ['# length=many', 'length=many is not a whole number above 0'],
    ['# generate=maybe', 'generate=maybe is neither true nor false'],
  ])('a bad modifier %s', async (comment, message) => {
    const recipe = await loadRecipe(dir);
    const check = checkAppEnv(recipe, env([...good.slice(0, 3), `SECRET_DB_PASSWORD_VERSION=v1 ${comment}`]));
    expect(check.errors.map((e) => [e.kind, e.message])).toEqual([['bad-modifier', `SECRET_DB_PASSWORD_VERSION: ${message}`]]);
  });

  it('names a missing required key and what .env.sample sets it to', async () => {
    const recipe = await loadRecipe(dir);
    const check = checkAppEnv(recipe, env(good.filter((l) => !l.startsWith('ADMIN_EMAIL'))));
    expect(formatEnvProblems(check.errors)).toBe(
      "  ADMIN_EMAIL is missing: the recipe's compose files need it and .env.sample sets it (ADMIN_EMAIL=admin@example.com)",
    );
  });
});
