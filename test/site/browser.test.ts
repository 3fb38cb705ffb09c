// The site in a real browser (Debian's Chromium via playwright-core),
// served by `galley site serve` from a site built by `galley site build`.

import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeFixtureCatalogue } from '@galley/generator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, browser, makeTempDir, type Page, removeTempDir } from '../support/index.js';
import { ARTIFACTS, buildWithCli, type ServedSite, serveWithCli } from './site-support.js';

const TIMEOUT = 120_000;
const ALL = ['agora', 'custom-php', 'forum', 'gitea', 'keycloak', 'matrix-synapse', 'nextcloud', 'traefik', 'uptime-kuma', 'wordpress'];

let dir = '';
let served: ServedSite;
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

async function axeViolations(p: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await p.evaluate(axeSource);
  return p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

beforeAll(async () => {
  dir = await makeTempDir('site-browser');
  const input = await writeFixtureCatalogue(path.join(dir, 'input'));
  await buildWithCli(['--catalogue', input.catalogueFile, '--readmes', input.readmesDir, '--out', path.join(dir, 'site')]);
  served = await serveWithCli(path.join(dir, 'site'));
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  b = await browser();
  page = await b.newPage({ viewport: { width: 1280, height: 900 } });
  await mkdir(ARTIFACTS, { recursive: true });
}, TIMEOUT);

afterAll(async () => {
  await b?.close();
  await served?.stop();
  if (dir) await removeTempDir(dir);
}, TIMEOUT);

describe('the home page with JavaScript', () => {
  it(
    'finds a recipe by a misspelt name',
    async () => {
      await page.goto(served.url);
      await page.waitForSelector('#finder[data-search="ready"]');
      await page.fill('#q', 'nextclod');
      await expect(visibleCards(page)).resolves.toEqual(['nextcloud']);
      await page.fill('#q', 'wordpres');
      await expect(visibleCards(page)).resolves.toEqual(['wordpress']);
      await page.fill('#q', 'matrx');
      await expect(visibleCards(page)).resolves.toEqual(['matrix-synapse']);
      // by an image of the latest version (ranked first) or the description
      await page.fill('#q', 'mariadb');
      await expect(visibleCards(page)).resolves.toEqual(['gitea', 'wordpress', 'custom-php']);
      expect(await page.textContent('#result-count')).toBe('3 of 10 recipes');
      // by category
      await page.fill('#q', 'communication');
      await expect(visibleCards(page)).resolves.toEqual(['matrix-synapse']);
      expect(new URL(page.url()).searchParams.get('q')).toBe('communication');
    },
    TIMEOUT,
  );

  it(
    'narrows the cards with filters, counts each option, and keeps the view in the URL across a reload',
    async () => {
      await page.goto(served.url);
      await expect(visibleCards(page)).resolves.toEqual(ALL);
      await page.selectOption('#f-category', 'development');
      await expect(visibleCards(page)).resolves.toEqual(['custom-php', 'gitea']);
      await page.check('#f-updates');
      await page.selectOption('#f-status', '5');
      await expect(visibleCards(page)).resolves.toEqual(['gitea']);
      const url = new URL(page.url());
      expect(Object.fromEntries(url.searchParams)).toEqual({ category: 'development', status: '5', updates: '1' });
      // counts: what each option would show with the other filters as they are
      const categoryOptions = await page.$$eval('#f-category option', (options) => options.map((o) => o.textContent));
      expect(categoryOptions).toEqual(['All categories (1)', 'Apps (0)', 'Communication (0)', 'Development (1)', 'Utilities (0)']);
      const statusOptions = await page.$$eval('#f-status option', (options) => options.map((o) => o.textContent));
      expect(statusOptions).toEqual(['Any (2)', '5 (complete) (1)', '4 or more (2)', '3 or more (2)', '2 or more (2)', '1 or more (2)']);
      expect(await page.textContent('label[for="f-updates"]')).toBe('Has updates upstream (1)');

      await page.reload();
      await expect(visibleCards(page)).resolves.toEqual(['gitea']);
      expect(await page.inputValue('#f-category')).toBe('development');
      expect(await page.inputValue('#f-status')).toBe('5');
      expect(await page.isChecked('#f-updates')).toBe(true);

      await page.click('#clear');
      await expect(visibleCards(page)).resolves.toEqual(ALL);
      expect(new URL(page.url()).search).toBe('');
    },
    TIMEOUT,
  );

  it(
    'filters on feature scores and recent releases, and sorts',
    async () => {
      await page.goto(`${served.url}?sso=na`);
      await expect(visibleCards(page)).resolves.toEqual(['keycloak']);
      await page.goto(`${served.url}?email=3&healthcheck=1&backups=1`);
      await expect(visibleCards(page)).resolves.toEqual(['custom-php', 'gitea', 'nextcloud', 'wordpress']);
      await page.goto(`${served.url}?recent=1&sort=newest`);
      await expect(visibleCards(page)).resolves.toEqual(['wordpress', 'nextcloud', 'keycloak', 'gitea', 'forum']);
      await page.goto(`${served.url}?sort=status`);
      expect((await visibleCards(page)).slice(0, 3)).toEqual(['gitea', 'custom-php', 'nextcloud']);
      await page.goto(`${served.url}?image=4&tests=no`);
      await expect(visibleCards(page)).resolves.toEqual(['forum', 'matrix-synapse']);
    },
    TIMEOUT,
  );

  it(
    'has no axe-core violations, in the light and the dark colour scheme',
    async () => {
      await page.goto(`${served.url}?category=apps`);
      await expect(visibleCards(page)).resolves.toEqual(['agora', 'forum', 'nextcloud', 'wordpress']);
      expect(await axeViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      try {
        await page.goto(`${served.url}recipes/nextcloud.html`);
        expect(await axeViolations(page)).toEqual([]);
        await page.goto(served.url);
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
      await page.goto(served.url);
      const reached: string[] = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        reached.push(
          await page.evaluate(() => {
            const el = document.activeElement as HTMLElement;
            if (el.id) return `#${el.id}`;
            if (el.closest('.card')) return `card:${el.textContent}`;
            return `${el.tagName.toLowerCase()}:${el.textContent?.trim() ?? ''}`;
          }),
        );
      }
      expect(reached[0]).toBe('a:Skip to content');
      const order = [
        '#q',
        '#f-category',
        '#f-status',
        '#f-image',
        '#f-healthcheck',
        '#f-backups',
        '#f-email',
        '#f-sso',
        '#f-tests',
        '#f-updates',
        '#f-recent',
        '#sort',
        '#clear',
        'card:agora',
      ];
      const positions = order.map((id) => reached.indexOf(id));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, c) => a - c)).toEqual(positions);

      // Type a search, tab to the first card, open it with Enter.
      await page.waitForSelector('#finder[data-search="ready"]');
      await page.focus('#q');
      await page.keyboard.type('keycloak');
      await expect(visibleCards(page)).resolves.toEqual(['keycloak']);
      let onCard = false;
      for (let i = 0; i < 30 && !onCard; i++) {
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

describe('a recipe page', () => {
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
      // an older version's images, once opened
      await page.click('details.version:nth-of-type(2) summary');
      expect(await page.isVisible(`text=sha256:${'d'.repeat(64)}`)).toBe(true);
      expect(await page.textContent('.readme')).toContain('Quick start');
      expect(await axeViolations(page)).toEqual([]);
    },
    TIMEOUT,
  );
});

describe('without JavaScript', () => {
  it(
    'lists every recipe and every recipe page is reachable and readable',
    async () => {
      const context = await b.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 800 } });
      const p = await context.newPage();
      await p.goto(served.url);
      await expect(visibleCards(p)).resolves.toEqual(ALL);
      expect(await p.isVisible('#finder')).toBe(false);
      const hrefs = await p.$$eval('#cards .card-title a', (links) => links.map((a) => a.getAttribute('href')));
      expect(hrefs).toEqual(ALL.map((n) => `recipes/${n}.html`));
      await Promise.all([p.waitForURL('**/recipes/forum.html'), p.click('text=forum')]);
      expect(await p.textContent('h1')).toBe('forum');
      expect(await p.isVisible('text=0.2.0+3.8.4 · 2024-03-28 · latest')).toBe(true);
      await p.click('text=Apps');
      expect(await p.textContent('h1')).toBe('Apps');
      expect(await visibleCards(p).catch(() => [])).toEqual([]); // category pages list cards outside #cards
      expect(await p.$$eval('.cards .card-title a', (links) => links.map((a) => a.textContent))).toEqual(['agora', 'forum', 'nextcloud', 'wordpress']);
      await context.close();
    },
    TIMEOUT,
  );
});

describe('from 320 px to desktop', () => {
  it(
    'never scrolls sideways, and saves screenshots at 375 px and 1280 px',
    async () => {
      for (const width of [320, 375, 1280]) {
        const p = await b.newPage({ viewport: { width, height: 900 } });
        for (const [name, url] of [
          ['home', served.url],
          ['recipe', `${served.url}recipes/nextcloud.html`],
        ] as const) {
          await p.goto(url);
          const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect({ width, name, overflow }).toEqual({ width, name, overflow: 0 });
          if (width !== 320) await p.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
        }
        await p.close();
      }
    },
    TIMEOUT,
  );
});
