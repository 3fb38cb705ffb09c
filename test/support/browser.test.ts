import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, browser, type LocalHttpServer, makeTempDir, removeTempDir, serveDir } from './index.js';

const TIMEOUT = 60_000;

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>galley smoke</title></head>
<body>
  <p id="status">waiting</p>
  <button id="go" type="button">Go</button>
  <script>
    document.getElementById('go').addEventListener('click', () => {
      document.getElementById('status').textContent = 'clicked ' + location.host;
    });
  </script>
</body></html>
`;

describe('browser (Debian chromium via playwright-core)', () => {
  let b: Browser;
  let site: LocalHttpServer;
  let dir = '';

  beforeAll(async () => {
    dir = await makeTempDir('site');
    await writeFile(join(dir, 'index.html'), PAGE);
    site = await serveDir(dir);
    b = await browser();
  }, TIMEOUT);

  afterAll(async () => {
    await b?.close();
    await site?.stop();
    if (dir) await removeTempDir(dir);
  }, TIMEOUT);

  it('is Debian chromium, headless', () => {
    expect(b.isConnected()).toBe(true);
    expect(b.version()).toMatch(/^\d+\./);
  });

  it(
    'opens a localhost page and clicks a button that changes text',
    async () => {
      const page = await b.newPage();
      try {
        const response = await page.goto(site.url);
        expect(response?.status()).toBe(200);
        expect(await page.title()).toBe('galley smoke');
        await expect(page.locator('#status').textContent()).resolves.toBe('waiting');
        await page.click('#go');
        await page.locator('#status', { hasText: 'clicked' }).waitFor();
        expect(await page.locator('#status').textContent()).toBe(`clicked 127.0.0.1:${site.port}`);
      } finally {
        await page.close();
      }
    },
    TIMEOUT,
  );

  it(
    'renders a data: page',
    async () => {
      const page = await b.newPage();
      try {
        await page.goto(`data:text/html,${encodeURIComponent('<h1 id="t">data page</h1>')}`);
        expect(await page.locator('#t').textContent()).toBe('data page');
      } finally {
        await page.close();
      }
    },
    TIMEOUT,
  );
});
