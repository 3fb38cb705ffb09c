// The site in a real browser (Debian's Chromium via playwright-core),
// served by `galley site serve` from sites built by `galley site build`:
// the hand-written fixture catalogue (with its sidecar and mirrored images)
// and a 200-recipe synthetic one for the first screen and paging.

import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeFixtureCatalogue, writeSyntheticCatalogue } from '@galley/generator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, browser, makeTempDir, type Page, removeTempDir } from '../support/index.js';
import { ARTIFACTS, buildWithCli, type ServedSite, serveWithCli } from './site-support.js';

const TIMEOUT = 120_000;
const ALL = ['agora', 'custom-php', 'forum', 'gitea', 'keycloak', 'matrix-synapse', 'nextcloud', 'traefik', 'uptime-kuma', 'wordpress'];

let dir = '';
let served: ServedSite;
let big: ServedSite;
let b: Browser;
let page: Page;
let axeSource = '';

/** Names of the cards a person sees, in order. */
async function visibleCards(p: Page): Promise<string[]> {
  return p.$$eval('#cards > li.card', (cards) =>
    cards
      .filter((c) => !(c as HTMLElement).hidden && (c as HTMLElement).offsetParent !== null)
      .map((c) => c.querySelector('.card-title a')!.textContent!.trim()),
  );
}

async function home(p: Page, query = ''): Promise<void> {
  await p.goto(`${served.url}${query}`);
  await p.waitForSelector('#cards[data-search="ready"]', { state: 'attached' });
}

async function axeViolations(p: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await p.evaluate(axeSource);
  return p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

const params = (p: Page): Record<string, string> => Object.fromEntries(new URL(p.url()).searchParams);

beforeAll(async () => {
  dir = await makeTempDir('site-browser');
  const input = await writeFixtureCatalogue(path.join(dir, 'input'));
  await buildWithCli(['--catalogue', input.catalogueFile, '--readmes', input.readmesDir, '--out', path.join(dir, 'site')]);
  const synthetic = await writeSyntheticCatalogue(path.join(dir, 'input-200'), 200);
  await buildWithCli(['--catalogue', synthetic.catalogueFile, '--out', path.join(dir, 'site-200')]);
  served = await serveWithCli(path.join(dir, 'site'));
  big = await serveWithCli(path.join(dir, 'site-200'));
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  b = await browser();
  page = await b.newPage({ viewport: { width: 1280, height: 900 } });
  await mkdir(ARTIFACTS, { recursive: true });
}, TIMEOUT);

afterAll(async () => {
  await b?.close();
  await served?.stop();
  await big?.stop();
  if (dir) await removeTempDir(dir);
}, TIMEOUT);

describe('search', () => {
  it(
    'finds recipes by misspelt and transposed names, by image and by category',
    async () => {
      await home(page);
      for (const [q, want] of [
        ['nextclod', ['nextcloud']],
        ['wordpres', ['wordpress']],
        ['froum', ['forum']],
        ['ngnix', ['custom-php']],
        ['keyclaok', ['keycloak']],
        ['mariadb', ['gitea', 'wordpress', 'custom-php']],
        ['communication', ['matrix-synapse']],
      ] as const) {
        await page.fill('#q', q);
        expect({ q, cards: await visibleCards(page) }).toEqual({ q, cards: want });
      }
      expect(await page.textContent('#result-count')).toBe('1 of 10 recipes');
      expect(params(page)).toEqual({ q: 'communication' });
    },
    TIMEOUT,
  );

  it(
    'says which word matched nothing, offers the words that did, and suggests the nearest names',
    async () => {
      await home(page);
      await page.fill('#q', 'cloud zzzz');
      await expect(visibleCards(page)).resolves.toEqual([]);
      expect(await page.textContent('#result-count')).toBe('0 of 10 recipes');
      expect(await page.textContent('#no-results')).toContain('Nothing matches “zzzz”.');
      await page.click('text=Search for “cloud” instead');
      await expect(visibleCards(page)).resolves.toEqual(['traefik', 'nextcloud']);
      expect(params(page)).toEqual({ q: 'cloud' });

      await page.fill('#q', 'wurdprezz');
      await expect(visibleCards(page)).resolves.toEqual([]);
      expect(await page.textContent('#no-results')).toContain('Did you mean wordpress?');
      await home(page, '?category=communication&status=5');
      expect(await page.textContent('#no-results')).toContain('No recipe passes every filter.');
      await page.click('#no-results-clear-filters');
      await expect(visibleCards(page)).resolves.toEqual(ALL);
    },
    TIMEOUT,
  );
});

describe('filters', () => {
  it(
    'narrows the cards, counts each option, shows the active ones as chips, and keeps the view in the URL',
    async () => {
      await home(page);
      await expect(visibleCards(page)).resolves.toEqual(ALL);
      await page.selectOption('#f-category', 'development');
      await expect(visibleCards(page)).resolves.toEqual(['custom-php', 'gitea']);
      await page.check('#f-updates');
      await page.selectOption('#f-status', '5');
      await expect(visibleCards(page)).resolves.toEqual(['gitea']);
      expect(params(page)).toEqual({ category: 'development', status: '5', updates: '1' });
      const categoryOptions = await page.$$eval('#f-category option', (options) => options.map((o) => o.textContent));
      expect(categoryOptions).toEqual(['All categories (1)', 'Apps (0)', 'Communication (0)', 'Development (1)', 'Utilities (0)']);
      expect(await page.textContent('label[for="f-updates"]')).toBe('Has updates upstream (1)');
      expect(await page.$$eval('#active .chip', (chips) => chips.map((c) => c.textContent))).toEqual([
        'Category: Development',
        'Has updates upstream',
        'Status: 5 (complete)',
      ]);
      await page.reload();
      await expect(visibleCards(page)).resolves.toEqual(['gitea']);
      await page.click('#active .chip >> text=Status: 5 (complete)');
      await expect(visibleCards(page)).resolves.toEqual(['custom-php', 'gitea']);
      expect(params(page)).toEqual({ category: 'development', updates: '1' });
      await page.click('#clear');
      await expect(visibleCards(page)).resolves.toEqual(ALL);
      expect(new URL(page.url()).search).toBe('');
    },
    TIMEOUT,
  );

  it(
    'filters on risk: no lint errors, every image pinned',
    async () => {
      await home(page);
      await page.check('#f-lint');
      await expect(visibleCards(page)).resolves.toEqual(['nextcloud', 'wordpress']);
      expect(await page.textContent('label[for="f-pinned"]')).toBe('Every image pinned (2)');
      await page.uncheck('#f-lint');
      await page.check('#f-pinned');
      await expect(visibleCards(page)).resolves.toEqual(ALL.filter((n) => n !== 'traefik' && n !== 'uptime-kuma'));
      await home(page, '?pinned=1&lint=clean');
      await expect(visibleCards(page)).resolves.toEqual(['nextcloud', 'wordpress']);
      // the risk on the cards themselves
      await home(page);
      expect(await page.$eval('li[data-slug="forum"] .facts', (f) => f.textContent)).toContain('1 error · 1 warning');
      expect(await page.$eval('li[data-slug="uptime-kuma"] .facts', (f) => f.textContent)).toContain('not linted · unpinned image');
    },
    TIMEOUT,
  );

  it(
    'filters on maintenance and recent releases, measured from the catalogue’s date, and sorts',
    async () => {
      await home(page);
      expect(await page.textContent('.intro .lead')).toContain('Catalogue of 2024-06-15; upstream checked 2024-06-14.');
      expect(await page.textContent('label[for="f-recent"]')).toMatch(/^Released since 2024-03-17 \(5\)$/);
      expect(await page.$$eval('li[data-slug="agora"] .flag', (f) => f.map((x) => x.textContent))).toEqual(['deprecated', 'unmaintained', 'not refreshed']);
      expect(await page.$$eval('li[data-slug="custom-php"] .flag', (f) => f.map((x) => x.textContent))).toEqual(['unmaintained']);
      await page.check('#f-maintained');
      await expect(visibleCards(page)).resolves.toEqual(['forum', 'gitea', 'keycloak', 'matrix-synapse', 'nextcloud', 'uptime-kuma', 'wordpress']);
      await home(page, '?recent=1&sort=newest');
      await expect(visibleCards(page)).resolves.toEqual(['wordpress', 'nextcloud', 'keycloak', 'gitea', 'forum']);
      await home(page, '?sort=status');
      expect((await visibleCards(page)).slice(0, 3)).toEqual(['gitea', 'custom-php', 'nextcloud']);
      await home(page, '?sso=na');
      await expect(visibleCards(page)).resolves.toEqual(['keycloak']);
      await home(page, '?image=4&tests=no');
      await expect(visibleCards(page)).resolves.toEqual(['forum', 'matrix-synapse']);
    },
    TIMEOUT,
  );

  it(
    'makes each filter change a history entry, so Back undoes it (typing replaces its own entry)',
    async () => {
      await home(page);
      await page.selectOption('#f-category', 'development');
      await page.selectOption('#f-status', '5');
      await expect(visibleCards(page)).resolves.toEqual(['gitea']);
      await page.goBack();
      await expect(visibleCards(page)).resolves.toEqual(['custom-php', 'gitea']);
      expect(await page.inputValue('#f-status')).toBe('');
      expect(params(page)).toEqual({ category: 'development' });
      await page.goBack();
      await expect(visibleCards(page)).resolves.toEqual(ALL);
      expect(await page.inputValue('#f-category')).toBe('');
      await page.goForward();
      await expect(visibleCards(page)).resolves.toEqual(['custom-php', 'gitea']);

      // A whole typed search is one entry: Back after typing and a filter undoes the filter, then the search.
      await page.click('#clear');
      await page.focus('#q');
      await page.keyboard.type('cloud');
      await page.check('#f-lint');
      expect(params(page)).toEqual({ q: 'cloud', lint: 'clean' });
      await page.goBack();
      expect(params(page)).toEqual({ q: 'cloud' });
      await expect(visibleCards(page)).resolves.toEqual(['traefik', 'nextcloud']);
      await page.goBack();
      expect(params(page)).toEqual({});
      expect(await page.inputValue('#q')).toBe('');
    },
    TIMEOUT,
  );
});

describe('compare', () => {
  it(
    'picks recipes on their cards, and shows them side by side at a shareable address',
    async () => {
      await home(page);
      await page.check('li[data-slug="forum"] .pick input');
      expect(await page.textContent('#compare-names')).toBe('Compare forum (pick one more)');
      await page.check('li[data-slug="nextcloud"] .pick input');
      expect(await page.getAttribute('#compare-go', 'href')).toBe('compare.html?r=forum,nextcloud');
      await Promise.all([page.waitForURL('**/compare.html?r=forum,nextcloud'), page.click('#compare-go')]);
      await page.waitForSelector('#compare[data-ready="true"] #compare-table:not([hidden])');
      const table = async (p: Page) =>
        p.$$eval('#compare-table tbody tr', (rows) =>
          Object.fromEntries(rows.map((r) => [r.children[0]!.textContent, [...r.children].slice(1).map((c) => c.textContent)])),
        );
      const rows = await table(page);
      expect(rows['Latest version']).toEqual(['0.2.0+3.8.4 (2024-03-28)', '6.0.0+28.0.2-fpm (2024-05-20)']);
      expect(rows.Status).toEqual(['2 of 5', '4 of 5']);
      expect(rows.Upstream).toEqual(['patch update upstream · 1 service · 18 days behind', 'major update upstream · 2 services · 41 days behind']);
      expect(rows.Lint).toEqual(['1 error · 1 warning', '2 warnings · 1 info']);
      expect(rows['Services and images']).toEqual([
        'app: ghcr.io/nodebb/nodebb:3.8.4redis: redis:7.2',
        'app: nextcloud:28.0.2-fpmcache: redis:7.2.4-alpinedb: postgres:15.5',
      ]);
      expect(rows['Newest upstream tags']?.[1]).toContain('db: 15.5 → 16.3 (major, 12 days behind)');
      expect(rows.Licence).toEqual(['not stated', 'GNU Affero General Public License v3']);

      // The address alone shows the same (shared with someone else).
      const other = await b.newPage();
      await other.goto(`${served.url}compare.html?r=forum,nextcloud`);
      await other.waitForSelector('#compare-table:not([hidden])');
      expect(await table(other)).toEqual(rows);
      await other.close();

      await page.click('text=Remove forum');
      await page.waitForURL('**/compare.html?r=nextcloud');
      await page.fill('#compare-add', 'wordpress');
      await page.click('#compare-add-button');
      await page.waitForURL('**/compare.html?r=nextcloud,wordpress');
      await page.waitForFunction(() => document.querySelectorAll('#compare-table thead th').length === 3);
      expect(await page.$$eval('#compare-table thead th a', (a) => a.map((x) => x.textContent))).toEqual(['nextcloud', 'wordpress']);
      await page.goBack();
      await page.waitForFunction(() => document.querySelectorAll('#compare-table thead th').length === 2);
      expect(await axeViolations(page)).toEqual([]);
    },
    TIMEOUT,
  );
});

describe('a recipe page', () => {
  it(
    'shows who and what the recipe is: icon, licence, maintainers, links, screenshots',
    async () => {
      await page.goto(`${served.url}recipes/nextcloud.html`);
      expect(await page.getAttribute('.title-row img.icon', 'src')).toMatch(/^\.\.\/media\/[0-9a-f]{64}\.svg$/);
      const facts = await page.$$eval('.recipe-header .facts > div', (rows) =>
        Object.fromEntries(rows.map((r) => [r.querySelector('dt')!.textContent, r.querySelector('dd')!.textContent])),
      );
      expect(facts.Licence).toBe('GNU Affero General Public License v3 (AGPL-3.0)');
      expect(facts.Maintainers).toBe('decentral1se (README, tagged releases)Ada Lovelace (CODEOWNERS)');
      expect(facts.Catalogue).toBe('of 2024-06-15; upstream checked 2024-06-14');
      expect(await page.getAttribute('.links a:text("Demo")', 'href')).toBe('https://demo.nextcloud.example.org/');
      expect(await page.getAttribute('a:text("GNU Affero General Public License v3")', 'href')).toBe(
        'https://git.coopcloud.tech/coop-cloud/nextcloud/src/branch/main/LICENSE',
      );
      // the mirrored screenshot is shown and loads from the site
      const shot = await page.$eval('.screenshots img', (img) => ({ src: img.getAttribute('src'), width: (img as HTMLImageElement).naturalWidth }));
      expect(shot).toEqual({ src: expect.stringMatching(/^\.\.\/media\/[0-9a-f]{64}\.png$/), width: 32 });
      // in the README: the mirrored image, and a link in place of the one that was not mirrored
      expect(await page.getAttribute('.readme img', 'src')).toBe(shot.src);
      expect(await page.textContent('.readme a.image-link')).toBe('Image: Screenshot of the files view');
      expect(await page.getAttribute('.readme a.image-link', 'href')).toBe('https://images.example.org/nextcloud/files.png');
    },
    TIMEOUT,
  );

  it(
    'shows the risk where the choice is made: lint findings with rule titles and links to the rule docs',
    async () => {
      await page.goto(`${served.url}recipes/forum.html`);
      const rows = await page.$$eval('table.findings tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      expect(rows[0]).toEqual([
        'error',
        'A config whose content changed gets a new version. recipe/config-version-bump',
        'entrypoint.sh.tmpl changed since 0.1.0+3.8.3 but ENTRYPOINT_VERSION did not',
        'abra.sh:1:8',
      ]);
      expect(await page.getAttribute('table.findings a:text("A config whose content changed gets a new version.")', 'href')).toBe(
        'https://git.coopcloud.tech/toolshed/galley/src/branch/main/docs/rules/recipe/config-version-bump.md',
      );
      expect(await page.textContent('.recipe-header .facts .lint')).toBe('1 error · 1 warning');
      await page.goto(`${served.url}recipes/uptime-kuma.html`);
      expect(await page.textContent('.recipe-header .facts .unpinned')).toBe('not pinned: app: louislam/uptime-kuma:latest');
      await page.goto(`${served.url}recipes/agora.html`);
      expect(await page.$$eval('.notice', (n) => n.map((x) => x.textContent))).toEqual([
        'Deprecated: This recipe is deprecated in favour of loomio. (says the README).',
        "Unmaintained: no release since 2021-05-05, more than 12 months before the catalogue's date.",
        'Possibly out of date: this entry could not be refreshed since 2024-05-30 (git fetch failed: repository not found); it shows the last good data.',
      ]);
    },
    TIMEOUT,
  );

  it(
    'gives the deploy, upgrade and rollback commands for the latest release and for each version, with galley and abra',
    async () => {
      await page.goto(`${served.url}recipes/nextcloud.html`);
      const steps = (scope: string) =>
        page.$$eval(`${scope} .tool`, (tools) =>
          tools.map((t) => [t.querySelector('h3,h4')!.textContent, [...t.querySelectorAll('li')].map((li) => li.textContent)]),
        );
      const env = '~/.abra/servers/example.org/nextcloud.example.org.env';
      expect(await steps('section:has(#deploy)')).toEqual([
        [
          'With galley',
          [
            'New app galley env new nextcloud nextcloud.example.org --server example.org',
            `Secrets galley secret generate ${env} --version 6.0.0+28.0.2-fpm`,
            `Config $EDITOR ${env}`,
            `Deploy galley deploy ${env} --version 6.0.0+28.0.2-fpm`,
          ],
        ],
        [
          'With abra',
          [
            'New app abra app new nextcloud 6.0.0+28.0.2-fpm --server example.org --domain nextcloud.example.org',
            'Secrets abra app secret generate nextcloud.example.org --all',
            'Config abra app config nextcloud.example.org',
            'Deploy abra app deploy nextcloud.example.org 6.0.0+28.0.2-fpm',
          ],
        ],
      ]);
      const ops = await page.$$eval('section:has(#deploy) .ops > div', (d) => d.map((x) => x.textContent));
      expect(ops).toEqual([
        `Upgrade an app to 6.0.0+28.0.2-fpmgalley deploy ${env} --version 6.0.0+28.0.2-fpm or abra app upgrade nextcloud.example.org 6.0.0+28.0.2-fpm`,
        `Roll back to 5.1.0+27.1.3-fpmgalley deploy ${env} --version 5.1.0+27.1.3-fpm --force or abra app rollback nextcloud.example.org 5.1.0+27.1.3-fpm`,
      ]);
      expect(await page.textContent('section:has(#deploy) p')).toContain('its README');
      // an older version has its own sequence; the oldest has nothing to roll back to
      const oldest = 'details.version:nth-of-type(3)';
      await page.click(`${oldest} summary`);
      expect((await steps(oldest))[1]![1]).toContain('Deploy abra app deploy nextcloud.example.org 5.0.0+27.0.1-fpm');
      expect(await page.$$eval(`${oldest} .ops > div`, (d) => d.length)).toBe(1);
      expect(await page.textContent('#upstream ~ .about')).toContain("days between the two images' build dates");
    },
    TIMEOUT,
  );

  it(
    'shows every version with its images and digests, and the upgrade notes',
    async () => {
      await page.goto(`${served.url}recipes/nextcloud.html`);
      const summaries = await page.$$eval('details.version summary', (s) => s.map((x) => x.textContent));
      expect(summaries).toEqual(['6.0.0+28.0.2-fpm · 2024-05-20 · latest', '5.1.0+27.1.3-fpm · 2023-11-02', '5.0.0+27.0.1-fpm · 2023-08-01']);
      const latestImages = await page.$$eval('details.version[open] table.images tbody tr', (rows) =>
        rows.map((r) => [...r.children].map((c) => c.textContent)),
      );
      expect(latestImages).toEqual([
        ['app', 'nextcloud', '28.0.2-fpm', `sha256:${'1'.repeat(64)}`],
        ['cache', 'redis', '7.2.4-alpine', 'unknown'],
        ['db', 'postgres', '15.5', `sha256:${'2'.repeat(64)}`],
      ]);
      const upgrades = await page.$$eval('table.upgrades tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
      expect(upgrades).toEqual([
        ['app', 'nextcloud', '28.0.2-fpm', '28.0.6-fpm', '—', '29.0.1-fpm', '41 days'],
        ['cache', 'redis', '7.2.4-alpine', '—', '—', '—', '0 days'],
        ['db', 'postgres', '15.5', '—', '15.7', '16.3', '12 days'],
      ]);
      expect(await page.textContent('.upgrade-notes')).toContain('1 upstream tag could not be compared');
      // What upgrading from the previous release asks (the catalogue's diff summary): breaking changes first, each with where it is.
      const latest = page.locator('details.version[open] .upgrade');
      expect(await latest.getAttribute('data-upgrade-from')).toBe('5.1.0+27.1.3-fpm');
      expect(await latest.locator('h3').textContent()).toBe('Upgrading from 5.1.0+27.1.3-fpm');
      expect(await latest.locator('p').textContent()).toBe('2 breaking changes: read them before upgrading. The changes call for a major release.');
      const changes = await latest
        .locator('ul.upgrade-changes > li')
        .evaluateAll((items) => items.map((li) => [li.className, li.textContent?.replace(/\s+/g, ' ').trim()]));
      expect(changes).toEqual([
        ['breaking', 'Breaking: ADMIN_EMAIL added, required — the app env must set it (.env.sample has ADMIN_EMAIL=admin@example.org) .env.sample:7'],
        [
          'breaking',
          'Breaking: secret smtp_password added (SECRET_SMTP_PASSWORD_VERSION=v1) — generate it: galley secret generate <app env> smtp_password compose.yml:48',
        ],
        ['', 'volume previews added compose.yml:61'],
        ['omitted', 'and 2 more (galley recipe diff lists them all)'],
      ]);
      expect(await latest.isVisible()).toBe(true);
      // An older version, folded away until opened; the oldest has no previous release to upgrade from.
      const older = page.locator('details.version:has(.upgrade[data-upgrade-from="5.0.0+27.0.1-fpm"])');
      expect(await older.locator('.upgrade').isVisible()).toBe(false);
      await older.locator('summary').click();
      expect(await older.locator('.upgrade').isVisible()).toBe(true);
      expect(await older.locator('.upgrade p').textContent()).toBe('Nothing an operator sees changed.');
      expect(await page.locator('details.version').nth(2).locator('.upgrade').count()).toBe(0);
      expect(await page.textContent('.readme')).toContain('Quick start');
      expect(await axeViolations(page)).toEqual([]);
    },
    TIMEOUT,
  );
});

describe('privacy and safety', () => {
  it(
    'never asks another host: every request of every page goes to the site',
    async () => {
      const context = await b.newContext();
      const p = await context.newPage();
      const origin = new URL(served.url).origin;
      const elsewhere: string[] = [];
      const local: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (new URL(url).origin !== origin) {
          elsewhere.push(url);
          return route.abort();
        }
        local.push(new URL(url).pathname);
        return route.continue();
      });
      for (const url of ['', 'recipes/nextcloud.html', 'recipes/forum.html', 'compare.html?r=forum,nextcloud', 'categories/apps.html']) {
        await p.goto(`${served.url}${url}`);
        await p.waitForLoadState('networkidle');
        await p.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        await p.waitForLoadState('networkidle');
      }
      expect(elsewhere).toEqual([]);
      expect(local.some((l) => /\/media\/[0-9a-f]{64}\.png$/.test(l))).toBe(true);
      expect(local.some((l) => /\/media\/[0-9a-f]{64}\.svg$/.test(l))).toBe(true);
      const csp = await p.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content'));
      expect(csp).toContain("img-src 'self';");
      await context.close();
    },
    TIMEOUT,
  );
});

describe('the first screen, paging and layout', () => {
  it(
    'shows complete cards above the fold at 375×812 and 1280×800, filters collapsed on small screens with the active ones shown',
    async () => {
      for (const [width, height] of [
        [375, 812],
        [1280, 800],
      ] as const) {
        const p = await b.newPage({ viewport: { width, height } });
        await p.goto(`${big.url}?lint=clean`);
        await p.waitForSelector('#cards[data-search="ready"]');
        const whole = await p.$$eval(
          '#cards > li',
          (cards) =>
            cards.filter((c) => {
              const r = c.getBoundingClientRect();
              return r.top >= 0 && r.bottom <= window.innerHeight;
            }).length,
        );
        expect({ width, whole: whole >= 1 }).toEqual({ width, whole: true });
        expect(await p.isVisible('#active .chip:text("No lint errors")')).toBe(true);
        const chip = await p.$eval('#active', (a) => a.getBoundingClientRect().bottom);
        expect(chip).toBeLessThan(height);
        expect(await p.isVisible('#filters')).toBe(width > 1000);
        if (width < 1000) {
          await p.click('#filters-toggle');
          expect(await p.isVisible('#f-lint')).toBe(true);
          expect(await p.getAttribute('#filters-toggle', 'aria-expanded')).toBe('true');
          expect(await p.textContent('#filters-toggle')).toBe('Filters (1)');
        }
        await p.close();
      }
    },
    TIMEOUT,
  );

  it(
    'pages the results (only one page of cards is in the document), with the page in the URL',
    async () => {
      const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
      await p.goto(big.url);
      await p.waitForSelector('#cards[data-search="ready"]');
      expect(await p.$$eval('#cards > li', (c) => c.length)).toBe(24);
      expect(await p.textContent('#result-count')).toBe('200 recipes · page 1 of 9');
      const first = await visibleCards(p);
      await p.click('#pager a[rel="next"]');
      expect(params(p)).toEqual({ page: '2' });
      const second = await visibleCards(p);
      expect(second).toHaveLength(24);
      expect(second.filter((n) => first.includes(n))).toEqual([]);
      await p.goBack();
      await expect(visibleCards(p)).resolves.toEqual(first);
      await p.goto(`${big.url}?page=9`);
      expect((await visibleCards(p)).length).toBe(200 - 8 * 24);
      await p.close();
    },
    TIMEOUT,
  );

  it(
    'never scrolls sideways, and saves screenshots at 375 and 1280 px in light and dark',
    async () => {
      for (const scheme of ['light', 'dark'] as const) {
        for (const width of [320, 375, 1280]) {
          const p = await b.newPage({ viewport: { width, height: width < 1000 ? 812 : 800 }, colorScheme: scheme });
          for (const [name, url] of [
            ['home', served.url],
            ['recipe', `${served.url}recipes/nextcloud.html`],
            ['compare', `${served.url}compare.html?r=forum,nextcloud,wordpress`],
            ['home-200', big.url],
          ] as const) {
            await p.goto(url);
            await p.waitForLoadState('networkidle');
            const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            expect({ scheme, width, name, overflow }).toEqual({ scheme, width, name, overflow: 0 });
            if (width !== 320) await p.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}-${scheme}.png`), fullPage: name !== 'home-200' });
          }
          await p.close();
        }
      }
    },
    TIMEOUT,
  );

  it(
    'has no axe-core violations, in the light and the dark colour scheme',
    async () => {
      await home(page, '?category=apps');
      await expect(visibleCards(page)).resolves.toEqual(['agora', 'forum', 'nextcloud', 'wordpress']);
      expect(await axeViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      try {
        await page.goto(`${served.url}recipes/nextcloud.html`);
        expect(await axeViolations(page)).toEqual([]);
        await home(page, '?q=zzzz');
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await page.emulateMedia({ colorScheme: 'light' });
      }
    },
    TIMEOUT,
  );

  it(
    'works with the keyboard alone: Tab reaches the search, the filters and the cards; Enter opens a recipe',
    async () => {
      await home(page);
      const reached: string[] = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        reached.push(
          await page.evaluate(() => {
            const el = document.activeElement as HTMLElement;
            if (el.id) return `#${el.id}`;
            if (el.closest('.card') && el.tagName === 'A') return `card:${el.textContent}`;
            return `${el.tagName.toLowerCase()}:${el.textContent?.trim() ?? ''}`;
          }),
        );
      }
      expect(reached[0]).toBe('a:Skip to content');
      const order = [
        '#q',
        '#sort',
        '#f-category',
        '#f-lint',
        '#f-pinned',
        '#f-maintained',
        '#f-recent',
        '#f-updates',
        '#f-status',
        '#f-tests',
        '#clear',
        'card:agora',
      ];
      const positions = order.map((id) => reached.indexOf(id));
      expect(Object.fromEntries(order.map((id, i) => [id, positions[i]! >= 0]))).toEqual(Object.fromEntries(order.map((id) => [id, true])));
      expect([...positions].sort((a, c) => a - c)).toEqual(positions);

      await page.focus('#q');
      await page.keyboard.type('keycloak');
      await expect(visibleCards(page)).resolves.toEqual(['keycloak']);
      let onCard = false;
      for (let i = 0; i < 40 && !onCard; i++) {
        await page.keyboard.press('Tab');
        onCard = await page.evaluate(() => document.activeElement?.closest('.card') !== null && document.activeElement?.tagName === 'A');
      }
      expect(onCard).toBe(true);
      await Promise.all([page.waitForURL('**/recipes/keycloak.html'), page.keyboard.press('Enter')]);
      expect(await page.textContent('h1')).toBe('keycloak');
    },
    TIMEOUT,
  );
});

describe('without JavaScript', () => {
  it(
    'lists every recipe (all 200, not one page) and every recipe page is reachable and readable',
    async () => {
      const context = await b.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 800 } });
      const p = await context.newPage();
      await p.goto(served.url);
      await expect(visibleCards(p)).resolves.toEqual(ALL);
      expect(await p.isVisible('.searchbar')).toBe(false);
      expect(await p.isVisible('#filters')).toBe(false);
      expect(await p.isVisible('.pick')).toBe(false);
      await Promise.all([p.waitForURL('**/recipes/forum.html'), p.click('#cards a:text("forum")')]);
      expect(await p.textContent('h1')).toBe('forum');
      expect(await p.isVisible('text=0.2.0+3.8.4 · 2024-03-28 · latest')).toBe(true);
      await p.goto(big.url);
      expect((await visibleCards(p)).length).toBe(200);
      await p.goto(`${served.url}compare.html`);
      expect(await p.textContent('main .notice')).toContain('Comparing needs JavaScript');
      await context.close();
    },
    TIMEOUT,
  );
});
