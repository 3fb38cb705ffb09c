import { afterAll, describe, expect, it } from '@jest/globals';
import { removeTree, writeTree } from '../../../test/support/recipe-fixtures.js';
import { parseEnvFile } from './env-file.js';
import { loadRecipe } from './recipe.js';
import { resolveStack, stackNameFromDomain } from './stack.js';
import { getIn, toJS, type YScalar } from './yaml/nodes.js';

const files = {
  'compose.yml': [
    'version: "3.8"', //                                                      1
    'services:', //                                                           2
    '  app:', //                                                              3
    '    image: "${IMAGE:-nginx}:${TAG:-1.27.3}"', //                          4
    '    deploy:', //                                                         5
    '      replicas: ${REPLICAS:-2}', //                                      6
    '      labels:', //                                                       7
    '        traefik.http.routers.${STACK_NAME}.rule: "Host(`${DOMAIN}`)"', // 8
    '    secrets: [db_password]', //                                          9
    'secrets:', //                                                            10
    '  db_password:', //                                                      11
    '    external: true', //                                                  12
    '    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}', //   13
  ].join('\n'),
  'compose.postgres.yml': 'services:\n  db:\n    image: postgres:16.4\n  app:\n    environment:\n      - DB_HOST=db\n',
  'compose.smtp.yml': 'services:\n  app:\n    environment:\n      - SMTP_HOST=${SMTP_HOST}\n',
  '.env.sample': [
    'TYPE=forum',
    'DOMAIN=forum.example.com',
    'COMPOSE_FILE="compose.yml"',
    'COMPOSE_FILE="$COMPOSE_FILE:compose.postgres.yml"',
    '#COMPOSE_FILE="$COMPOSE_FILE:compose.smtp.yml"',
    'SECRET_DB_PASSWORD_VERSION=v1 # length=32',
  ].join('\n'),
};

describe('resolveStack', () => {
  const dir = writeTree(files);
  afterAll(() => removeTree(dir));

  it('uses COMPOSE_FILE from the env file and merges the overlays', async () => {
    const recipe = await loadRecipe(dir);
    const stack = resolveStack(recipe);
    expect(stack.composeFiles).toEqual(['compose.yml', 'compose.postgres.yml']);
    expect(stack.composeFileSpan).toMatchObject({ file: '.env.sample', line: 4 });
    expect(toJS(getIn(stack.root, 'services', 'db', 'image'))).toBe('postgres:16.4');
    expect(toJS(getIn(stack.root, 'services', 'app', 'environment'))).toEqual(['DB_HOST=db']);
    expect(stack.diagnostics).toEqual([]);
  });

  it('derives STACK_NAME from DOMAIN and interpolates names and label values, never keys (as compose-go and docker/cli)', async () => {
    const stack = resolveStack(await loadRecipe(dir));
    expect(stack.stackName).toBe('forum_example_com');
    expect(toJS(getIn(stack.root, 'secrets', 'db_password', 'name'))).toBe('forum_example_com_db_password_v1');
    expect(toJS(getIn(stack.root, 'services', 'app', 'deploy', 'labels'))).toEqual({
      'traefik.http.routers.${STACK_NAME}.rule': 'Host(`forum.example.com`)',
    });
  });

  it('casts typed fields after interpolation', async () => {
    const stack = resolveStack(await loadRecipe(dir));
    expect(toJS(getIn(stack.root, 'services', 'app', 'deploy', 'replicas'))).toBe(2);
    const env = parseEnvFile('DOMAIN=a.b\nREPLICAS=two\n', 'app.env');
    const broken = resolveStack(await loadRecipe(dir), { env });
    expect(toJS(getIn(broken.root, 'services', 'app', 'deploy', 'replicas'))).toBe('two');
  });

  it('maps every interpolated value back to where it is written', async () => {
    const stack = resolveStack(await loadRecipe(dir));
    const image = getIn(stack.root, 'services', 'app', 'image') as YScalar;
    expect(image.value).toBe('nginx:1.27.3');
    expect(image.span).toMatchObject({ file: 'compose.yml', line: 4, col: 12 });
    expect(image.interpolation?.raw).toBe('${IMAGE:-nginx}:${TAG:-1.27.3}');
    expect(image.interpolation?.refs.map((r) => [r.name, r.span?.line, r.span?.col, r.span?.endCol])).toEqual([
      ['IMAGE', 4, 13, 28],
      ['TAG', 4, 29, 43],
    ]);
    const secretRef = stack.refs.find((r) => r.name === 'SECRET_DB_PASSWORD_VERSION');
    expect(secretRef).toMatchObject({ path: ['secrets', 'db_password', 'name'], span: { line: 13, col: 37, endCol: 66 }, set: true });
  });

  it('takes an app env file, other compose files and extra variables', async () => {
    const env = parseEnvFile('DOMAIN=chat.coop.example\nCOMPOSE_FILE=compose.yml:compose.smtp.yml:compose.missing.yml\nSMTP_HOST=mail\n', 'chat.env');
    const stack = resolveStack(await loadRecipe(dir), { env, vars: { TAG: '1.28.0' } });
    expect(stack.stackName).toBe('chat_coop_example');
    expect(stack.composeFiles).toEqual(['compose.yml', 'compose.smtp.yml']);
    expect(stack.missingComposeFiles).toEqual(['compose.missing.yml']);
    expect(toJS(getIn(stack.root, 'services', 'app', 'image'))).toBe('nginx:1.28.0');
    expect(toJS(getIn(stack.root, 'services', 'app', 'environment'))).toEqual(['SMTP_HOST=mail']);
  });

  it('reports required variables with the exact position', async () => {
    const d = writeTree({ 'compose.yml': 'services:\n  app:\n    image: "app:${TAG:?set TAG in the env file}"\n', '.env.sample': 'DOMAIN=x.y\n' });
    const stack = resolveStack(await loadRecipe(d));
    expect(stack.diagnostics).toEqual([
      expect.objectContaining({
        code: 'interpolation-required',
        severity: 'error',
        message: 'services.app.image: required variable TAG is missing a value: set TAG in the env file',
        span: expect.objectContaining({ line: 3, col: 17, endCol: 48 }),
      }),
    ]);
    removeTree(d);
  });
});

describe('stackNameFromDomain', () => {
  it('replaces dots and truncates to 45 characters', () => {
    expect(stackNameFromDomain('forum.example.com')).toBe('forum_example_com');
    expect(stackNameFromDomain(`${'a'.repeat(40)}.example.com`)).toHaveLength(45);
  });
});
