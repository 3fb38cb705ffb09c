// What the catalogue site needs that abra's catalogue lacks, end to end
// through the built CLI on a real git repository: the licence, the
// maintainers (README metadata, CODEOWNERS, release taggers), mirrored
// copies of the icon and README images (published beside recipes.json and
// copied into the site), lint findings with rule titles, and the sidecar
// with the generation time. Remote images are fetched from a real HTTP
// server through the catalogue's polite client.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { MediaStore } from '@galley/catalogue';
import { HttpClient } from '@galley/platform/http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runGalley } from '../support/cli.js';
import { makeTempDir, removeTempDir } from '../support/index.js';
import { commitAll, removeTree, writeTree } from '../support/recipe-fixtures.js';

const TIMEOUT = 120_000;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('a screenshot')]);
const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>\n';
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
let dir = '';
let repo = '';

beforeAll(async () => {
  dir = await makeTempDir('catalogue-extras');
  repo = writeTree({
    'compose.yml': 'services:\n  app:\n    image: nginx:latest\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n',
    '.env.sample': 'TYPE=forum\nDOMAIN=forum.example.com\n',
    'README.md': `# Forum

A forum.

<!-- metadata -->
* **Category**: Apps
* **Status**: 2
* **Maintainer**: [Ada](https://example.org/ada)
<!-- endmetadata -->

![The forum](docs/shot.png)
![Remote](https://images.example.org/remote.png)
`,
    LICENSE: 'MIT License\n\nCopyright (c) 2024 Ada\n',
    '.gitea/CODEOWNERS': '* @grace\n',
    'icon.svg': ICON,
  });
  await mkdir(path.join(repo, 'docs'), { recursive: true });
  await writeFile(path.join(repo, 'docs', 'shot.png'), PNG);
  commitAll(repo, [{ files: {}, tags: [{ name: '0.1.0+1.25', annotated: true }] }]);
  await writeFile(path.join(dir, 'recipes.txt'), `${repo}\n`);
}, TIMEOUT);

afterAll(async () => {
  if (repo) removeTree(repo);
  if (dir) await removeTempDir(dir);
});

describe('galley catalogue generate: what the site needs', () => {
  it(
    'records licence, maintainers, deprecation, lint findings and mirrored images, publishes the copies and writes the sidecar',
    async () => {
      const out = path.join(dir, 'out', 'recipes.json');
      const args = [
        'catalogue',
        'generate',
        '--source',
        `list:${path.join(dir, 'recipes.txt')}`,
        '--offline',
        '--cache',
        path.join(dir, 'cache'),
        '--out',
        out,
      ];
      const result = await runGalley(args, { env: { SOURCE_DATE_EPOCH: '1718000000' }, timeoutMs: TIMEOUT });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      const name = path.basename(repo);
      const galley = JSON.parse(await readFile(out, 'utf8'))[name].galley;
      expect(galley.licence).toEqual({ spdx: 'MIT', name: 'MIT License', file: 'LICENSE' });
      expect(galley.maintainers).toEqual([
        { name: 'Ada', url: 'https://example.org/ada', from: ['metadata'] },
        { name: 'grace', from: ['codeowners'] },
        { name: 'Galley Tests', from: ['tagger'] },
      ]);
      expect(galley.media).toEqual({
        icon: { file: `media/${sha(ICON)}.svg`, type: 'image/svg+xml', bytes: ICON.length, sha256: sha(ICON), src: 'icon.svg' },
        // offline: the remote image is not fetched (the site links to it instead)
        images: [{ file: `media/${sha(PNG)}.png`, type: 'image/png', bytes: PNG.length, sha256: sha(PNG), src: 'docs/shot.png', alt: 'The forum' }],
      });
      expect((await readdir(path.join(dir, 'out', 'media'))).sort()).toEqual([`${sha(ICON)}.svg`, `${sha(PNG)}.png`].sort());
      const docker = galley.lint.findings.find((f: { rule: string }) => f.rule === 'security/docker-socket');
      expect(docker).toMatchObject({ severity: 'warning', file: 'compose.yml', docs: expect.stringMatching(/docs\/rules\/security\/docker-socket\.md$/) });
      expect(docker.title.length).toBeGreaterThan(10);
      expect(JSON.parse(await readFile(path.join(dir, 'out', 'recipes.galley.json'), 'utf8'))).toEqual({
        generatedAt: new Date(1718000000 * 1000).toISOString(),
        media: 'media',
        recipes: 1,
        // what the run changed: the recipe is new
        changes: expect.objectContaining({ newRecipes: [{ recipe: name, latest: expect.any(String) }], removedRecipes: [] }),
      });

      // the site copies the mirrored files and points at them
      const site = path.join(dir, 'site');
      const built = await runGalley(['site', 'build', '--catalogue', out, '--out', site]);
      expect(built.code).toBe(0);
      expect(built.stdout).toContain('Mirrored images: 2 copied into the site.');
      const pageFile = (await readdir(path.join(site, 'recipes'))).find((f) => f.endsWith('.html'))!; // the slug of a mixed-case name has a hash
      const page = await readFile(path.join(site, 'recipes', pageFile), 'utf8');
      expect(page).toContain(`<img class="icon icon-large" src="../media/${sha(ICON)}.svg"`);
      expect(page).toContain(`src="../media/${sha(PNG)}.png"`);
      expect(page).toContain('MIT License');
      expect(page).toContain('No service mounts');

      // --no-media: no copies and no media in the catalogue
      const plain = path.join(dir, 'plain', 'recipes.json');
      const again = await runGalley([...args.slice(0, -1), plain, '--no-media'], { timeoutMs: TIMEOUT });
      expect(again.code).toBe(0);
      expect(JSON.parse(await readFile(plain, 'utf8'))[name].galley.media).toBeUndefined();
      expect(await readdir(path.join(dir, 'plain'))).toEqual(['recipes.galley.json', 'recipes.json']);
    },
    TIMEOUT,
  );

  it(
    'fetches remote images once through the polite client, keeps only real images, and remembers failures',
    async () => {
      let requests = 0;
      const server: Server = createServer((req, res) => {
        requests++;
        if (req.url === '/ok.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
        else if (req.url === '/page.png') res.writeHead(200, { 'content-type': 'image/png' }).end('<html>not an image</html>');
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      try {
        const store = new MediaStore(path.join(dir, 'cache-remote'));
        await store.load();
        const settings = { concurrency: 2, timeoutMs: 5000, retries: 0, backoffBaseMs: 10, backoffMaxMs: 10 };
        const http = new HttpClient(settings);
        // The store takes only https URLs; the test server is plain http, so the client sends https://images.test to it.
        const viaTest = new HttpClient({ ...settings, originOverrides: { 'https://images.test': `http://127.0.0.1:${port}` } });
        const now = Date.now();
        const ok = await store.remoteImage('https://images.test/ok.png', viaTest, { refresh: false, now });
        expect(ok).toEqual({ file: `media/${sha(PNG)}.png`, type: 'image/png', bytes: PNG.length, sha256: sha(PNG) });
        expect(await store.remoteImage('https://images.test/page.png', viaTest, { refresh: false, now })).toBeUndefined();
        expect(await store.remoteImage('https://images.test/gone.png', viaTest, { refresh: false, now })).toBeUndefined();
        expect(requests).toBe(3);
        await store.save();
        // a later run asks nobody: the copy is cached, the failures are remembered for a week
        const later = new MediaStore(path.join(dir, 'cache-remote'));
        await later.load();
        expect(await later.remoteImage('https://images.test/ok.png', http, { refresh: false, now: now + 1000 })).toEqual(ok);
        expect(await later.remoteImage('https://images.test/gone.png', http, { refresh: false, now: now + 1000 })).toBeUndefined();
        expect(requests).toBe(3);
      } finally {
        server.close();
      }
    },
    TIMEOUT,
  );
});
