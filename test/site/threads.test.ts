// READMEs render in worker threads for large catalogues (the built CLI uses
// the compiled worker); the site must be byte for byte what rendering on the
// main thread gives.

import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { buildSite, readmesFromDir, WORKER_THRESHOLD } from '@galley/generator';
import { writeSyntheticCatalogue } from '@galley/generator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { makeTempDir, removeTempDir } from '../support/index.js';
import { buildWithCli } from './site-support.js';

const TIMEOUT = 180_000;
let dir = '';

beforeAll(async () => {
  dir = await makeTempDir('site-threads');
}, TIMEOUT);
afterAll(async () => {
  if (dir) await removeTempDir(dir);
}, TIMEOUT);

describe('README rendering in worker threads', () => {
  it(
    'gives the same site as rendering on the main thread',
    async () => {
      const count = WORKER_THRESHOLD + 20;
      const input = await writeSyntheticCatalogue(path.join(dir, 'input'), count, 7);
      const threaded = path.join(dir, 'threaded');
      const result = JSON.parse((await buildWithCli(['--catalogue', input.catalogueFile, '--readmes', input.readmesDir, '--out', threaded, '--json'])).stdout);
      expect(result.readmes.rendered).toBe(count);
      expect(result.readmeThreads).toBe(Math.min(2, availableParallelism() - 1));

      const inline = path.join(dir, 'inline');
      const local = await buildSite({ catalogue: input.catalogueFile, out: inline, readmes: await readmesFromDir(input.readmesDir), readmeThreads: 0 });
      expect(local.readmeThreads).toBe(0);
      const files = (await readdir(threaded, { recursive: true })).sort();
      expect((await readdir(inline, { recursive: true })).sort()).toEqual(files);
      const differ: string[] = [];
      for (const file of files.filter((f) => /\.[a-z]+$/.test(f))) {
        if ((await readFile(path.join(threaded, file), 'utf8')) !== (await readFile(path.join(inline, file), 'utf8'))) differ.push(file);
      }
      expect(differ).toEqual([]);
    },
    TIMEOUT,
  );
});
