import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type CatalogueFlags, type CatalogueRecipe, generateCatalogue, readRecipeReadme, resolveCatalogueSettings } from '@galley/catalogue';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { postgresTags, startWorld, type World } from './world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

async function settingsFor(name: string, flags: CatalogueFlags = {}, configOptions?: Parameters<World['config']>[1]) {
  const config = await world.config(path.join(world.dir, `${name}.yml`), configOptions);
  return resolveCatalogueSettings({ config, cache: path.join(world.dir, `${name}-cache`), out: path.join(world.dir, `${name}.json`), ...flags }, world.dir, {});
}

describe('galley catalogue generate (library)', () => {
  let first: Awaited<ReturnType<typeof generateCatalogue>>;
  let text: string;

  beforeAll(async () => {
    world.proxy.configure({});
    world.proxy.clear();
    first = await generateCatalogue(await settingsFor('main'));
    text = await readFile(path.join(world.dir, 'main.json'), 'utf8');
  }, 60_000);

  it('writes abra format: recipes by name, versions oldest first as single-key maps', () => {
    expect(first.status).toBe('complete');
    const catalogue = JSON.parse(text) as Record<string, CatalogueRecipe>;
    expect(Object.keys(catalogue)).toEqual(['forum', 'notes']);
    const forum = catalogue.forum!;
    expect(forum.versions.map((v) => Object.keys(v))).toEqual([['0.1.0+3.8.3'], ['0.2.0+3.8.4']]);
    // Image names as abra writes them: no registry host, no library/.
    expect(forum.versions[1]!['0.2.0+3.8.4']).toEqual({
      app: { image: 'nodebb/nodebb', tag: '3.8.4', digest: world.digests['nodebb/nodebb']!.get('3.8.4') },
      db: { image: 'postgres', tag: '14.2', digest: world.digests['library/postgres']!.get('14.2') },
    });
    expect(forum).toMatchObject({
      name: 'forum',
      category: 'Apps',
      default_branch: 'main',
      repository: world.git.url('forum'),
      description: 'A Forum for tests.',
    });
    expect(forum.features).toEqual({
      backups: 'No',
      email: 'N/A',
      healthcheck: 'Yes',
      tests: '2',
      sso: 'No',
      status: 3,
      image: { image: 'nodebb/nodebb', rating: '4', source: 'upstream', url: 'https://hub.docker.com/_/nodebb/nodebb' },
    });
  });

  it('records version dates, annotated tags and release notes', () => {
    const forum = first.catalogue.forum!;
    expect(forum.galley!.versions['0.1.0+3.8.3']).toMatchObject({ annotated: true, date: '2024-02-02T12:00:00+00:00' });
    expect(forum.galley!.versions['0.2.0+3.8.4']).toMatchObject({ annotated: false, date: '2024-03-01T10:00:00+00:00', notes: 'Nodebb 3.8.4.' });
    expect(forum.galley!.versions['0.2.0+3.8.4']!.commit).toMatch(/^[0-9a-f]{40}$/);
    // What upgrading from the previous release asks: the recipe diff's summary, the first release has none.
    expect(forum.galley!.versions['0.1.0+3.8.3']!.upgrade).toBeUndefined();
    expect(forum.galley!.versions['0.2.0+3.8.4']!.upgrade).toEqual({
      from: '0.1.0+3.8.3',
      level: 'patch',
      breaking: 0,
      changes: [
        { kind: 'image-changed', category: 'images', breaking: false, message: 'app: ghcr.io/nodebb/nodebb 3.8.3 → 3.8.4 (patch)', location: 'compose.yml:5' },
      ],
    });
  });

  it('finds the best patch, minor and major upgrades with digests, and lists tags it cannot compare', () => {
    const app = first.catalogue.forum!.galley!.upgrades.app!;
    expect(app).toMatchObject({
      image: 'ghcr.io/nodebb/nodebb',
      current: '3.8.4',
      minor: { tag: '3.9.0', digest: world.digests['nodebb/nodebb']!.get('3.9.0') },
      major: { tag: '4.0.1', digest: world.digests['nodebb/nodebb']!.get('4.0.1') },
    });
    expect(app.patch).toBeUndefined();
    expect(app.unparseable).toEqual([{ tag: 'latest', reason: '"latest" is a floating tag that moves without a version' }]);
    const db = first.catalogue.forum!.galley!.upgrades.db!;
    expect(db).toMatchObject({ image: 'docker.io/library/postgres', current: '14.2', minor: { tag: '14.24' }, major: { tag: '16.24' } });
    expect(db.unparseable.map((u) => u.tag)).toEqual(['alpine', 'latest', 'sha-0123abcd']);
  });

  it('resolves images written with ${VAR:-default}, overlays, and multi-arch pins by the index digest', () => {
    const notes = first.catalogue.notes!;
    expect(notes.versions[0]!['1.0.0+1.25.3']).toEqual({
      app: { image: 'nginx', tag: '1.25.3', digest: world.digests['library/nginx']!.get('1.25.3') },
      db: { image: 'postgres', tag: '15.3-alpine', digest: world.digests['library/postgres']!.get('15.3-alpine') },
      proxy: { image: 'traefik', tag: '2.11.0', digest: world.traefikIndex },
    });
    const up = notes.galley!.upgrades;
    expect(up.app).toMatchObject({ patch: { tag: '1.25.4' }, minor: { tag: '1.26.1' }, major: { tag: '2.0.0' } });
    expect(up.db).toMatchObject({ minor: { tag: '15.24-alpine' }, major: { tag: '16.24-alpine' } });
    expect(up.proxy).toMatchObject({ patch: { tag: '2.11.2' }, major: { tag: '3.0.0' } });
  });

  it('skips repositories without compose.yml and says why', () => {
    expect(first.summary.skipped).toEqual([expect.objectContaining({ name: 'tools', reason: expect.stringContaining('no compose.yml') })]);
  });

  it('asks each tag list and each digest once: requests equal the minimum', () => {
    const counts = world.proxy.counts();
    expect(counts.tags).toBe(first.summary.needed.tagLists);
    expect(counts.digest).toBe(first.summary.needed.digests);
    // forum: nodebb, postgres; notes: nginx, traefik, postgres (shared).
    expect(first.summary.needed.tagLists).toBe(4);
    expect(counts.total).toBe(counts.tags + counts.digest);
  });

  it('is deterministic and incremental: a second run reads nothing, asks nothing, writes the same bytes', async () => {
    world.proxy.clear();
    const second = await generateCatalogue(await settingsFor('main'));
    expect(second.summary.read).toBe(0);
    expect(second.summary.unchanged).toBe(3);
    expect(world.proxy.counts().total).toBe(0);
    expect(second.changed).toBe(false);
    expect(await readFile(path.join(world.dir, 'main.json'), 'utf8')).toBe(text);
    // --refresh asks everything again and still writes the same bytes.
    const refreshed = await generateCatalogue(await settingsFor('main', { refresh: true }));
    expect(refreshed.summary.read).toBe(3);
    expect(await readFile(path.join(world.dir, 'main.json'), 'utf8')).toBe(text);
  }, 60_000);

  it('reads only the repository that gained a tag', async () => {
    await world.git.addCommit('notes', {
      message: 'nginx 1.25.4',
      date: '2024-04-01T00:00:00Z',
      files: { 'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.25.4\n' },
      tags: [{ name: '1.1.0+1.25.4', annotated: true, date: '2024-04-02T00:00:00Z' }],
    });
    world.proxy.clear();
    const third = await generateCatalogue(await settingsFor('main'));
    expect(third.summary.read).toBe(1);
    expect(third.summary.tagsRead).toBe(1);
    const notes = third.catalogue.notes!;
    expect(notes.versions.map((v) => Object.keys(v)[0])).toEqual(['1.0.0+1.25.3', '1.1.0+1.25.4']);
    // The new compose.yml has no proxy; the postgres overlay still adds db.
    expect(Object.keys(notes.galley!.upgrades)).toEqual(['app', 'db']);
    // The new release's upgrade summary compares it with the release the last run read (not read again as a tag).
    const upgrade = notes.galley!.versions['1.1.0+1.25.4']!.upgrade!;
    expect(upgrade.from).toBe('1.0.0+1.25.3');
    expect(upgrade.changes.map((c) => [c.kind, c.message])).toContainEqual(['image-changed', 'app: nginx 1.25.3 → 1.25.4 (patch)']);
    expect(upgrade.changes.filter((c) => c.kind === 'service-removed').map((c) => c.message)).toEqual(['service proxy removed']);
    // Nothing to ask: nginx 1.25.4's digest was learnt as an upgrade candidate, the tag lists are fresh.
    expect(third.summary.cacheHits.digests).toBeGreaterThan(0);
    expect(world.proxy.counts().total).toBe(0);
  }, 60_000);

  it('gives the README of the latest release from the mirror cache, and writes --readmes files', async () => {
    const cache = path.join(world.dir, 'main-cache');
    expect(await readRecipeReadme(cache, 'forum')).toContain('# Forum');
    expect(await readRecipeReadme(cache, 'forum', '0.1.0+3.8.3')).toContain('<!-- metadata -->');
    expect(await readRecipeReadme(cache, 'nope')).toBeUndefined();
    const readmes = path.join(world.dir, 'readmes');
    await generateCatalogue(await settingsFor('main', { readmes }));
    expect(await readFile(path.join(readmes, 'notes.md'), 'utf8')).toContain('# Notes');
  }, 60_000);
});

describe('registry protocol through the proxy', () => {
  it('answers bearer challenges, follows relative, absolute and opaque Link paging, and gets the same catalogue', async () => {
    world.proxy.configure({});
    const plain = await generateCatalogue(await settingsFor('plain'));
    const styles = ['relative', 'absolute', 'opaque'] as const;
    for (const link of styles) {
      world.proxy.configure({ auth: { accessTokenField: link === 'opaque' }, paging: { pageSize: 25, link } });
      world.proxy.clear();
      const paged = await generateCatalogue(await settingsFor(`paged-${link}`));
      expect(paged.status).toBe('complete');
      expect(paged.catalogue).toEqual(plain.catalogue);
      const counts = world.proxy.counts();
      // postgres has 255 tags: 11 pages of 25.
      expect(counts.tags).toBeGreaterThanOrEqual(Math.ceil(postgresTags().length / 25));
      expect(counts.token).toBeGreaterThan(0);
      expect(world.proxy.requests.filter((r) => r.kind === 'tags' && r.status === 200).every((r) => r.authorization === 'Bearer')).toBe(true);
    }
    world.proxy.configure({});
  }, 120_000);

  it('keeps the previous digests and upgrades, marked stale, when a registry fails, and says the run is partial', async () => {
    world.proxy.configure({});
    const good = await generateCatalogue(await settingsFor('stale'));
    world.proxy.configure({ faults: { rate: 1, kinds: ['500'] } });
    const bad = await generateCatalogue(await settingsFor('stale', { refresh: true, retries: 1 }), { now: () => new Date('2030-01-01T00:00:00Z') });
    world.proxy.configure({});
    expect(bad.status).toBe('partial');
    expect(bad.summary.failures.length).toBeGreaterThan(0);
    expect(bad.summary.registryStale).toEqual(['forum', 'notes']);
    const since = '2030-01-01T00:00:00.000Z';
    for (const name of ['forum', 'notes']) {
      const entry = bad.catalogue[name]!;
      const before = good.catalogue[name]!;
      // Only the registry's part is marked: the entry itself is current (what git says).
      expect(entry.galley!.stale).toBeUndefined();
      expect(entry.versions).toEqual(before.versions);
      expect(entry.galley!.staleDigests).toEqual({ error: expect.stringContaining('HTTP 500'), since, images: expect.any(Array) });
      expect(entry.galley!.staleDigests!.images.length).toBeGreaterThan(0);
      for (const [service, upgrades] of Object.entries(entry.galley!.upgrades)) {
        const { stale, ...rest } = upgrades;
        expect(stale).toEqual({ error: expect.stringContaining('HTTP 500'), since });
        expect(rest).toEqual(before.galley!.upgrades[service]);
      }
      const { staleDigests: _d, upgrades: _u, health, ...galley } = entry.galley!;
      const { upgrades: _u2, health: healthBefore, ...galleyBefore } = before.galley!;
      expect(galley).toEqual(galleyBefore);
      expect(health).toEqual({ ...healthBefore, staleSince: since });
    }
  }, 60_000);
});

describe('daysBehind from image creation dates (--image-dates)', () => {
  /** Pushes a one-layer image whose config says it was created at `created`. */
  async function pushImage(name: string, tag: string, created: string): Promise<void> {
    const base = world.registry.url;
    const upload = async (bytes: Buffer, digest: string) => {
      const start = await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' });
      const target = new URL(start.headers.get('location')!, base);
      target.searchParams.set('digest', digest);
      const put = await fetch(target, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
      expect(put.status).toBe(201);
    };
    const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
    const layer = gzipSync(Buffer.alloc(1024));
    const config = Buffer.from(
      JSON.stringify({
        created,
        architecture: 'amd64',
        os: 'linux',
        config: { Labels: { tag } },
        rootfs: { type: 'layers', diff_ids: [sha(Buffer.alloc(1024))] },
      }),
    );
    await upload(layer, sha(layer));
    await upload(config, sha(config));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(layer), size: layer.length }],
      }),
    );
    const put = await fetch(`${base}/v2/${name}/manifests/${tag}`, {
      method: 'PUT',
      body: manifest,
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(put.status).toBe(201);
  }

  it('counts the days between the pinned image and the newest candidate; without the flag it stays unknown', async () => {
    await pushImage('library/caddy', '2.7.0', '2024-01-01T00:00:00Z');
    await pushImage('library/caddy', '2.7.6', '2024-02-15T08:00:00Z');
    await pushImage('library/caddy', '2.8.0', '2024-03-01T12:00:00Z');
    await world.git.addRepo({
      name: 'web',
      commits: [
        {
          message: 'web',
          files: { 'compose.yml': 'services:\n  app:\n    image: caddy:2.7.0\n  side:\n    image: caddy:2.8.0\n' },
          tags: [{ name: '1.0.0+2.7.0', annotated: true }],
        },
      ],
    });
    const list = path.join(world.dir, 'web.txt');
    await writeFile(list, `${world.git.url('web')}\n`);
    world.proxy.configure({});
    const sources = `  - list: ${list}\n`;
    const without = await generateCatalogue(await settingsFor('web-plain', {}, { sources }));
    expect(without.catalogue.web!.galley!.upgrades.app).toMatchObject({ patch: { tag: '2.7.6' }, minor: { tag: '2.8.0' } });
    expect(without.catalogue.web!.galley!.upgrades.app!.daysBehind).toBeUndefined();
    expect(without.catalogue.web!.galley!.upgrades.side!.daysBehind).toBe(0);
    world.proxy.clear();
    const dated = await generateCatalogue(await settingsFor('web-dated', { imageDates: true }, { sources }));
    expect(dated.catalogue.web!.galley!.upgrades.app!.daysBehind).toBe(60);
    // Two manifests and two config blobs: the pinned image's and the newest candidate's.
    expect(world.proxy.counts()).toMatchObject({ manifest: 2, blob: 2 });
  }, 60_000);
});
