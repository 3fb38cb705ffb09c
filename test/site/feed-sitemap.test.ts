// The Atom feed and sitemap.xml need absolute URLs: with --base-url (here a
// sub-path) they are written and checked with real parsers (fast-xml-parser
// for the feed's text, xmllint against the sitemaps XSD for the sitemap);
// without it they are left out with a notice, and the 404 page does not
// link to `/` (wrong under a sub-path).

import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixtureCatalogue } from '@galley/generator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { makeTempDir, removeTempDir } from '../support/index.js';
import { buildWithCli, type ServedSite, serveWithCli } from './site-support.js';

const TIMEOUT = 120_000;
const BASE = 'https://recipes.example.org/coop/';
const XSD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schemas', 'sitemap-0.9.xsd');
let dir = '';
let input: { catalogueFile: string; readmesDir: string };
let served: ServedSite;
let withoutBase = '';

beforeAll(async () => {
  dir = await makeTempDir('site-feed');
  input = await writeFixtureCatalogue(path.join(dir, 'input'));
  await buildWithCli(['--catalogue', input.catalogueFile, '--out', path.join(dir, 'site'), '--base-url', BASE]);
  withoutBase = (await buildWithCli(['--catalogue', input.catalogueFile, '--out', path.join(dir, 'plain')])).stdout;
  served = await serveWithCli(path.join(dir, 'site'));
}, TIMEOUT);
afterAll(async () => {
  await served?.stop();
  if (dir) await removeTempDir(dir);
}, TIMEOUT);

describe('the Atom feed', () => {
  it(
    'has absolute links and keeps each release’s summary and notes apart',
    async () => {
      const response = await fetch(`${served.url}feed.xml`);
      expect(response.headers.get('content-type')).toContain('xml');
      const xml = await response.text();
      const feed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'link'].includes(name) }).parse(xml).feed;
      expect(feed.link.map((l: Record<string, string>) => l['@href'])).toEqual([`${BASE}feed.xml`, `${BASE}index.html`]);
      const entries = feed.entry as { title: string; summary: { '#text': string }; content?: { '#text': string }; link: Record<string, string>[] }[];
      expect(entries.map((e) => e.title).slice(0, 3)).toEqual(['wordpress 2.1.0+6.5.3', 'nextcloud 6.0.0+28.0.2-fpm', 'keycloak 4.0.0+24.0.4']);
      for (const e of entries) expect(e.link[0]!['@href']).toMatch(/^https:\/\/recipes\.example\.org\/coop\/recipes\/[a-z-]+\.html$/);
      const forum = entries.find((e) => e.title === 'forum 0.2.0+3.8.4')!;
      expect(forum.summary['#text']).toBe('forum 0.2.0+3.8.4 (recipe 0.2.0, upstream 3.8.4). Images: app ghcr.io/nodebb/nodebb:3.8.4, redis redis:7.2.');
      expect(forum.content?.['#text']).toBe('NodeBB 3.8.4.\nThe SMTP password is no longer generated: insert it.');
      const gitea = entries.find((e) => e.title.startsWith('gitea'))!;
      expect(gitea.content).toBeUndefined();
    },
    TIMEOUT,
  );
});

describe('sitemap.xml', () => {
  it(
    'is valid against the sitemaps XSD, and every <loc> is an absolute URL under the base URL',
    async () => {
      const xml = await (await fetch(`${served.url}sitemap.xml`)).text();
      const file = path.join(dir, 'sitemap.xml');
      await writeFile(file, xml);
      const out = execFileSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toBe('');
      const locs = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]!);
      expect(locs).toHaveLength(1 + 1 + 1 + 4 + 10);
      for (const loc of locs) expect(new URL(loc).href.startsWith(BASE)).toBe(true);
      expect(locs[0]).toBe(BASE);
      // the schema really is checked: a relative <loc> (what galley wrote before without --base-url) fails it
      await writeFile(file, xml.replace(`<loc>${BASE}</loc>`, '<loc>index.html</loc>'));
      expect(() => execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' })).toThrow(/index\.html|minLength|fails to validate/);
    },
    TIMEOUT,
  );
});

describe('without --base-url', () => {
  it(
    'leaves the feed and the sitemap out and says so; nothing links to them; the 404 page does not link to /',
    async () => {
      expect(withoutBase).toContain('No --base-url: feed.xml and sitemap.xml are left out (they need absolute URLs), and the 404 page cannot link home.');
      const files = await readdir(path.join(dir, 'plain'));
      expect(files).not.toContain('feed.xml');
      expect(files).not.toContain('sitemap.xml');
      const home = await readFile(path.join(dir, 'plain', 'index.html'), 'utf8');
      expect(home).not.toContain('feed.xml');
      expect(home).not.toContain('rel="canonical"');
      const notFound = await readFile(path.join(dir, 'plain', '404.html'), 'utf8');
      expect(notFound).not.toMatch(/href="\/"/);
      expect(notFound).toContain('go back to the page you came from');
      const withBase = await readFile(path.join(dir, 'site', '404.html'), 'utf8');
      expect(withBase).toContain(`<a href="${BASE}">Go to Co-op Cloud recipes</a>`);
      // every other link is relative
      expect([...home.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]!).filter((u) => u.startsWith('/'))).toEqual([]);
    },
    TIMEOUT,
  );
});
