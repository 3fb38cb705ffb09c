// The README's demo shows what the catalogue is for: it asks a local
// registry (Debian's distribution registry, seeded with a sample of the
// examples' upstream tags) through registry.hosts, so the catalogue has
// digests, upgrade candidates and days behind upstream; without the
// registry it says so in one line and runs offline.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogueRecipe } from '@galley/catalogue';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '../support/cli.js';
import { makeTempDir, removeTempDir } from '../support/index.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('catalogue-demo');
});
afterAll(async () => {
  if (dir) await removeTempDir(dir);
});

function demo(env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts/demo.mjs'), '--no-serve'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CI: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('scripts/demo.mjs', () => {
  it('shows upstream updates from the local registry', async () => {
    const work = path.join(dir, 'online');
    const result = await demo({ GALLEY_DEMO_DIR: work });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/catalogue, asking the local registry for digests and upstream tags/);
    const catalogue = JSON.parse(await readFile(path.join(work, 'recipes.json'), 'utf8')) as Record<string, CatalogueRecipe>;
    const notes = catalogue.notes!;
    const latest = Object.values(notes.versions.at(-1)!)[0]!;
    expect(latest.app!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(notes.galley!.upgrades.app).toMatchObject({ current: '1.27.3-alpine', patch: { tag: '1.27.5-alpine' }, minor: { tag: '1.29.0-alpine' } });
    // Build dates were asked (--image-dates): 1.27.3-alpine of 2024-11-26 is 210 days behind 1.29.0-alpine of 2025-06-24.
    expect(notes.galley!.upgrades.app!.daysBehind).toBe(210);
    expect(catalogue.forum!.galley!.upgrades.app).toMatchObject({ image: 'ghcr.io/nodebb/nodebb', major: { tag: '4.4.5' } });
    const sidecar = JSON.parse(await readFile(path.join(work, 'recipes.galley.json'), 'utf8')) as { upstreamCheckedAt?: string };
    expect(sidecar.upstreamCheckedAt).toBeDefined();
  }, 180_000);

  it('falls back to offline with a one-line notice when there is no registry', async () => {
    const work = path.join(dir, 'offline');
    const result = await demo({ GALLEY_DEMO_DIR: work, GALLEY_DEMO_REGISTRY: path.join(dir, 'no-such-registry') });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /\ndemo: no local registry, .*no-such-registry is not installed .*: the catalogue runs offline \(no digests or upstream updates\)\.\n/,
    );
    const catalogue = JSON.parse(await readFile(path.join(work, 'recipes.json'), 'utf8')) as Record<string, CatalogueRecipe>;
    expect(catalogue.notes!.galley!.upgrades).toEqual({});
  }, 180_000);
});
