// Recipe text is untrusted. Every field of the catalogue galley shows — and
// every README — carries a script-injection payload; Chromium visits every
// page, feed, sitemap and badge of the built site and records any payload
// that runs (each calls __xss(n), a function the test exposes, or alert()).
// It does so twice: with the pages' Content-Security-Policy (the real
// thing) and with CSP bypassed, so escaping and sanitising are tested on
// their own, not only hidden behind the CSP.

import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalogue, CatalogueRecipe } from '@galley/generator';
import { fixtureCatalogue, xssPayloads } from '@galley/generator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext } from 'playwright-core';
import { type Browser, browser, makeTempDir, type Page, removeTempDir } from '../support/index.js';
import { buildWithCli, type ServedSite, serveWithCli, writeJson } from './site-support.js';

const TIMEOUT = 300_000;
const payloads = xssPayloads();
const digest = `sha256:${'ab'.repeat(32)}`;

/** A recipe whose every free-text field (and map key the schema allows) is the payload. */
function poisoned(p: string, i: number): CatalogueRecipe {
  const v1 = `1.0.0+${p}`;
  const v2 = p;
  return {
    name: p,
    category: i % 3 === 0 ? p : `Cat ${p}`,
    default_branch: p,
    description: p,
    icon: p,
    repository: i % 2 ? p : `https://git.example.org/${encodeURIComponent(p)}.git`,
    ssh_url: p,
    website: p,
    features: { backups: p, email: p, healthcheck: p, tests: p, sso: p, status: (i % 5) + 1, image: { image: p, rating: p, source: p, url: p } },
    versions: [
      { [v1]: { app: { image: p, tag: p, digest }, [p]: { image: `x/${p}`, tag: '1', digest: 'unknown' } } },
      { [v2]: { app: { image: p, tag: p, digest } } },
    ],
    galley: {
      versions: {
        [v1]: { date: '2024-01-01T00:00:00Z', annotated: true, commit: 'a'.repeat(40), notes: p },
        [v2]: { date: '2024-02-01T00:00:00Z', annotated: false, commit: 'b'.repeat(40), notes: `notes ${p}` },
      },
      upgrades: {
        app: {
          image: p,
          current: p,
          patch: { tag: p, digest },
          minor: { tag: `${p}.1`, digest },
          major: { tag: `2${p}`, digest },
          unparseable: [{ tag: p, reason: p }],
          unparseableTotal: 3,
          currentUnparseable: p,
          daysBehind: 3,
        },
        [p]: { image: p, current: p, unparseable: [], error: p },
      },
      lint: {
        version: p,
        errors: 1,
        warnings: 2,
        infos: 3,
        rules: { [p]: 2 },
        findings: [{ rule: p, title: p, severity: 'error', message: p, file: p, line: 1, column: 2, docs: i % 2 ? p : `javascript:${p}` }],
      },
      stale: { error: p, since: p },
      source: 'list',
      sourceId: p,
      licence: { name: p, spdx: p, file: p },
      maintainers: [{ name: p, url: i % 2 ? p : `javascript:${p}`, from: ['metadata'] }],
      deprecated: { reason: p, from: 'readme' },
      demo: i % 2 ? p : `https://demo.example.org/${p}`,
    },
  };
}

function readme(p: string): string {
  return [
    `# ${p}`,
    p,
    `Text ${p} text.`,
    `[link](${p}) ![image](${p}) <${p}>`,
    `<div title="${p}">${p}</div>`,
    `| head ${p} |\n| --- |\n| ${p} |`,
    `\`\`\`\n${p}\n\`\`\``,
    `<details><summary>${p}</summary>${p}</details>`,
    '[j](javascript:__xss(1000)) [d](data:text/html,<script>__xss(1001)</script>) <a href="jav&#x61;script:__xss(1002)">e</a>',
  ].join('\n\n');
}

let dir = '';
let served: ServedSite;
let b: Browser;
let site = '';
let catalogue: Catalogue;

beforeAll(async () => {
  dir = await makeTempDir('site-xss');
  catalogue = fixtureCatalogue();
  payloads.forEach((p, i) => {
    catalogue[`xss-${String(i + 1).padStart(2, '0')}`] = poisoned(p, i);
  });
  const readmes = path.join(dir, 'readmes');
  await mkdir(readmes, { recursive: true });
  for (const [i, p] of payloads.entries()) await writeFile(path.join(readmes, `xss-${String(i + 1).padStart(2, '0')}.md`), readme(p));
  await writeJson(path.join(dir, 'recipes.json'), catalogue);
  site = path.join(dir, 'site');
  await buildWithCli(['--catalogue', path.join(dir, 'recipes.json'), '--readmes', readmes, '--out', site]);
  served = await serveWithCli(site);
  b = await browser();
}, TIMEOUT);

afterAll(async () => {
  await b?.close();
  await served?.stop();
  if (dir) await removeTempDir(dir);
}, TIMEOUT);

interface Probe {
  context: BrowserContext;
  page: Page;
  fired: string[];
  refused: string[];
}

async function probe(bypassCSP: boolean): Promise<Probe> {
  const context = await b.newContext({ bypassCSP, viewport: { width: 1024, height: 800 } });
  const fired: string[] = [];
  const refused: string[] = [];
  await context.exposeBinding('__xss', (source, n: unknown) => {
    fired.push(`__xss(${String(n)}) on ${source.page?.url() ?? source.frame.url()}`);
  });
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    fired.push(`${dialog.type()}(${dialog.message()}) on ${page.url()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text())) refused.push(`${page.url()}: ${message.text()}`);
  });
  return { context, page, fired, refused };
}

/** What the DOM holds that could run script: handlers, script URLs, scripts, frames. */
async function dangerousMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) {
        const value = el.getAttribute(attr) ?? '';
        if (/^on/i.test(attr)) found.push(`${el.tagName} ${attr}`);
        if (
          /^(href|src|action|formaction|data|xlink:href|srcdoc|background|poster)$/i.test(attr) &&
          /^\s*(javascript|data|vbscript):/i.test(value.replace(/[\u0000-\u0020]/g, ''))
        )
          found.push(`${el.tagName} ${attr}=${value}`);
      }
      const tag = el.tagName.toLowerCase();
      if (['iframe', 'object', 'embed', 'base', 'frame', 'frameset', 'applet'].includes(tag)) found.push(tag);
      if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') ?? '')) found.push('meta refresh');
      if (tag === 'script' && !/app\.js$/.test(el.getAttribute('src') ?? '')) found.push(`script ${el.outerHTML.slice(0, 80)}`);
    }
    return found;
  });
}

/** Visits a page, focuses and hovers what can be, and returns what the DOM holds that could run script. */
async function visit(p: Probe, url: string): Promise<string[]> {
  await p.page.goto(url);
  await p.page.evaluate(() => {
    // Feeds and badges are XML documents: their elements are not HTMLElements.
    for (const el of document.querySelectorAll<HTMLElement>('a, input, select, button, details, summary, [tabindex]')) {
      if (typeof el.focus === 'function') el.focus();
      el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    }
    for (const d of document.querySelectorAll('details')) if (d instanceof HTMLDetailsElement) d.open = !d.open;
  });
  return dangerousMarkup(p.page);
}

async function sitePaths(): Promise<string[]> {
  const entries = await readdir(site, { recursive: true });
  return entries.filter((f) => /\.(html|svg|xml)$/.test(f)).sort();
}

describe('untrusted recipe text', () => {
  it(`uses ${payloads.length} payloads (at least 25), each in every field of a recipe and in its README`, () => {
    expect(payloads.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(catalogue).filter((k) => k.startsWith('xss-'))).toHaveLength(payloads.length);
  });

  it(
    'the probe catches a payload that runs (control)',
    async () => {
      const p = await probe(true);
      await p.page.setContent('<img src=x onerror=__xss(0)><script>alert("control")</script>');
      await p.page.waitForTimeout(200);
      expect(p.fired.length).toBe(2);
      await p.context.close();
    },
    TIMEOUT,
  );

  it(
    'runs nowhere on the site, even with the CSP bypassed: every page, badge, feed and sitemap',
    async () => {
      const p = await probe(true);
      const problems: string[] = [];
      for (const file of await sitePaths()) {
        const found = await visit(p, `${served.url}${file}`);
        if (file.endsWith('.html')) problems.push(...found.map((f) => `${file}: ${f}`));
      }
      // the client script with payloads in the URL and the search box
      for (const [i, payload] of payloads.entries()) {
        const params = new URLSearchParams({ q: payload, category: payload, status: payload, sort: payload });
        await p.page.goto(`${served.url}?${params}`);
        if (i % 6 === 0) await p.page.fill('#q', payload);
      }
      await p.page.goto(`${served.url}${encodeURIComponent(payloads[0]!)}/${encodeURIComponent(payloads[4]!)}`);
      expect(await p.page.textContent('h1')).toBe('Page not found');
      problems.push(...(await dangerousMarkup(p.page)));
      await p.page.waitForTimeout(500);
      expect(p.fired).toEqual([]);
      expect(problems).toEqual([]);
      await p.context.close();
    },
    TIMEOUT,
  );

  it(
    'runs nowhere with the CSP on, and the CSP never has to block anything',
    async () => {
      const p = await probe(false);
      const files = (await sitePaths()).filter((f) => !f.startsWith('badges/') || f.endsWith('xss-05.svg'));
      for (const file of files) await visit(p, `${served.url}${file}`);
      await p.page.goto(`${served.url}?q=${encodeURIComponent(payloads[0]!)}`);
      await p.page.waitForTimeout(500);
      expect(p.fired).toEqual([]);
      expect(p.refused).toEqual([]);
      await p.context.close();
    },
    TIMEOUT,
  );

  it(
    'keeps the feed, sitemap and badges well-formed XML',
    async () => {
      const p = await probe(false);
      await p.page.goto(served.url);
      const files = (await sitePaths()).filter((f) => /\.(xml|svg)$/.test(f));
      const broken = await p.page.evaluate(async (list) => {
        const bad: string[] = [];
        for (const file of list) {
          const text = await (await fetch(file)).text();
          const doc = new DOMParser().parseFromString(text, 'application/xml');
          if (doc.getElementsByTagName('parsererror').length > 0) bad.push(file);
          if (doc.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'script').length > 0 || doc.getElementsByTagName('script').length > 0)
            bad.push(`${file}: script element`);
        }
        return bad;
      }, files);
      expect(files.length).toBeGreaterThan(payloads.length);
      expect(broken).toEqual([]);
      await p.context.close();
    },
    TIMEOUT,
  );
});
