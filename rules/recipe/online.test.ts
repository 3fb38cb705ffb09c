import { lintWithRule, testRule } from '@galley/linter/testing';
import { MemorySource, readRecipe } from '@galley/recipe';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type HttpDouble, startHttpDouble } from '../_testing/http-double.js';
import publishedVersion from './published-version.js';
import upstreamRepository from './upstream-repository.js';

// recipes.json in the shape recipes.coopcloud.tech serves it (see reference/catalogue.md).
const catalogue = {
  'test-recipe': {
    name: 'test-recipe',
    category: 'Apps',
    repository: 'https://git.coopcloud.tech/coop-cloud/test-recipe.git',
    features: { status: 3 },
    versions: [{ '1.0.0+1.27.3': { app: { image: 'nginx', tag: '1.27.3', digest: 'unknown' } } }],
  },
  unreleased: { name: 'unreleased', versions: [] },
};

let forge: HttpDouble;
// Options are filled in once the double listens (the rule tester reads them when a case runs).
const catalogueOptions: Record<string, unknown> = {};
const brokenCatalogueOptions: Record<string, unknown> = {};
const repositoryOptions: Record<string, unknown> = {};
const deadForgeOptions = { repositoryUrl: 'http://127.0.0.1:9/{name}', timeoutSeconds: 5 };

beforeAll(async () => {
  forge = await startHttpDouble((req, res) => {
    if (req.url === '/recipes.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(catalogue));
    } else if (req.url === '/broken/recipes.json') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>maintenance</html>');
    } else if (req.url === '/coop-cloud/test-recipe') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(req.method === 'HEAD' ? undefined : '<html>repository</html>');
    } else {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('Not found');
    }
  });
  catalogueOptions.catalogueUrl = `${forge.url}/recipes.json`;
  brokenCatalogueOptions.catalogueUrl = `${forge.url}/broken/recipes.json`;
  repositoryOptions.repositoryUrl = `${forge.url}/coop-cloud/{name}`;
});

afterAll(async () => {
  await forge.stop();
});

const files = { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n' };
const named = (name: string) => () => readRecipe(new MemorySource(files, name), name);

testRule(publishedVersion, {
  valid: [
    { name: 'listed with a version', files, online: true, options: catalogueOptions },
    { name: 'offline: the rule does not run', files, online: false, options: { catalogueUrl: 'http://127.0.0.1:9/recipes.json' } },
  ],
  invalid: [
    {
      name: 'listed without versions',
      recipe: named('unreleased'),
      online: true,
      options: catalogueOptions,
      errors: [{ messageId: 'noVersions', line: 1, col: 1, endLine: 1, endCol: 9 }],
    },
    {
      name: 'not listed',
      recipe: named('brand-new'),
      online: true,
      options: catalogueOptions,
      errors: [{ messageId: 'notInCatalogue', line: 1, col: 1, endLine: 1, endCol: 9, severity: 'warning' }],
    },
    {
      name: 'the catalogue answers HTML',
      files,
      online: true,
      options: brokenCatalogueOptions,
      errors: [{ messageId: 'unreachable', line: 1, col: 1, endLine: 1, endCol: 9, severity: 'info' }],
    },
  ],
});

testRule(upstreamRepository, {
  valid: [
    { name: 'the repository exists', files, online: true, options: repositoryOptions },
    { name: 'offline: the rule does not run', files, online: false, options: deadForgeOptions },
  ],
  invalid: [
    {
      name: 'the forge answers 404',
      recipe: named('not-there'),
      online: true,
      options: repositoryOptions,
      errors: [{ messageId: 'missing', line: 1, col: 1, endLine: 1, endCol: 9, severity: 'warning' }],
    },
    {
      name: 'the forge is unreachable',
      files,
      online: true,
      options: deadForgeOptions,
      errors: [{ messageId: 'unreachable', line: 1, col: 1, endLine: 1, endCol: 9, severity: 'info' }],
    },
  ],
});

describe('online messages', () => {
  it('name the URL and the status', async () => {
    const [missing] = await lintWithRule(upstreamRepository, { name: 'm', recipe: named('not-there'), online: true, options: repositoryOptions });
    expect(missing?.message).toBe(`the recipe repository ${forge.url}/coop-cloud/not-there does not exist (HTTP 404)`);
    const [absent] = await lintWithRule(publishedVersion, { name: 'a', recipe: named('brand-new'), online: true, options: catalogueOptions });
    expect(absent?.message).toBe(`the catalogue at ${forge.url}/recipes.json does not list recipe "brand-new"`);
    const [nothing] = await lintWithRule(publishedVersion, { name: 'n', files, online: true, options: { catalogueUrl: `${forge.url}/none.json` } });
    expect(nothing?.message).toBe(`could not check the catalogue at ${forge.url}/none.json: HTTP 404`);
  });

  it('asks the forge with HEAD for the recipe by name', () => {
    expect(forge.requests).toContainEqual({ method: 'HEAD', path: '/coop-cloud/test-recipe' });
  });
});
