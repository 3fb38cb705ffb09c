// A small HTTP proxy in front of the real distribution registry (see
// registry.ts) that adds what that registry lacks, so clients meet what
// Docker Hub, GHCR and Quay do: bearer challenges and a token endpoint,
// `n`/`last` paging of tag lists with `Link` headers (relative, absolute, or
// an opaque Quay-style `next_page` token), and faults on a share of requests
// (429 with Retry-After, 500s, connection resets, slow answers, truncated
// bodies), from a seeded generator so a test run is repeatable. Everything
// is configurable per test and counted.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type FaultKind = '429' | '500' | 'reset' | 'slow' | 'truncate';

export interface ProxyFaults {
  /** Share of requests (0..1) that get a fault instead of a plain answer. */
  rate: number;
  /** Faults to pick from (default: all). */
  kinds?: FaultKind[];
  /** `Retry-After` of a 429 in seconds (default 0). */
  retryAfterSeconds?: number;
  /** How long a slow answer waits before it is sent (default 300 ms). */
  slowMs?: number;
  /** Seed of the generator that picks the faulty requests (default 1). */
  seed?: number;
  /** Also inject faults on the token endpoint (default true). */
  includeToken?: boolean;
  /** Inject at most this many faults (e.g. rate 1, limit 3: the first three requests fail). */
  limit?: number;
}

export type LinkStyle = 'relative' | 'absolute' | 'opaque';

export interface ProxyPaging {
  /** Tags per page when the client gives no `n` (and the most it may ask). */
  pageSize: number;
  link: LinkStyle;
}

export interface ProxyAuth {
  /** Service name in the challenge (default `galley-test-registry`). */
  service?: string;
  /** Basic credentials the token endpoint requires (default: anonymous tokens). */
  username?: string;
  password?: string;
  /** Token lifetime in seconds (default 300). */
  expiresIn?: number;
  /** Answer with `access_token` instead of `token` (both are in the wild). */
  accessTokenField?: boolean;
}

export interface ProxyOptions {
  faults?: ProxyFaults;
  paging?: ProxyPaging;
  auth?: ProxyAuth;
}

export type RequestKind = 'ping' | 'tags' | 'digest' | 'manifest' | 'blob' | 'token' | 'other';

export interface ProxyRequest {
  method: string;
  path: string;
  kind: RequestKind;
  status: number;
  /** The fault injected, if any. */
  fault?: FaultKind;
  /** The Authorization scheme the client sent (`Bearer`, `Basic`), if any. */
  authorization?: string;
  /** Milliseconds since the proxy started. */
  at: number;
}

export interface RegistryProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** 127.0.0.1:PORT, as in an image reference */
  readonly host: string;
  readonly port: number;
  /** Every request, in arrival order. */
  readonly requests: ProxyRequest[];
  /** Requests by kind (faulty ones included). */
  counts(): Record<RequestKind, number> & { faults: number; total: number; connections: number };
  configure(options: ProxyOptions): void;
  /** Forgets the request log. */
  clear(): void;
  stop(): Promise<void>;
}

/** mulberry32: a small seeded generator, so faults fall on the same requests each run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TAGS_LIST = /^\/v2\/(.+)\/tags\/list$/;
const MANIFEST = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
const BLOB = /^\/v2\/(.+)\/blobs\/([^/]+)$/;

function kindOf(method: string, path: string): { kind: RequestKind; name?: string } {
  if (path === '/token') return { kind: 'token' };
  if (path === '/v2/' || path === '/v2') return { kind: 'ping' };
  let m = TAGS_LIST.exec(path);
  if (m) return { kind: 'tags', name: m[1]! };
  m = MANIFEST.exec(path);
  if (m) return { kind: method === 'HEAD' ? 'digest' : 'manifest', name: m[1]! };
  m = BLOB.exec(path);
  if (m) return { kind: 'blob', name: m[1]! };
  return { kind: 'other' };
}

const PASSED_HEADERS = ['content-type', 'docker-content-digest', 'docker-distribution-api-version', 'etag'];

/** Starts the proxy on a free loopback port in front of `upstream` (the registry's URL). */
export async function startRegistryProxy(upstream: string, options: ProxyOptions = {}): Promise<RegistryProxy> {
  let config: ProxyOptions = { ...options };
  // Two generators: whether a request is faulty, and which fault it gets.
  let random = seeded(options.faults?.seed ?? 1);
  let pickKind = seeded((options.faults?.seed ?? 1) * 7919 + 1);
  const requests: ProxyRequest[] = [];
  const started = Date.now();
  const sockets = new Set<Socket>();
  let url = '';
  let tokenCounter = 0;
  let injected = 0;
  let connections = 0;
  /** token → the repository scopes it grants. */
  const tokens = new Map<string, { scopes: Set<string>; expires: number }>();

  const pickFault = (method: string, kind: RequestKind): FaultKind | undefined => {
    const faults = config.faults;
    if (!faults || faults.rate <= 0) return undefined;
    if (kind === 'token' && faults.includeToken === false) return undefined;
    if (faults.limit !== undefined && injected >= faults.limit) return undefined;
    let kinds = faults.kinds ?? ['429', '500', 'reset', 'slow', 'truncate'];
    // A HEAD answer has no body to cut short.
    if (method === 'HEAD') kinds = kinds.filter((k) => k !== 'truncate');
    if (kinds.length === 0) return undefined;
    if (random() >= faults.rate) return undefined;
    injected++;
    return kinds[Math.floor(pickKind() * kinds.length)];
  };

  const log = (req: IncomingMessage, path: string, kind: RequestKind, status: number, fault?: FaultKind): void => {
    const entry: ProxyRequest = { method: req.method ?? 'GET', path, kind, status, at: Date.now() - started };
    if (fault) entry.fault = fault;
    const auth = req.headers.authorization;
    if (auth) entry.authorization = auth.split(' ')[0]!;
    requests.push(entry);
  };

  const challenge = (res: ServerResponse, name: string | undefined): void => {
    const service = config.auth?.service ?? 'galley-test-registry';
    const scope = name ? `,scope="repository:${name}:pull"` : '';
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': `Bearer realm="${url}/token",service="${service}"${scope}`,
      'docker-distribution-api-version': 'registry/2.0',
    });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] }));
  };

  const authorized = (req: IncomingMessage, name: string | undefined): boolean => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(header);
    if (!m) return false;
    const token = tokens.get(m[1]!);
    if (!token || token.expires < Date.now()) return false;
    return name === undefined || token.scopes.has(name);
  };

  const answerToken = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): number => {
    const auth = config.auth ?? {};
    if (auth.username !== undefined) {
      const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ details: 'incorrect username or password' }));
        return 401;
      }
    }
    const scopes = new Set<string>();
    for (const scope of query.getAll('scope')) {
      const m = /^repository:(.+):[\w,]+$/.exec(scope);
      if (m) scopes.add(m[1]!);
    }
    const token = `tok-${++tokenCounter}-${Math.random().toString(36).slice(2)}`;
    const expiresIn = auth.expiresIn ?? 300;
    tokens.set(token, { scopes, expires: Date.now() + expiresIn * 1000 });
    const body: Record<string, unknown> = { expires_in: expiresIn, issued_at: new Date().toISOString() };
    if (auth.accessTokenField) body.access_token = token;
    else body.token = token;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return 200;
  };

  const forward = async (req: IncomingMessage, path: string, search: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> => {
    const headers: Record<string, string> = {};
    if (req.headers.accept) headers.accept = req.headers.accept;
    const answer = await fetch(`${upstream}${path}${search}`, { method: req.method, headers, redirect: 'manual' });
    const body = Buffer.from(await answer.arrayBuffer());
    const out: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) out[name] = value;
    }
    const length = answer.headers.get('content-length');
    if (req.method === 'HEAD' && length !== null) out['content-length'] = length;
    return { status: answer.status, headers: out, body };
  };

  /** The registry's full tag list cut into pages as Docker Hub / Quay page it. */
  const pageTags = (all: string[], name: string, query: URLSearchParams): { tags: string[]; link?: string } => {
    const paging = config.paging!;
    const sorted = [...all].sort();
    let last = query.get('last') ?? undefined;
    const opaque = query.get('next_page');
    if (opaque) last = Buffer.from(opaque, 'base64url').toString('utf8');
    const n = Math.min(Number(query.get('n') ?? paging.pageSize) || paging.pageSize, paging.pageSize);
    const start = last === undefined ? 0 : sorted.findIndex((t) => t > last!);
    const from = start === -1 ? sorted.length : start;
    const tags = sorted.slice(from, from + n);
    if (from + n >= sorted.length) return { tags };
    const lastTag = tags[tags.length - 1]!;
    const base = `/v2/${name}/tags/list`;
    let next: string;
    if (paging.link === 'opaque') next = `${base}?n=${n}&next_page=${Buffer.from(lastTag).toString('base64url')}`;
    else {
      const rel = `${base}?n=${n}&last=${encodeURIComponent(lastTag)}`;
      next = paging.link === 'absolute' ? `${url}${rel}` : rel;
    }
    return { tags, link: `<${next}>; rel="next"` };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = new URL(req.url ?? '/', 'http://proxy');
    const path = target.pathname;
    const method = req.method ?? 'GET';
    const { kind, name } = kindOf(method, path);
    const fault = pickFault(method, kind);
    if (fault === 'reset') {
      log(req, path, kind, 0, fault);
      req.socket.destroy();
      return;
    }
    if (fault === '429') {
      log(req, path, kind, 429, fault);
      res.writeHead(429, { 'retry-after': String(config.faults?.retryAfterSeconds ?? 0), 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'rate limit exceeded' }] }));
      return;
    }
    if (fault === '500') {
      log(req, path, kind, 500, fault);
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal server error');
      return;
    }
    if (fault === 'slow') await new Promise((r) => setTimeout(r, config.faults?.slowMs ?? 300));

    if (kind === 'token') {
      const status = answerToken(req, res, target.searchParams);
      log(req, path, kind, status, fault);
      return;
    }
    if (config.auth && !authorized(req, name)) {
      log(req, path, kind, 401, fault);
      challenge(res, name);
      return;
    }
    const answer = await forward(req, path, target.search);
    let body = answer.body;
    const headers = { ...answer.headers };
    if (kind === 'tags' && answer.status === 200 && config.paging) {
      const data = JSON.parse(body.toString('utf8')) as { name: string; tags: string[] | null };
      const page = pageTags(data.tags ?? [], name!, target.searchParams);
      body = Buffer.from(JSON.stringify({ name: data.name, tags: page.tags }));
      if (page.link) headers.link = page.link;
      headers['content-type'] = 'application/json';
    }
    if (method !== 'HEAD') headers['content-length'] = String(body.length);
    log(req, path, kind, answer.status, fault);
    res.writeHead(answer.status, headers);
    if (fault === 'truncate' && method !== 'HEAD' && body.length > 1) {
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      // Let the half reach the client, then cut the connection.
      setTimeout(() => req.socket.destroy(), 5);
      return;
    }
    res.end(method === 'HEAD' ? undefined : body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy error: ${(error as Error).message}`);
    });
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('registry proxy has no address');
  url = `http://127.0.0.1:${address.port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    host: `127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    counts: () => {
      const out = { ping: 0, tags: 0, digest: 0, manifest: 0, blob: 0, token: 0, other: 0, faults: 0, total: requests.length, connections };
      for (const r of requests) {
        out[r.kind]++;
        if (r.fault) out.faults++;
      }
      return out;
    },
    configure: (next) => {
      config = { ...next };
      random = seeded(next.faults?.seed ?? 1);
      pickKind = seeded((next.faults?.seed ?? 1) * 7919 + 1);
      injected = 0;
    },
    clear: () => {
      requests.length = 0;
      connections = 0;
    },
    stop: () => {
      stopped ??= new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      });
      return stopped;
    },
  };
}
