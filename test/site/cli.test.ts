// `galley site build` and `galley site serve` as a user runs them: exit
// codes, messages that name the file, JSON path or port, no stack traces,
// no half-written output.

import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { fixtureCatalogue, writeFixtureCatalogue } from '@galley/generator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runGalley } from '../support/cli.js';
import { makeTempDir, removeTempDir } from '../support/index.js';
import { commitAll, removeTree, writeTree } from '../support/recipe-fixtures.js';
import { buildWithCli, serveWithCli, writeJson } from './site-support.js';

const TIMEOUT = 120_000;
let dir = '';
let input: { catalogueFile: string; readmesDir: string };

beforeAll(async () => {
  dir = await makeTempDir('site-cli');
  input = await writeFixtureCatalogue(path.join(dir, 'input'));
}, TIMEOUT);
afterAll(async () => {
  if (dir) await removeTempDir(dir);
}, TIMEOUT);

function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('internal error');
}

describe('galley site build', () => {
  it(
    'builds the site and says what it did',
    async () => {
      const out = path.join(dir, 'site');
      const result = await buildWithCli(['--catalogue', input.catalogueFile, '--readmes', input.readmesDir, '--out', out]);
      expect(result.stdout).toMatch(/^Built 10 recipe pages in 4 categories \(13 versions, 47 files\) into .*site\/ in \d+\.\d\d s\.$/m);
      expect(result.stdout).toContain('READMEs: 3 rendered, 7 missing.');
      expect(result.stdout).toMatch(/Home page gzipped: \d+\.\d KB \(HTML \d+\.\d KB, CSS \d+\.\d KB, JS \d+\.\d KB, search index \d+\.\d KB\)/);
      expect(result.stdout).toContain('Catalogue checked with schemas/catalogue.schema.json.');
      expect(result.stdout).toContain('Mirrored images: 2 copied into the site.');
      expect(result.stdout).toContain('No --base-url: feed.xml and sitemap.xml are left out (they need absolute URLs), and the 404 page cannot link home.');
      expect(result.stderr).toBe('');
      expect((await readdir(out)).sort()).toContain('index.html');
    },
    TIMEOUT,
  );

  it(
    'prints JSON with --json',
    async () => {
      const result = await buildWithCli([
        '--catalogue',
        input.catalogueFile,
        '--out',
        path.join(dir, 'json-site'),
        '--json',
        '--base-url',
        'https://recipes.example.org',
      ]);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ recipes: 10, categories: 4, readmes: { rendered: 0, missing: 10 }, validatedWith: ['schema'] });
      expect(summary.home.total).toBe(summary.home.html + summary.home.css + summary.home.js + summary.home.index);
      expect(await readFile(path.join(dir, 'json-site', 'sitemap.xml'), 'utf8')).toContain('<loc>https://recipes.example.org/recipes/forum.html</loc>');
    },
    TIMEOUT,
  );

  it(
    'exits 2 naming the catalogue when it is missing, not JSON, or not a catalogue',
    async () => {
      const missing = path.join(dir, 'missing.json');
      let result = await runGalley(['site', 'build', '--catalogue', missing, '--out', path.join(dir, 'x')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `galley: ${missing}: cannot read the catalogue: it does not exist (write one with \`galley catalogue generate\`, or pass the right path with --catalogue)\n`,
      );

      const broken = path.join(dir, 'broken.json');
      await writeFile(broken, '{\n  "forum": {\n    "name": "forum"\n  ,,}\n}\n');
      result = await runGalley(['site', 'build', '--catalogue', broken, '--out', path.join(dir, 'x')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^galley: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:4: not valid JSON`));
      expectNoStackTrace(result.stderr);

      const wrong = fixtureCatalogue() as unknown as Record<string, Record<string, unknown>>;
      wrong.gitea!.versions = 'many';
      const wrongFile = path.join(dir, 'wrong.json');
      await writeJson(wrongFile, wrong);
      result = await runGalley(['site', 'build', '--catalogue', wrongFile, '--out', path.join(dir, 'x')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `galley: ${wrongFile} is not a catalogue galley can read:\n  $.gitea.versions: must be a list of releases, oldest first (got the string "many")`,
      );
      expectNoStackTrace(result.stderr);
      await expect(readdir(path.join(dir, 'x'))).rejects.toThrow();
    },
    TIMEOUT,
  );

  it(
    'exits 2 on bad flags: no --out, both --readmes and --cache, a bad --base-url',
    async () => {
      let result = await runGalley(['site', 'build', '--catalogue', input.catalogueFile]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("required option '--out <dir>' not specified");
      result = await runGalley([
        'site',
        'build',
        '--catalogue',
        input.catalogueFile,
        '--out',
        path.join(dir, 'y'),
        '--readmes',
        input.readmesDir,
        '--cache',
        dir,
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: option '--cache <dir>' cannot be used with option '--readmes <dir>'\n/);
      result = await runGalley(['site', 'build', '--catalogue', input.catalogueFile, '--out', path.join(dir, 'y'), '--unmaintained-after', '0']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: option '--unmaintained-after <months>' argument '0' is invalid\. a whole number of months \(1 or more\)\n/);
      result = await runGalley(['site', 'build', '--catalogue', input.catalogueFile, '--out', path.join(dir, 'y'), '--base-url', 'ftp://x']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('galley: --base-url ftp://x: must be an http or https URL\n');
    },
    TIMEOUT,
  );

  it(
    'exits 2 on a README it cannot read, and leaves the previous site untouched',
    async () => {
      const out = path.join(dir, 'kept');
      await buildWithCli(['--catalogue', input.catalogueFile, '--readmes', input.readmesDir, '--out', out]);
      const before = await readFile(path.join(out, 'recipes/nextcloud.html'), 'utf8');
      const readmes = path.join(dir, 'bad-readmes');
      await mkdir(readmes);
      await symlink('nextcloud.md', path.join(readmes, 'nextcloud.md'));
      const result = await runGalley(['site', 'build', '--catalogue', input.catalogueFile, '--readmes', readmes, '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `galley: ${path.join(readmes, 'nextcloud.md')}: cannot read this README: it is a symbolic link that loops (point it at a file, or remove it)\n`,
      );
      expectNoStackTrace(result.stderr);
      expect(await readFile(path.join(out, 'recipes/nextcloud.html'), 'utf8')).toBe(before);
      expect((await readdir(dir)).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'refuses to replace a folder it did not write',
    async () => {
      const foreign = path.join(dir, 'home');
      await mkdir(foreign);
      await writeFile(path.join(foreign, 'notes.txt'), 'mine');
      const result = await runGalley(['site', 'build', '--catalogue', input.catalogueFile, '--out', foreign]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('is a folder galley did not write');
      expect(await readFile(path.join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
    },
    TIMEOUT,
  );

  it(
    'reads READMEs from the catalogue’s git mirror cache with --cache',
    async () => {
      const repo = writeTree({});
      try {
        commitAll(repo, [
          { files: { 'README.md': '# Forum\n\nOld text.\n', 'compose.yml': 'services: {}\n' }, tags: [{ name: '0.1.0+3.8.3', annotated: true }] },
          { files: { 'README.md': '# Forum\n\nText of **the latest release**.\n' }, tags: [{ name: '0.2.0+3.8.4', annotated: true }] },
          { files: { 'README.md': '# Forum\n\nUnreleased text.\n' } },
        ]);
        const cache = path.join(dir, 'cache');
        await mkdir(path.join(cache, 'mirrors'), { recursive: true });
        execFileSync('git', ['clone', '--quiet', '--bare', repo, path.join(cache, 'mirrors', 'forum.git')]);
        const out = path.join(dir, 'cached-site');
        const result = await buildWithCli(['--catalogue', input.catalogueFile, '--cache', cache, '--out', out]);
        expect(result.stdout).toContain('READMEs: 1 rendered, 9 missing.');
        const page = await readFile(path.join(out, 'recipes/forum.html'), 'utf8');
        expect(page).toContain('Text of <strong>the latest release</strong>.');
        expect(page).not.toContain('Unreleased text');
      } finally {
        removeTree(repo);
      }
    },
    TIMEOUT,
  );
});

describe('galley site serve', () => {
  let site = '';
  beforeAll(async () => {
    site = path.join(dir, 'served');
    await buildWithCli(['--catalogue', input.catalogueFile, '--readmes', input.readmesDir, '--out', site]);
  }, TIMEOUT);

  it(
    'prints the URL to open, serves the site with its content types and 404 page, and stops on SIGTERM',
    async () => {
      const served = await serveWithCli(site);
      try {
        expect(served.process.output()).toContain(`Open ${served.url} in a browser`);
        const home = await fetch(served.url);
        expect(home.status).toBe(200);
        expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
        const css = await fetch(`${served.url}style.css`);
        expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
        const badge = await fetch(`${served.url}badges/forum.svg`);
        expect(badge.headers.get('content-type')).toBe('image/svg+xml');
        const missing = await fetch(`${served.url}recipes/nope.html`);
        expect(missing.status).toBe(404);
        expect(await missing.text()).toContain('Page not found');
        const traversal = await fetch(`${served.url}recipes/..%2f..%2f..%2fetc%2fpasswd`);
        expect(traversal.status).toBe(404);
      } finally {
        await served.process.stop();
      }
      expect(served.process.exitStatus()).toEqual({ code: 0, signal: null });
    },
    TIMEOUT,
  );

  it(
    'exits 2 naming the port when it is taken, and the folder when it is no site',
    async () => {
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as { port: number }).port;
      try {
        const result = await runGalley(['site', 'serve', '--dir', site, '--port', String(port)]);
        expect(result.code).toBe(2);
        expect(result.stderr).toBe(
          `galley: port ${port} on 127.0.0.1 is in use: choose another with --port (or --port 0 for any free port), or stop what runs there\n`,
        );
      } finally {
        blocker.close();
      }
      let result = await runGalley(['site', 'serve', '--dir', path.join(dir, 'nothing-here')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--dir ${path.join(dir, 'nothing-here')}: no such folder (build the site first`);
      result = await runGalley(['site', 'serve', '--dir', site, '--port', 'eighty']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: option '--port <n>' argument 'eighty' is invalid\. not a port number \(0–65535; 0 picks a free one\)\n/);
    },
    TIMEOUT,
  );
});
