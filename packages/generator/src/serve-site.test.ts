import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildSite } from './build-site.js';
import { findGalleyRoot } from './paths.js';
import { type SiteServer, serveSite } from './serve-site.js';
import { writeFixtureCatalogue } from './testing/fixture-catalogue.js';

let dir: string;
let site: string;
let server: SiteServer;

/** A raw HTTP request (fetch would normalise `..` away before sending). */
function get(rawPath: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: rawPath, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const root = findGalleyRoot()!;
  if (!existsSync(path.join(root, 'site-templates/client/dist/app.js'))) execFileSync(process.execPath, [path.join(root, 'scripts/build-site-assets.mjs')]);
  dir = await mkdtemp(path.join(tmpdir(), 'galley-serve-'));
  const input = await writeFixtureCatalogue(path.join(dir, 'input'));
  site = path.join(dir, 'site');
  await buildSite({ catalogue: input.catalogueFile, out: site });
  await writeFile(path.join(dir, 'secret.txt'), 'outside the site');
  await symlink(path.join(dir, 'secret.txt'), path.join(site, 'escape.txt'));
  server = await serveSite({ dir: site, port: 0 });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('serveSite', () => {
  it('prints a URL on the loopback address and serves the home page', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.body).toContain('<h1>Recipes</h1>');
  });

  it('sends the right content type for each kind of file', async () => {
    const types: Record<string, string> = {
      '/style.css': 'text/css; charset=utf-8',
      '/app.js': 'text/javascript; charset=utf-8',
      '/search-index.json': 'application/json; charset=utf-8',
      '/recipes.json': 'application/json; charset=utf-8',
      '/badges/forum.svg': 'image/svg+xml',
      '/recipes/forum.html': 'text/html; charset=utf-8',
    };
    for (const [file, type] of Object.entries(types)) {
      const res = await get(file);
      expect({ file, status: res.status, type: res.headers['content-type'], nosniff: res.headers['x-content-type-options'] }).toEqual({
        file,
        status: 200,
        type,
        nosniff: 'nosniff',
      });
    }
    // Files that are no page run nothing, even opened on their own (a mirrored SVG, a badge).
    expect((await get('/badges/forum.svg')).headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox",
    );
    expect((await get('/recipes/forum.html')).headers['content-security-policy']).toBeUndefined();
  });

  it('answers a missing page with 404.html and status 404', async () => {
    for (const missing of ['/nope', '/recipes/nope.html', '/deep/er/path/']) {
      const res = await get(missing);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('Page not found');
    }
  });

  it('redirects a folder without its slash, and serves its index.html', async () => {
    const res = await get('/categories?x=1');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/categories/?x=1');
    expect((await get('/categories/')).body).toContain('<h1>Categories</h1>');
  });

  it('never serves anything outside the site folder, hidden files or symlinks out', async () => {
    for (const attack of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/recipes/..%2f..%2fsecret.txt',
      '/recipes/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/escape.txt',
      '/.galley-site',
      '/%00index.html',
    ]) {
      const res = await get(attack);
      expect({ attack, status: res.status, leaked: res.body.includes('outside the site') }).toEqual({ attack, status: 404, leaked: false });
    }
    expect((await get('/%E0%A4%A')).status).toBe(400);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(100);
    const post = await get('/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('says when the port is taken, and when the folder is no site', async () => {
    const error = await serveSite({ dir: site, port: server.port }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GalleyError);
    expect((error as GalleyError).exitCode).toBe(2);
    expect((error as GalleyError).message).toBe(
      `port ${server.port} on 127.0.0.1 is in use: choose another with --port (or --port 0 for any free port), or stop what runs there`,
    );
    await expect(serveSite({ dir: path.join(dir, 'nope'), port: 0 })).rejects.toThrow('no such folder');
    await expect(serveSite({ dir: path.join(dir, 'input'), port: 0 })).rejects.toThrow('has no index.html');
  });
});
