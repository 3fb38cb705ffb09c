import { afterAll, describe, expect, it } from '@jest/globals';
import { commitAll, removeTree, writeTree } from '../../../test/support/recipe-fixtures.js';
import { closeRecipe, loadComposeFile, loadRecipe, loadRecipeAtRef, openRecipe, parseRecipeSpec, recipeDiagnostics } from './recipe.js';
import { resolveStack } from './stack.js';
import { getIn, toJS } from './yaml/nodes.js';

const v1 = {
  'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.26.0\n',
  '.env.sample': 'TYPE=site\nDOMAIN=site.example.com\n',
  'abra.sh': 'export NGINX_CONF_VERSION=v1\n',
  'README.md': '# Site\n\nA static site.\n\n<!-- metadata -->\n* **Category**: Apps\n* **Status**: 2\n<!-- endmetadata -->\n',
  'release/1.0.0+1.26.0': 'First release.\n',
};

describe('loadRecipe', () => {
  const dir = writeTree({ ...v1, 'postgres/compose.postgres.tune.yml': 'services: {}\n', 'deep/er/compose.yml': 'x: 1\n' });
  afterAll(() => removeTree(dir));

  it('reads every part of a recipe folder', async () => {
    const recipe = await loadRecipe(dir, { name: 'site' });
    expect(recipe.name).toBe('site');
    expect([...recipe.composeFiles.keys()]).toEqual(['compose.yml', 'postgres/compose.postgres.tune.yml']);
    expect(recipe.envSample?.entries.map((e) => e.name)).toEqual(['TYPE', 'DOMAIN']);
    expect(recipe.abraSh?.exports.map((e) => e.name)).toEqual(['NGINX_CONF_VERSION']);
    expect(recipe.readme?.metadata?.category).toBe('Apps');
    expect([...recipe.releaseNotes.keys()]).toEqual(['1.0.0+1.26.0']);
    expect(recipe.git).toBeUndefined();
    expect(recipeDiagnostics(recipe)).toEqual([]);
  });

  it('says clearly when the folder does not exist', async () => {
    await expect(loadRecipe(`${dir}/nope`)).rejects.toMatchObject({ code: 'not-found', exitCode: 2 });
  });

  it('reports YAML problems of each compose file without failing the load', async () => {
    const broken = writeTree({ 'compose.yml': 'services:\n  app: [\n', 'compose.ok.yml': 'services: {}\n' });
    const recipe = await loadRecipe(broken);
    expect(recipe.composeFiles.get('compose.yml')?.root).toBeNull();
    expect(recipeDiagnostics(recipe)).toEqual([expect.objectContaining({ code: 'yaml-syntax', span: expect.objectContaining({ file: 'compose.yml' }) })]);
    removeTree(broken);
  });

  it('loads a single compose file as its own stack', async () => {
    const recipe = await loadComposeFile(`${dir}/compose.yml`);
    expect(recipe.kind).toBe('compose-file');
    expect(resolveStack(recipe).composeFiles).toEqual(['compose.yml']);
  });
});

describe('loading at a git ref', () => {
  const repo = writeTree({});
  commitAll(repo, [
    { files: v1, tags: [{ name: '1.0.0+1.26.0', annotated: true, date: '2024-02-01T10:00:00Z' }] },
    {
      files: { 'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n', 'release/1.1.0+1.27.3': 'Newer nginx.\n' },
      tags: [{ name: '1.1.0+1.27.3', annotated: false }],
    },
    { files: { 'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.28.0\n' } },
  ]);
  afterAll(() => removeTree(repo));

  it('reads the files of an old tag without checking it out', async () => {
    const recipe = await loadRecipeAtRef(repo, '1.0.0+1.26.0');
    expect(toJS(getIn(recipe.composeFiles.get('compose.yml')!.root, 'services', 'app', 'image'))).toBe('nginx:1.26.0');
    expect([...recipe.releaseNotes.keys()]).toEqual(['1.0.0+1.26.0']);
    expect(recipe.source.label).toBe(`${repo}#1.0.0+1.26.0`);
    closeRecipe(recipe);
  });

  it('knows annotated and lightweight tags with their dates', async () => {
    const recipe = await loadRecipe(repo);
    expect(recipe.git?.tags).toEqual([
      expect.objectContaining({ name: '1.0.0+1.26.0', annotated: true, date: '2024-02-01T10:00:00+00:00', message: 'chore: publish 1.0.0+1.26.0 release' }),
      expect.objectContaining({ name: '1.1.0+1.27.3', annotated: false, date: '2024-01-02T00:00:00+00:00' }),
    ]);
    expect(toJS(getIn(recipe.composeFiles.get('compose.yml')!.root, 'services', 'app', 'image'))).toBe('nginx:1.28.0');
    closeRecipe(recipe);
  });

  it('opens repo#ref specs and explains unknown refs', async () => {
    const { recipe, dispose } = await openRecipe(`${repo}#1.1.0+1.27.3`);
    expect(toJS(getIn(recipe.composeFiles.get('compose.yml')!.root, 'services', 'app', 'image'))).toBe('nginx:1.27.3');
    await dispose();
    await expect(openRecipe(`${repo}#9.9.9`)).rejects.toMatchObject({ code: 'git-unknown-ref' });
  });

  it('clones remote URLs (here a file:// URL) into a temporary folder', async () => {
    const { recipe, dispose } = await openRecipe(`file://${repo}#1.0.0+1.26.0`);
    expect(recipe.git?.ref).toBe('1.0.0+1.26.0');
    expect(recipe.readme?.metadata?.status?.value).toBe(2);
    await dispose();
  });
});

describe('parseRecipeSpec', () => {
  it.each([
    ['recipes/forum', { kind: 'folder', location: 'recipes/forum' }],
    ['git://127.0.0.1:9418/forum.git#1.0.0+1', { kind: 'git', location: 'git://127.0.0.1:9418/forum.git', ref: '1.0.0+1' }],
    ['https://git.coopcloud.tech/coop-cloud/forum.git', { kind: 'git', location: 'https://git.coopcloud.tech/coop-cloud/forum.git' }],
    ['../forum#main', { kind: 'git', location: '../forum', ref: 'main' }],
  ])('%s', (spec, expected) => {
    expect(parseRecipeSpec(spec)).toEqual(expected);
  });
});
