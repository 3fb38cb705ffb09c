import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateCatalogue, resolveCatalogueSettings } from '@galley/catalogue';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GALLEY_BIN, runGalley } from '../support/cli.js';
import { waitFor } from '../support/index.js';
import { startWorld, type World } from './world.js';

let world: World;
let baseline: string;

beforeAll(async () => {
  world = await startWorld();
  const config = await world.config(path.join(world.dir, 'base.yml'));
  const settings = await resolveCatalogueSettings({ config, cache: path.join(world.dir, 'base-cache'), out: path.join(world.dir, 'base.json') }, world.dir, {});
  const result = await generateCatalogue(settings);
  expect(result.status).toBe('complete');
  baseline = await readFile(path.join(world.dir, 'base.json'), 'utf8');
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

describe('faults', () => {
  it('gives the fault-free catalogue under 20% injected faults (429, 500, resets, timeouts, truncated bodies), with auth and paging', async () => {
    world.proxy.configure({
      auth: {},
      paging: { pageSize: 10, link: 'opaque' },
      faults: { rate: 0.2, seed: 7, retryAfterSeconds: 0, slowMs: 1500 },
    });
    world.proxy.clear();
    const config = await world.config(path.join(world.dir, 'faulty.yml'), { timeout: '1s' });
    const settings = await resolveCatalogueSettings(
      { config, cache: path.join(world.dir, 'faulty-cache'), out: path.join(world.dir, 'faulty.json') },
      world.dir,
      {},
    );
    const result = await generateCatalogue(settings);
    world.proxy.configure({});
    const counts = world.proxy.counts();
    const kinds = new Set(world.proxy.requests.map((r) => r.fault).filter(Boolean));
    // The faults really happened, of several kinds (which request gets which depends on arrival order), and were retried.
    expect(counts.faults).toBeGreaterThan(5);
    expect(kinds.size).toBeGreaterThanOrEqual(3);
    const retries = Object.values(result.summary.requests).reduce((n, h) => n + h.retries, 0);
    expect(retries).toBeGreaterThanOrEqual(counts.faults - kinds.size);
    expect(result.status).toBe('complete');
    expect(await readFile(path.join(world.dir, 'faulty.json'), 'utf8')).toBe(baseline);
  }, 120_000);

  it.each([['truncate'], ['reset'], ['slow']] as const)(
    'recovers from %s answers (the first ten requests)',
    async (kind) => {
      world.proxy.configure({ auth: {}, paging: { pageSize: 50, link: 'relative' }, faults: { rate: 1, limit: 10, kinds: [kind], slowMs: 1500 } });
      world.proxy.clear();
      const config = await world.config(path.join(world.dir, `${kind}.yml`), { timeout: '1s' });
      const settings = await resolveCatalogueSettings(
        { config, cache: path.join(world.dir, `${kind}-cache`), out: path.join(world.dir, `${kind}.json`) },
        world.dir,
        {},
      );
      const result = await generateCatalogue(settings);
      world.proxy.configure({});
      // A slow answer is logged when it is finally sent, after the client gave up on it.
      await waitFor(() => world.proxy.requests.filter((r) => r.fault === kind).length >= 10, { timeoutMs: 5000 }).catch(() => undefined);
      expect(world.proxy.requests.filter((r) => r.fault === kind)).toHaveLength(10);
      expect(result.status).toBe('complete');
      expect(await readFile(path.join(world.dir, `${kind}.json`), 'utf8')).toBe(baseline);
    },
    60_000,
  );

  it('waits as long as Retry-After asks before asking that host again', async () => {
    world.proxy.configure({ faults: { rate: 1, kinds: ['429'], retryAfterSeconds: 1, seed: 3 } });
    world.proxy.clear();
    // Turn the faults off once the first 429 went out.
    const off = setInterval(() => {
      if (world.proxy.requests.some((r) => r.status === 429)) {
        world.proxy.configure({});
        clearInterval(off);
      }
    }, 5);
    // One request in flight: with several, one the client sent before the 429 came back could reach the
    // proxy after the faults were turned off (on a busy machine one did, 7 ms after the 429), though the
    // client had not yet heard of the rate limit. Requests queued behind the 429 must wait it out too.
    const config = await world.config(path.join(world.dir, 'retry.yml'), { registryExtra: '  concurrency: 1\n' });
    const settings = await resolveCatalogueSettings(
      { config, cache: path.join(world.dir, 'retry-cache'), out: path.join(world.dir, 'retry.json'), only: ['forum'] },
      world.dir,
      {},
    );
    const result = await generateCatalogue(settings);
    clearInterval(off);
    expect(result.status).toBe('complete');
    const first429 = world.proxy.requests.find((r) => r.status === 429)!;
    const after = world.proxy.requests.filter((r) => r.at > first429.at && r.status !== 429);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after.map((r) => r.at)) - first429.at).toBeGreaterThanOrEqual(950);
  }, 60_000);
});

describe('a killed run', () => {
  it('leaves the previous recipes.json byte-identical, and the next run completes', async () => {
    const out = path.join(world.dir, 'killed.json');
    const cache = path.join(world.dir, 'killed-cache');
    const config = await world.config(path.join(world.dir, 'killed.yml'));
    const first = await runGalley(['catalogue', 'generate', '--config', config, '--cache', cache, '--out', out], { cwd: world.dir });
    expect(first.code).toBe(0);
    const previous = await readFile(out, 'utf8');
    expect(previous).toBe(baseline);
    // Upstream moves on, so a finished run would write something else.
    await world.git.addCommit('forum', {
      message: 'nodebb 3.9.0',
      files: { 'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: ghcr.io/nodebb/nodebb:3.9.0\n' },
      tags: [{ name: '0.3.0+3.9.0', annotated: true }],
    });
    // Slow registry answers keep the run going long enough to be killed mid-way.
    world.proxy.configure({ faults: { rate: 1, kinds: ['slow'], slowMs: 400 } });
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, [GALLEY_BIN, 'catalogue', 'generate', '--config', config, '--cache', cache, '--out', out, '--refresh'], {
        cwd: world.dir,
        stdio: 'ignore',
      });
      const delay = 100 + Math.floor(Math.random() * 1200);
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal });
        });
      });
      expect(exit.signal).toBe('SIGKILL');
      expect(await readFile(out, 'utf8')).toBe(previous);
    }
    world.proxy.configure({});
    const next = await runGalley(['catalogue', 'generate', '--config', config, '--cache', cache, '--out', out], { cwd: world.dir });
    expect(next.stderr).not.toMatch(/internal error/);
    expect(next.code).toBe(0);
    const catalogue = JSON.parse(await readFile(out, 'utf8')) as Record<string, { versions: Record<string, unknown>[] }>;
    expect(catalogue.forum!.versions.map((v) => Object.keys(v)[0])).toEqual(['0.1.0+3.8.3', '0.2.0+3.8.4', '0.3.0+3.9.0']);
    // No temp files left beside the catalogue by the finished run.
    expect((await readdir(world.dir)).filter((f) => f.startsWith('.killed.json'))).toEqual([]);
  }, 120_000);
});
