import type { Rule } from '@galley/linter';
import { lintWithRule } from '@galley/linter/testing';
import { MemorySource, type Recipe, readRecipe } from '@galley/recipe';
import { afterAll, describe, expect, it } from '@jest/globals';
import { cleanUpGitRecipes, gitRecipe } from './_testing/git-recipes.js';
import { allRules } from './index.js';

afterAll(cleanUpGitRecipes);

/**
 * Every rule's documented examples are linted: the "wrong" example must make
 * the rule report, the "right" one must not. Examples show one file; what
 * else the recipe needs to make the point (an `.env.sample`, a release tag)
 * is set up here.
 */
type Setup = (file: string, text: string | undefined, which: 'wrong' | 'right') => Promise<Recipe>;

const inMemory =
  (extra: Record<string, string> = {}, perCase: Partial<Record<'wrong' | 'right', Record<string, string>>> = {}): Setup =>
  (file, text, which) => {
    const files: Record<string, string> = { ...extra, ...(perCase[which] ?? {}) };
    if (text !== undefined) files[file] = text;
    return readRecipe(new MemorySource(files, 'demo'), 'demo');
  };

const secretCompose =
  'services:\n  app:\n    image: postgres:16.4\n    secrets: [db_password]\nsecrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\n';
const configCompose =
  'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}\n    file: nginx.conf\n';

const SETUPS: Record<string, Setup> = {
  'compose/interpolated-type': inMemory({}, { wrong: { '.env.sample': 'REPLICAS=two\n' }, right: { '.env.sample': '#REPLICAS=2\n' } }),
  'compose/missing-file': inMemory({ 'nginx.conf': 'events {}\n' }),
  'compose/undefined-variable': inMemory({ '.env.sample': 'DOMAIN=demo.example.com\n' }),
  'recipe/config-version-export': inMemory({}, { right: { 'abra.sh': 'export NGINX_CONF_VERSION=v1\n' } }),
  'recipe/secret-version-env': inMemory(
    {},
    { wrong: { '.env.sample': 'DOMAIN=demo.example.com\n' }, right: { '.env.sample': 'SECRET_DB_PASSWORD_VERSION=v1\n' } },
  ),
  'recipe/traefik-enable': inMemory({ '.env.sample': 'DOMAIN=demo.example.com\n' }),
  'swarm/template-references': inMemory({ 'nginx.conf.tmpl': 'server {{ env "STACK_NAME" }}_app:3000;\n' }),
  'recipe/compose-file-missing': inMemory({ 'compose.yml': 'services: {}\n', 'compose.postgres.yml': 'services: {}\n' }),
  'recipe/unused-secret-version': inMemory({ 'compose.yml': secretCompose }),
  'recipe/env-sample': (file, text, which) =>
    inMemory({ 'compose.yml': 'services:\n  app:\n    image: x:1\n' })(file, which === 'wrong' ? undefined : text, which),
  'recipe/version-label': (file, text) => gitRecipe([{ files: { [file]: text ?? '' }, tags: [{ name: '1.1.0+1.27.3', annotated: true }] }]),
  'recipe/release-notes': (file, text, which) =>
    gitRecipe([
      { files: { 'compose.yml': 'services: {}\n', ...(which === 'right' ? { [file]: text ?? '' } : {}) }, tags: [{ name: '1.1.0+1.27.3', annotated: true }] },
    ]),
  'recipe/config-version-bump': (file, text) =>
    gitRecipe(
      [
        {
          files: { 'compose.yml': configCompose, 'nginx.conf': 'worker_processes 1;\n', 'abra.sh': 'export NGINX_CONF_VERSION=v3\n' },
          tags: [{ name: '1.0.0+1.27.2', annotated: true }],
        },
      ],
      { 'nginx.conf': 'worker_processes 2;\n', [file]: text ?? '' },
    ),
};

/**
 * Rules whose examples are no recipe files (shell commands, HTTP answers),
 * covered by their own tests; and the engine's two rules, whose docs are
 * tested with the engine.
 */
const NOT_HERE = new Set(['recipe/release-tag-annotated', 'recipe/upstream-repository', 'recipe/published-version', 'compose/schema', 'compose/yaml-syntax']);

const cases = allRules.filter((r: Rule) => !NOT_HERE.has(r.meta.id)).map((r) => [r.meta.id, r] as const);

describe('documented examples', () => {
  it.each(cases)('%s: the wrong example is reported, the right one is not', async (_id, rule) => {
    const file = rule.meta.docs.exampleFile ?? 'compose.yml';
    const setup = SETUPS[rule.meta.id] ?? inMemory();
    const wrong = await lintWithRule(rule, { name: 'wrong', recipe: () => setup(file, rule.meta.docs.wrong, 'wrong') });
    const right = await lintWithRule(rule, { name: 'right', recipe: () => setup(file, rule.meta.docs.right, 'right') });
    expect(wrong.length).toBeGreaterThan(0);
    expect(right.map((f) => f.message)).toEqual([]);
  });
});
