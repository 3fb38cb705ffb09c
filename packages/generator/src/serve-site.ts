import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { GalleyError } from '@galley/platform';

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export interface ServeSiteOptions {
  dir: string;
  /** 0: any free port. */
  port: number;
  host?: string;
}

export interface SiteServer {
  /** `http://127.0.0.1:8080/` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * `galley site serve`: serves a built site for preview. GET and HEAD only;
 * paths are decoded and must stay inside the site folder (no `..`, no
 * symlinks out); a folder without its trailing slash is redirected (so the
 * site's relative links resolve); missing files get 404.html with status 404.
 */
export async function serveSite(options: ServeSiteOptions): Promise<SiteServer> {
  const root = await realpath(options.dir).catch(() => {
    throw new GalleyError(
      'site-missing',
      `--dir ${options.dir}: no such folder (build the site first: galley site build --catalogue recipes.json --out ${options.dir})`,
    );
  });
  const index = await stat(path.join(root, 'index.html')).catch(() => undefined);
  if (!index?.isFile()) {
    throw new GalleyError(
      'site-missing',
      `${options.dir} has no index.html: is it a built site? (galley site build --catalogue recipes.json --out ${options.dir})`,
      { file: options.dir },
    );
  }
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(root, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });
  await listen(server, options.port, host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(
          new GalleyError(
            'port-in-use',
            `port ${port} on ${host} is in use: choose another with --port (or --port 0 for any free port), or stop what runs there`,
          ),
        );
      else if (error.code === 'EACCES')
        reject(new GalleyError('port-denied', `not allowed to listen on port ${port} on ${host}: ports below 1024 need root; choose another with --port`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new GalleyError('host-unavailable', `cannot listen on ${host}: it is not an address of this machine (try --host 127.0.0.1)`));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}

/** For every file but the pages: no script, no plugin, no request anywhere, styles inline only (SVG images use them). */
export const FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox";

const HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...HEADERS, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end('bad request\n');
    return;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return notFound(root, req, res);
  const segments = pathname.split('/');
  // Dot segments were already resolved by the URL parser; any left (from %2e%2e) are refused, as are hidden files.
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return notFound(root, req, res);
  let file = path.join(root, ...segments);
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    if (!pathname.endsWith('/')) {
      const query = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?')) : '';
      res.writeHead(301, { ...HEADERS, location: `${encodeURI(pathname)}/${query}` }).end();
      return;
    }
    file = path.join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) return notFound(root, req, res);
  const real = await realpath(file).catch(() => undefined);
  if (!real?.startsWith(root + path.sep)) return notFound(root, req, res);
  const type = CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream';
  // Pages carry their CSP in a meta tag; everything else (an SVG opened on its own above all) gets one that runs nothing.
  const csp = type.startsWith('text/html') ? {} : { 'content-security-policy': FILE_CSP };
  res.writeHead(200, { ...HEADERS, ...csp, 'content-type': type, 'content-length': info.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(real);
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.pipe(res);
  });
}

async function notFound(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const html = await readFile(path.join(root, '404.html')).catch(() => undefined);
  const page = html ?? Buffer.from('not found\n');
  res.writeHead(404, { ...HEADERS, 'content-type': html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8', 'content-length': page.length });
  res.end(req.method === 'HEAD' ? undefined : page);
}
