import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GitTag } from '@galley/platform/git';
import { MemorySource, readRecipe } from '@galley/recipe';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaStore, sniffImage } from './media.js';
import { identifyLicence, readmeImages, readRecipeExtras } from './recipe-extras.js';
import { readSidecar, sidecarPath, writeSidecar } from './sidecar.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')]);
const tag = (name: string, date: string, tagger?: string): GitTag => ({
  name,
  annotated: tagger !== undefined,
  commit: 'a'.repeat(40),
  date,
  ...(tagger ? { tagger } : {}),
});

async function recipeOf(files: Record<string, string>) {
  return readRecipe(new MemorySource(files, 'test'), 'forum');
}

describe('readRecipeExtras', () => {
  it('reads the licence from LICENSE, maintainers from the metadata, CODEOWNERS and taggers, a demo link and the README images', async () => {
    const recipe = await recipeOf({
      'compose.yml': 'services: {}\n',
      LICENSE: '                    GNU AFFERO GENERAL PUBLIC LICENSE\n                       Version 3, 19 November 2007\n',
      '.gitea/CODEOWNERS': '# owners\n* @decentral1se @Ada\ncompose.yml someone@example.org\n',
      'README.md': `# Forum

A forum.

<!-- metadata -->
* **Category**: Apps
* **Maintainer**: [Ada](https://example.org/ada), @3wc and Grace Hopper <grace@example.org>
* **Demo**: [demo](https://demo.forum.example.org/)
<!-- endmetadata -->

![Screenshot](docs/shot.png "the forum")
<img src="https://img.example.org/b.png" alt="B">
![ref][logo]

[logo]: ./logo.svg
`,
      'logo.svg': '<svg/>',
    });
    const extras = await readRecipeExtras({
      recipe,
      tags: [
        tag('0.1.0+1', '2024-01-01T00:00:00Z', 'Old Tagger'),
        tag('0.2.0+1', '2024-05-01T00:00:00Z', 'decentral1se'),
        tag('0.3.0+1', '2024-06-01T00:00:00Z'),
      ],
      forgeUser: (u) => `https://git.example.org/${u}`,
    });
    expect(extras.licence).toEqual({ spdx: 'AGPL-3.0', name: 'GNU Affero General Public License v3', file: 'LICENSE' });
    expect(extras.maintainers).toEqual([
      { name: 'Ada', url: 'https://example.org/ada', from: ['metadata', 'codeowners'] },
      { name: '3wc', url: 'https://git.example.org/3wc', from: ['metadata'] },
      { name: 'Grace Hopper', from: ['metadata'] },
      { name: 'decentral1se', url: 'https://git.example.org/decentral1se', from: ['codeowners', 'tagger'] },
      { name: 'Old Tagger', from: ['tagger'] },
    ]);
    expect(extras.demo).toBe('https://demo.forum.example.org/');
    expect(extras.images).toEqual([
      { src: 'docs/shot.png', alt: 'Screenshot' },
      { src: 'https://img.example.org/b.png', alt: 'B' },
      { src: './logo.svg', alt: 'ref' },
    ]);
    expect(extras.iconFile).toBe('logo.svg');
    expect(extras.deprecated).toBeUndefined();
  });

  it('says a recipe is deprecated when its metadata or the top of its README does, but not for a passing mention', async () => {
    const read = async (readme: string) =>
      (await readRecipeExtras({ recipe: await recipeOf({ 'compose.yml': '', 'README.md': readme }), tags: [] })).deprecated;
    expect(await read('# X\n\n> **DEPRECATED**: use loomio instead\n')).toEqual({ reason: 'DEPRECATED: use loomio instead', from: 'readme' });
    expect(await read('# X\n\nThis recipe is no longer maintained.\n')).toEqual({ reason: 'This recipe is no longer maintained.', from: 'readme' });
    expect(await read('# X (deprecated)\n')).toEqual({ reason: 'X (deprecated)', from: 'readme' });
    expect(await read('# X\n\n<!-- metadata -->\n* **Deprecated**: replaced by y\n<!-- endmetadata -->\n')).toEqual({
      reason: 'replaced by y',
      from: 'metadata',
    });
    expect(await read('# X\n\nIt replaces the deprecated `links:` key with networks.\n')).toBeUndefined();
    expect(await read('# X\n\n<!-- metadata -->\n* **Deprecated**: no\n<!-- endmetadata -->\n')).toBeUndefined();
  });

  it('names common licences by their text, and falls back to the README metadata or the file name', async () => {
    expect(identifyLicence('MIT License\n\nCopyright (c) 2024')?.spdx).toBe('MIT');
    expect(identifyLicence('GNU GENERAL PUBLIC LICENSE\n Version 3, 29 June 2007')?.spdx).toBe('GPL-3.0');
    expect(identifyLicence('Apache License\nVersion 2.0, January 2004')?.spdx).toBe('Apache-2.0');
    expect(identifyLicence('my own terms')).toBeUndefined();
    const own = await readRecipeExtras({ recipe: await recipeOf({ 'compose.yml': '', 'COPYING.md': 'my own terms' }), tags: [] });
    expect(own.licence).toEqual({ name: 'see COPYING.md', file: 'COPYING.md' });
    const meta = await readRecipeExtras({
      recipe: await recipeOf({ 'compose.yml': '', 'README.md': '# X\n\n<!-- metadata -->\n* **License**: `GPL-3.0`\n<!-- endmetadata -->\n' }),
      tags: [],
    });
    expect(meta.licence).toEqual({ name: 'GPL-3.0' });
  });

  it('finds images in markdown, reference links and HTML, in order, once each, and not in comments', () => {
    expect(readmeImages('<!-- ![hidden](h.png) -->\n![a](a.png) <img alt="b" src=\'b.png\'> ![a again](a.png) ![c](<c d.png>)')).toEqual([
      { src: 'a.png', alt: 'a' },
      { src: 'b.png', alt: 'b' },
      { src: 'c d.png', alt: 'c' },
    ]);
  });
});

describe('media', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'galley-media-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps only images that are what they say, and SVGs that run nothing and load nothing', () => {
    expect(sniffImage(PNG)).toEqual({ ext: 'png' });
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ ext: 'jpg' });
    expect(sniffImage(Buffer.from('GIF89a....'))).toEqual({ ext: 'gif' });
    expect(sniffImage(Buffer.from('<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg"><use href="#a"/></svg>'))).toEqual({
      ext: 'svg',
    });
    expect(sniffImage(Buffer.from('<html><script>alert(1)</script>'))).toEqual({ reason: 'not a PNG, JPEG, GIF, WebP or SVG image' });
    for (const [svg, why] of [
      ['<svg><script>alert(1)</script></svg>', 'a script'],
      ['<svg onload="alert(1)"/>', 'an event handler'],
      ['<svg><foreignObject><div/></foreignObject></svg>', 'a foreignObject'],
      ['<svg><image href="https://tracker.example.org/p.gif"/></svg>', 'a reference to https://tracker.example.org/p.gif'],
      ['<svg><style>@import url(x.css)</style></svg>', 'a url() to another file'],
      ['<svg><a xlink:href="javascript:alert(1)">x</a></svg>', 'a javascript: link'],
    ] as const) {
      expect(sniffImage(Buffer.from(svg))).toEqual({ reason: `an SVG with ${why}` });
    }
    expect(sniffImage(Buffer.alloc(0))).toEqual({ reason: 'empty' });
  });

  it('stores files by content and publishes exactly those the catalogue names', async () => {
    const store = new MediaStore(path.join(dir, 'cache'));
    await store.load();
    const png = await store.put(PNG);
    expect(png).toMatchObject({ file: expect.stringMatching(/^media\/[0-9a-f]{64}\.png$/), type: 'image/png', bytes: PNG.length });
    expect(await store.put(Buffer.from('not an image'))).toEqual({ reason: 'not a PNG, JPEG, GIF, WebP or SVG image' });
    const out = path.join(dir, 'out', 'media');
    const stale = `${'0'.repeat(64)}.png`;
    await store.publish(out, []);
    await writeFile(path.join(out, stale), 'old');
    await writeFile(path.join(out, 'README.txt'), 'mine');
    await store.publish(out, [png as never]);
    expect((await readdir(out)).sort()).toEqual(['README.txt', path.basename((png as { file: string }).file)].sort());
    expect(await readFile(path.join(out, path.basename((png as { file: string }).file)))).toEqual(PNG);
    expect(store.relocate({ file: 'elsewhere/abc.png', type: 'image/png', bytes: 1, sha256: 'abc' }).file).toBe('media/abc.png');
  });

  it('remembers remote images that failed, and never asks without a client (offline)', async () => {
    const store = new MediaStore(path.join(dir, 'cache2'));
    await store.load();
    expect(await store.remoteImage('https://img.example.org/a.png', undefined, { refresh: false, now: Date.now() })).toBeUndefined();
    expect(await store.remoteImage('http://img.example.org/a.png', undefined, { refresh: false, now: Date.now() })).toBeUndefined();
  });
});

describe('the sidecar', () => {
  it('lives beside the catalogue, keeps what other runs added, and keeps the last upstream check through offline runs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'galley-sidecar-'));
    try {
      const catalogue = path.join(dir, 'recipes.json');
      expect(sidecarPath(catalogue)).toBe(path.join(dir, 'recipes.galley.json'));
      expect(await readSidecar(catalogue)).toBeUndefined();
      await writeSidecar(catalogue, { generatedAt: '2024-06-01T00:00:00.000Z', upstreamCheckedAt: '2024-06-01T00:00:00.000Z', media: 'media' });
      const text = JSON.parse(await readFile(sidecarPath(catalogue), 'utf8')) as Record<string, unknown>;
      await writeFile(sidecarPath(catalogue), JSON.stringify({ ...text, changes: { added: ['x'] } }));
      await writeSidecar(catalogue, { generatedAt: '2024-06-02T00:00:00.000Z' });
      expect(await readSidecar(catalogue)).toEqual({
        generatedAt: '2024-06-02T00:00:00.000Z',
        upstreamCheckedAt: '2024-06-01T00:00:00.000Z',
        changes: { added: ['x'] },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
