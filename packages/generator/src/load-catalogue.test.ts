import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadCatalogue } from './load-catalogue.js';
import { fixtureCatalogue } from './testing/fixture-catalogue.js';
import { checkCatalogueShape } from './validate-catalogue.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'galley-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<GalleyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GalleyError);
  return error as GalleyError;
}

describe('loadCatalogue', () => {
  it('reads a valid catalogue, keeps its exact bytes, and validates it against the schema', async () => {
    const text = `${JSON.stringify(fixtureCatalogue(), null, 1)}\n`;
    const loaded = await loadCatalogue(await write('ok.json', text));
    expect(Object.keys(loaded.catalogue)).toContain('nextcloud');
    expect(loaded.bytes.toString('utf8')).toBe(text);
    expect(loaded.validatedWith).toEqual(['schema']);
  });

  it('says when the file is missing or a folder, with exit code 2', async () => {
    const missing = await failure(loadCatalogue(path.join(dir, 'nope.json')));
    expect(missing.exitCode).toBe(2);
    expect(missing.message).toContain(`${path.join(dir, 'nope.json')}: cannot read the catalogue: it does not exist`);
    const folder = await failure(loadCatalogue(dir));
    expect(folder.message).toContain('it is a folder');
  });

  it('gives line and column of a JSON syntax error', async () => {
    const file = await write('bad.json', '{\n  "forum": {\n    "name": "forum",\n  }\n}\n');
    const error = await failure(loadCatalogue(file));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:3: not valid JSON`));
  });

  it('names the JSON path and what is wrong when the shape is not a catalogue', async () => {
    const catalogue = fixtureCatalogue() as unknown as Record<string, Record<string, unknown>>;
    catalogue.forum!.versions = [{ '0.1.0+1': { app: { image: 'x', tag: 3, digest: 'unknown' } } }];
    delete catalogue.gitea!.description;
    const error = await failure(loadCatalogue(await write('shape.json', JSON.stringify(catalogue))));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('is not a catalogue galley can read');
    expect(error.message).toContain('$.forum.versions[0]["0.1.0+1"].app.tag: must be a string (got number 3)');
    expect(error.message).toContain('$.gitea.description: is missing');
  });

  it('reports schema violations the shape check lets through, with their JSON path', async () => {
    const catalogue = fixtureCatalogue();
    catalogue.forum!.galley!.versions['0.2.0+3.8.4']!.commit = 'not-a-commit';
    const error = await failure(loadCatalogue(await write('schema.json', JSON.stringify(catalogue))));
    expect(error.message).toContain('does not follow schemas/catalogue.schema.json');
    expect(error.message).toContain('$.forum.galley.versions["0.2.0+3.8.4"].commit: must match pattern');
  });

  it('lists problems one line each: a file name, keys and values cannot start a line or move the cursor', async () => {
    const hostile = 'x\ngalley: built 1 recipe page\r\u001b[2J\n::error::forged';
    const catalogue = fixtureCatalogue() as unknown as Record<string, unknown>;
    catalogue[hostile] = hostile;
    for (const schema of [true, false]) {
      const error = await failure(loadCatalogue(await write(`${schema}\ngalley: built 1 recipe page\u001b[2J.json`, JSON.stringify(catalogue)), { schema }));
      expect(error.code).toBe('catalogue-invalid');
      expect(error.message).toContain('galley: built 1 recipe page');
      expect(error.message).not.toMatch(/[\r\u001b]/);
      for (const line of error.message.split('\n')) expect(line).not.toMatch(/^\s*(galley: built|::error)/);
    }
  });

  it('can skip the schema (shape check only)', async () => {
    const catalogue = fixtureCatalogue();
    catalogue.forum!.galley!.versions['0.2.0+3.8.4']!.commit = 'not-a-commit';
    const loaded = await loadCatalogue(await write('noschema.json', JSON.stringify(catalogue)), { schema: false });
    expect(loaded.validatedWith).toEqual(['shape']);
  });
});

describe('checkCatalogueShape', () => {
  it('accepts the hand-written fixture', () => {
    expect(checkCatalogueShape(fixtureCatalogue())).toEqual([]);
  });

  it('rejects a list, and version entries with several keys', () => {
    expect(checkCatalogueShape([])).toEqual([{ path: '$', message: 'must be an object keyed by recipe name (got a list)' }]);
    const catalogue = fixtureCatalogue() as unknown as Record<string, Record<string, unknown>>;
    catalogue.wordpress!.versions = [{ a: {}, b: {} }];
    expect(checkCatalogueShape(catalogue)).toEqual([{ path: '$.wordpress.versions[0]', message: 'must have exactly one key, the version (got 2)' }]);
  });

  it('rejects bad dates and negative counts', () => {
    const catalogue = fixtureCatalogue();
    catalogue.forum!.galley!.versions['0.1.0+3.8.3']!.date = 'yesterday';
    catalogue.forum!.galley!.lint!.errors = -1;
    expect(checkCatalogueShape(catalogue)).toEqual([
      { path: '$.forum.galley.versions["0.1.0+3.8.3"].date', message: '"yesterday" is not an ISO 8601 date' },
      { path: '$.forum.galley.lint.errors', message: 'must be a whole number ≥ 0 (got number -1)' },
    ]);
  });
});
