import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type BuildSiteOptions, buildSite } from './build-site.js';
import { findGalleyRoot } from './paths.js';
import { readmesFromDir } from './readme-source.js';
import { HOME_BUDGET_BYTES, JS_BUDGET_BYTES } from './site-weight.js';
import { fixtureCatalogue, fixtureMedia, writeFixtureCatalogue } from './testing/fixture-catalogue.js';
import { writeSyntheticCatalogue } from './testing/synthetic-catalogue.js';

const root = findGalleyRoot()!;
let dir: string;
let fixture: { catalogueFile: string; readmesDir: string };

/** The client script is bundled by `npm run build`; bundle it here when a test runs before any build. */
function ensureClientBundle(): void {
  if (!existsSync(path.join(root, 'site-templates/client/dist/app.js'))) execFileSync(process.execPath, [path.join(root, 'scripts/build-site-assets.mjs')]);
}

async function build(out: string, extra: Partial<BuildSiteOptions> = {}, input = fixture) {
  return buildSite({ catalogue: input.catalogueFile, out, readmes: await readmesFromDir(input.readmesDir), ...extra });
}

/** Every file under `dir`, as sorted relative paths. */
async function listFiles(top: string): Promise<string[]> {
  const entries = await readdir(top, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(top, path.join(e.parentPath, e.name)))
    .sort();
}

async function read(site: string, file: string): Promise<string> {
  return readFile(path.join(site, file), 'utf8');
}

/** href and src values of every tag (values are HTML-escaped: undo the entities eta writes). */
function links(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) =>
    m[1]!
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"'),
  );
}

beforeAll(async () => {
  ensureClientBundle();
  dir = await mkdtemp(path.join(tmpdir(), 'galley-site-'));
  fixture = await writeFixtureCatalogue(path.join(dir, 'input'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('buildSite', () => {
  let site: string;
  let files: string[];
  beforeAll(async () => {
    site = path.join(dir, 'site');
    const result = await build(site);
    expect(result).toMatchObject({ recipes: 10, categories: 4, versions: 13, readmes: { rendered: 3, missing: 7 } });
    files = await listFiles(site);
  });

  it('writes every page, the feed, sitemap, badges, the catalogue copy, assets and a marker', async () => {
    expect(files).toEqual([
      '.galley-site',
      '404.html',
      'app.js',
      ...['agora', 'custom-php', 'forum', 'gitea', 'keycloak', 'matrix-synapse', 'nextcloud', 'traefik', 'uptime-kuma', 'wordpress'].map(
        (n) => `badges/${n}.svg`,
      ),
      'categories/apps.html',
      'categories/communication.html',
      'categories/development.html',
      'categories/index.html',
      'categories/utilities.html',
      'compare.html',
      'favicon.svg',
      'index.html',
      ...[...fixtureMedia().keys()].sort(),
      'noscript.css',
      'recipes.json',
      ...['agora', 'custom-php', 'forum', 'gitea', 'keycloak', 'matrix-synapse', 'nextcloud', 'traefik', 'uptime-kuma', 'wordpress'].flatMap((n) => [
        `recipes/${n}.html`,
        `recipes/${n}.json`,
      ]),
      'search-index.json',
      'style.css',
    ]);
    for (const [file, bytes] of fixtureMedia()) expect(Buffer.compare(await readFile(path.join(site, file)), bytes)).toBe(0);
    expect(await read(site, 'recipes.json')).toBe(await readFile(fixture.catalogueFile, 'utf8'));
  });

  it('gives every HTML page a CSP that forbids inline script, and has no inline script or event handler', async () => {
    for (const file of files.filter((f) => f.endsWith('.html'))) {
      const html = await read(site, file);
      expect(html).toMatch(
        /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;self&#39;; style-src &#39;self&#39;[^"]*">/,
      );
      for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
        expect(script[1]).toMatch(/ src="[^"]*app\.js"/);
        expect(script[2]).toBe('');
      }
      expect(html).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/\sstyle="/);
    }
  });

  it('links only to files of the site (relative, so any sub-path works) or to the outside', async () => {
    for (const file of files.filter((f) => f.endsWith('.html') && f !== '404.html')) {
      const html = await read(site, file);
      for (const link of links(html)) {
        if (/^(https?:|mailto:)/.test(link)) continue;
        expect(link).not.toMatch(/^\/|^[a-z]+:/i);
        const target = link.split('#')[0]!.split('?')[0]!;
        const resolved = path.normalize(path.join(path.dirname(file), target || path.basename(file)));
        expect({ file, link, exists: files.includes(resolved) }).toEqual({ file, link, exists: true });
        const fragment = link.split('#')[1];
        if (fragment) expect(await read(site, resolved)).toContain(`id="${fragment}"`);
      }
    }
    // The 404 page is served at any depth: without --base-url it links nowhere.
    expect(links(await read(site, '404.html'))).toEqual([]);
  });

  it('shows a recipe’s versions with dates, parts, images and digests, its upgrades, lint and README', async () => {
    const html = await read(site, 'recipes/nextcloud.html');
    expect(html).toContain('<h1>nextcloud</h1>');
    expect(html).toContain('<summary><code>6.0.0+28.0.2-fpm</code> · 2024-05-20 · latest</summary>');
    expect(html).toContain('<summary><code>5.0.0+27.0.1-fpm</code> · 2023-08-01</summary>');
    expect(html).toContain('<div><dt>Recipe</dt><dd>6.0.0</dd></div>');
    expect(html).toContain('<div><dt>Upstream</dt><dd>28.0.2-fpm</dd></div>');
    expect(html).toContain(`<code class="digest">sha256:${'1'.repeat(64)}</code>`);
    expect(html).toContain('<code class="digest">unknown</code>');
    expect(html).toContain('Nextcloud 28. Run `abra app cmd &lt;app&gt; app upgrade` after deploying.');
    expect(html).toContain('<code class="upgrade upgrade-major">29.0.1-fpm</code>');
    expect(html).toContain('<code class="upgrade upgrade-patch">28.0.6-fpm</code>');
    expect(html).toContain('<code class="upgrade upgrade-minor">15.7</code>');
    expect(html).toContain('major update upstream · 2 services · 41 days behind');
    expect(html).toContain('1 upstream tag could not be compared, e.g. <code>production</code> (a bare word, not a version)');
    expect(html).toContain('2 warnings · 1 info');
    expect(html).toContain('<code class="command">abra app new nextcloud 6.0.0+28.0.2-fpm --server example.org --domain nextcloud.example.org</code>');
    expect(html).toContain(
      '<code class="command">galley deploy ~/.abra/servers/example.org/nextcloud.example.org.env --version 5.1.0+27.1.3-fpm --force</code>',
    );
    expect(html).toContain('<a href="https://hub.docker.com/_/nextcloud" rel="nofollow noopener noreferrer">nextcloud</a>');
    expect(html).toContain(
      '<a href="https://git.coopcloud.tech/coop-cloud/nextcloud/src/branch/main/docs/setup.md" rel="nofollow noopener noreferrer ugc">the setup notes</a>',
    );
    expect(html).toContain('The official upstream image.');
    expect(html).not.toContain('**Category**');
    expect(await read(site, 'recipes/forum.html')).toContain('<h3>Forum</h3>');
    expect(await read(site, 'recipes/traefik.html')).toContain('No README was given for this recipe');
    expect(await read(site, 'recipes/agora.html')).toContain('could not be refreshed since 2024-05-30 (git fetch failed: repository not found)');
    expect(await read(site, 'recipes/gitea.html')).toContain('the registry could not be asked: the registry answered 429 Too Many Requests');
  });

  it('lists every recipe as a card on the home page, with the data the filters read', async () => {
    const html = await read(site, 'index.html');
    expect([...html.matchAll(/<li class="card"/g)]).toHaveLength(10);
    expect(html).toContain(
      'data-slug="nextcloud" data-name="nextcloud" data-category="apps" data-status="4" data-image="4" data-healthcheck="1" data-backups="1" data-email="3" data-sso="3" data-tests="2" data-updates="1" data-recent="1" data-released="2024-05-20"',
    );
    expect(html).toContain(
      'data-slug="keycloak" data-name="keycloak" data-category="utilities" data-status="3" data-image="3" data-healthcheck="1" data-backups="0" data-email="na" data-sso="na"',
    );
    expect(html).toContain('data-lint="clean" data-pinned="1" data-maintained="1" data-behind="41"');
    expect(html).toContain('<div class="searchbar" role="search" aria-label="Recipes">');
    expect(html).toContain('<option value="3" data-label="3 or more">3 or more</option>');
    expect(html).toContain('Released since 2024-03-17');
    expect(html).toMatch(/<img class="icon" src="media\/[0-9a-f]{64}\.svg" alt="" width="40" height="40" loading="lazy">/);
  });

  it('writes badges, and the data the compare page reads', async () => {
    expect(JSON.parse(await read(site, 'recipes/forum.json'))).toMatchObject({
      key: 'forum',
      latest: { version: '0.2.0+3.8.4', date: '2024-03-28' },
      lint: { errors: 1, warnings: 1, text: '1 error · 1 warning' },
      pinned: true,
      services: [
        { service: 'app', image: 'ghcr.io/nodebb/nodebb', tag: '3.8.4' },
        { service: 'redis', image: 'redis', tag: '7.2' },
      ],
    });
    const badge = await read(site, 'badges/nextcloud.svg');
    expect(badge).toContain('<title>nextcloud: status 4 of 5, latest version 6.0.0+28.0.2-fpm</title>');
    expect(badge).toContain('>status 4</text>');
  });

  it('gives the same bytes for the same catalogue (no build time, everything sorted)', async () => {
    const again = path.join(dir, 'again');
    await build(again);
    expect(await listFiles(again)).toEqual(files);
    for (const file of files)
      expect({ file, same: Buffer.compare(await readFile(path.join(site, file)), await readFile(path.join(again, file))) === 0 }).toEqual({ file, same: true });
  });

  it('does not depend on the order of recipes in the catalogue file (only its copy does)', async () => {
    const catalogue = fixtureCatalogue();
    const reversed = Object.fromEntries(Object.entries(catalogue).reverse());
    const input = await writeFixtureCatalogue(path.join(dir, 'reversed'), reversed);
    const out = path.join(dir, 'reversed-site');
    await build(out, {}, input);
    for (const file of files.filter((f) => f !== 'recipes.json'))
      expect({ file, same: (await read(site, file)) === (await read(out, file)) }).toEqual({ file, same: true });
  });
});

describe('buildSite escaping', () => {
  it('escapes every value in text and attributes', async () => {
    const catalogue = fixtureCatalogue();
    catalogue.forum!.name = 'Forum <b>bold</b> & "quoted" \'single\'';
    catalogue.forum!.description = '<img src=x> & more';
    catalogue.forum!.category = 'Apps & <Tools>';
    catalogue.forum!.features.image.source = '"><i>x</i>';
    const input = path.join(dir, 'escape');
    await mkdir(input, { recursive: true });
    await writeFile(path.join(input, 'recipes.json'), JSON.stringify(catalogue));
    const out = path.join(dir, 'escape-site');
    await build(out, {}, { catalogueFile: path.join(input, 'recipes.json'), readmesDir: fixture.readmesDir });
    const home = await read(out, 'index.html');
    const page = await read(out, 'recipes/forum.html');
    for (const html of [home, page]) {
      expect(html).toContain('Forum &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;single&#39;');
      expect(html).toContain('&lt;img src=x&gt; &amp; more');
      expect(html).not.toContain('<b>bold</b>');
      expect(html).not.toContain('<img src=x>');
    }
    expect(home).toContain('data-name="forum &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;single&#39;"');
    expect(page).toContain('(&quot;&gt;&lt;i&gt;x&lt;/i&gt;)');
    const categories = await listFiles(path.join(out, 'categories'));
    expect(categories.some((f) => /^apps-tools(-[0-9a-f]{8})?\.html$/.test(f))).toBe(true);
    expect(await read(out, 'badges/forum.svg')).toContain('<title>Forum &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;single&#39;: status 2 of 5');
  });
});

describe('buildSite with --base-url', () => {
  it('uses absolute URLs only in the feed, sitemap, canonical links and the 404 page', async () => {
    const out = path.join(dir, 'based');
    await build(out, { baseUrl: 'https://recipes.example.org/sub' });
    const page = await read(out, 'recipes/forum.html');
    expect(page).toContain('<link rel="canonical" href="https://recipes.example.org/sub/recipes/forum.html">');
    expect(page).toContain('href="../index.html"');
    const feed = await read(out, 'feed.xml');
    expect(feed).toContain('href="https://recipes.example.org/sub/recipes/wordpress.html"');
    expect(feed).toContain('<updated>2024-06-01T00:00:00Z</updated>');
    expect(await read(out, 'sitemap.xml')).toContain('<loc>https://recipes.example.org/sub/recipes/forum.html</loc>');
    expect(await read(out, '404.html')).toContain('<a href="https://recipes.example.org/sub/">');
    await expect(build(path.join(dir, 'bad-base'), { baseUrl: 'javascript:alert(1)' })).rejects.toThrow(
      '--base-url javascript:alert(1): must be an http or https URL',
    );
    await expect(build(path.join(dir, 'bad-base'), { baseUrl: 'recipes' })).rejects.toThrow('not an absolute URL');
  });
});

describe('buildSite failures', () => {
  it('leaves the previous site as it was when a build fails, and no temporary folder behind', async () => {
    const parent = path.join(dir, 'atomic');
    const out = path.join(parent, 'site');
    await mkdir(parent);
    await build(out);
    const before = await listFiles(out);
    const home = await read(out, 'index.html');
    const readmes = path.join(dir, 'loop-readmes');
    await mkdir(readmes);
    await symlink('wordpress.md', path.join(readmes, 'wordpress.md')); // a symlink to itself: ELOOP
    const error = await build(out, {}, { catalogueFile: fixture.catalogueFile, readmesDir: readmes }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GalleyError);
    expect((error as GalleyError).exitCode).toBe(2);
    expect((error as GalleyError).message).toBe(
      `${path.join(readmes, 'wordpress.md')}: cannot read this README: it is a symbolic link that loops (point it at a file, or remove it)`,
    );
    expect(await listFiles(out)).toEqual(before);
    expect(await read(out, 'index.html')).toBe(home);
    expect(await readdir(parent)).toEqual(['site']);
  });

  it('replaces a site galley wrote, but refuses a folder it did not write or a file', async () => {
    const out = path.join(dir, 'replace');
    await build(out);
    await writeFile(path.join(out, 'stray.txt'), 'left from an older build');
    await build(out);
    expect(existsSync(path.join(out, 'stray.txt'))).toBe(false);

    const foreign = path.join(dir, 'foreign');
    await mkdir(foreign);
    await writeFile(path.join(foreign, 'thesis.tex'), 'precious');
    await expect(build(foreign)).rejects.toThrow(`--out ${foreign} is a folder galley did not write (it has no .galley-site file)`);
    expect(await readFile(path.join(foreign, 'thesis.tex'), 'utf8')).toBe('precious');
    await expect(build(path.join(foreign, 'thesis.tex'))).rejects.toThrow('is a file, not a folder');
  });

  it('says which README folder is missing', async () => {
    await expect(readmesFromDir(path.join(dir, 'no-such'))).rejects.toThrow(`--readmes ${path.join(dir, 'no-such')}: no such folder`);
  });
});

describe('home page weight', () => {
  it('stays within 100 KB gzipped (JS within 30 KB) at 200 recipes', async () => {
    const input = await writeSyntheticCatalogue(path.join(dir, 'synthetic-200'), 200);
    const result = await build(path.join(dir, 'synthetic-200-site'), {}, input);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(
      `home page at 200 recipes, gzipped: ${kb(result.home.total)} of ${kb(HOME_BUDGET_BYTES)} (HTML ${kb(result.home.html)}, CSS ${kb(result.home.css)}, JS ${kb(result.home.js)} of ${kb(JS_BUDGET_BYTES)}, index ${kb(result.home.index)})`,
    );
    expect(result.recipes).toBe(200);
    expect(result.home.html).toBeGreaterThan(0);
    expect(result.home.index).toBeGreaterThan(0);
    expect(result.home.total).toBeLessThanOrEqual(HOME_BUDGET_BYTES);
    expect(result.home.js).toBeLessThanOrEqual(JS_BUDGET_BYTES);
  }, 60_000);
});
