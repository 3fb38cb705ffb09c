import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { HttpClient, type HttpClientSettings, type HttpResponse } from './client.js';
import { HttpError, RetryableError } from './errors.js';

/** A local server: every request it saw (with the time it arrived), and how many connections it accepted. */
interface TestServer {
  url: string;
  host: string;
  seen: { method: string; path: string; authorization?: string; at: number }[];
  connections: number;
  stop(): Promise<void>;
}

const servers: TestServer[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<TestServer> {
  const server = createServer((req, res) => {
    const entry: TestServer['seen'][number] = { method: req.method ?? '', path: req.url ?? '', at: Date.now() };
    if (req.headers.authorization) entry.authorization = req.headers.authorization;
    state.seen.push(entry);
    handler(req, res, state.seen.length);
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const state: TestServer = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    seen: [],
    connections: 0,
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
  servers.push(state);
  return state;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const settings = (over: Partial<HttpClientSettings> = {}): HttpClientSettings => ({
  concurrency: 4,
  timeoutMs: 10_000,
  retries: 3,
  backoffBaseMs: 10,
  backoffMaxMs: 5_000,
  ...over,
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
};

const readText = (response: HttpResponse) => response.text();
const failureOf = async (promise: Promise<unknown>): Promise<HttpError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
};

describe('retries', () => {
  it('sends again after a 5xx and a reset, and counts requests and retries per host and kind', async () => {
    const server = await serve((req, res, n) => {
      if (n === 1) json(res, 503, { error: 'busy' });
      else if (n === 2) req.socket.destroy();
      else json(res, 200, { ok: true });
    });
    const http = new HttpClient(settings());
    expect(await http.request(`${server.url}/a`, { kind: 'tags' }, readText)).toBe('{"ok":true}');
    expect(server.seen).toHaveLength(3);
    expect(http.stats()).toEqual({ [server.host]: { requests: 3, retries: 2, failures: 0, byKind: { tags: 3 } } });
  });

  it('waits as long as Retry-After says (seconds), and a 429 pauses the whole host', async () => {
    const server = await serve((_req, res, n) => (n === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, n)));
    const http = new HttpClient(settings({ concurrency: 1 }));
    const first = http.request(`${server.url}/first`, { kind: 'a' }, readText);
    // Queued behind the first (concurrency 1): sent after the 429, so it must wait out the pause too.
    const second = http.request(`${server.url}/second`, { kind: 'a' }, readText);
    await Promise.all([first, second]);
    const [limited, ...after] = server.seen;
    expect(after).toHaveLength(2);
    for (const request of after) expect(request.at - limited!.at).toBeGreaterThanOrEqual(950);
  });

  it('waits as long as Retry-After says (an HTTP date)', async () => {
    let retryAt = 0;
    const server = await serve((_req, res, n) => {
      if (n > 1) return json(res, 200, 'ok');
      // Two seconds from now, at the second's resolution of an HTTP date: at least one second away.
      retryAt = Math.floor(Date.now() / 1000) * 1000 + 2000;
      json(res, 503, {}, { 'retry-after': new Date(retryAt).toUTCString() });
    });
    await new HttpClient(settings()).request(server.url, { kind: 'a' }, readText);
    expect(server.seen[1]!.at).toBeGreaterThanOrEqual(retryAt - 50);
  });

  it("waits for X-Ratelimit-Reset, also on GitHub's 403 rate limit", async () => {
    let reset = 0;
    const server = await serve((_req, res, n) => {
      if (n > 1) return json(res, 200, []);
      reset = Math.floor(Date.now() / 1000) + 2;
      json(res, 403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
    });
    const http = new HttpClient(settings());
    expect(await http.request(server.url, { kind: 'repos' }, async (r) => r.status)).toBe(200);
    expect(server.seen[1]!.at).toBeGreaterThanOrEqual(reset * 1000 - 50);
  });

  it('retries an answer cut short (body shorter than its Content-Length) and one the handler finds unusable', async () => {
    const server = await serve((req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"tags": ["1.0"');
        setTimeout(() => req.socket.destroy(), 10);
      } else if (n === 2) json(res, 200, 'not what was asked');
      else json(res, 200, { tags: ['1.0', '1.1'] });
    });
    const http = new HttpClient(settings());
    const tags = await http.request(server.url, { kind: 'tags' }, async (r) => {
      const body = JSON.parse(await r.text()) as { tags?: string[] };
      if (!body.tags) throw new RetryableError('the tag list is not a list');
      return body.tags;
    });
    expect(tags).toEqual(['1.0', '1.1']);
    expect(server.seen).toHaveLength(3);
  });

  it('times out (waiting for headers, and reading a stalled body) and sends again', async () => {
    const server = await serve((_req, res, n) => {
      if (n === 1) return; // never answers
      if (n === 2) {
        res.writeHead(200, { 'content-length': '10' });
        res.write('12345'); // and stalls
        return;
      }
      res.writeHead(200, { 'content-length': '10' });
      res.end('1234567890');
    });
    const http = new HttpClient(settings({ timeoutMs: 300 }));
    expect(await http.request(server.url, { kind: 'a' }, readText)).toBe('1234567890');
    expect(server.seen).toHaveLength(3);
  });

  it('gives up after its retries with a transient typed error that names the host and what to do', async () => {
    const server = await serve((_req, res) => json(res, 500, {}));
    const http = new HttpClient(settings({ retries: 2 }));
    const error = await failureOf(http.request(server.url, { kind: 'a' }, readText));
    expect(error).toMatchObject({ code: 'http-status', status: 500, transient: true, host: server.host });
    expect(error.message).toBe(`${server.host}: HTTP 500 (gave up after 3 attempts): try again later`);
    expect(server.seen).toHaveLength(3);
  });
});

describe('failing fast', () => {
  it('hands a 4xx to the handler once; the HttpError it throws is not retried and is not transient', async () => {
    const server = await serve((_req, res) => json(res, 404, { errors: [{ code: 'NAME_UNKNOWN' }] }));
    const http = new HttpClient(settings());
    const error = await failureOf(
      http.request(server.url, { kind: 'tags' }, async (r) => {
        throw new HttpError('http-status', `${server.host}: no such repository (HTTP ${r.status})`, { host: server.host, status: r.status });
      }),
    );
    expect(error).toMatchObject({ code: 'http-status', status: 404, transient: false, exitCode: 2 });
    expect(server.seen).toHaveLength(1);
    expect(http.stats()[server.host]).toMatchObject({ requests: 1, retries: 0, failures: 1 });
  });

  it('does not retry a host name that does not exist, and fails later requests to it without sending', async () => {
    const http = new HttpClient(settings({ backoffBaseMs: 60_000 }));
    const error = await failureOf(http.request('http://galley-test.invalid/v2/', { kind: 'a' }, readText));
    expect(error).toMatchObject({ code: 'http-host-not-found', transient: false, host: 'galley-test.invalid' });
    expect(error.message).toMatch(/^galley-test\.invalid: host not found \(check the name and your DNS\)$/);
    expect(await failureOf(http.request('http://galley-test.invalid/other', { kind: 'a' }, readText))).toBe(error);
    expect(http.stats()['galley-test.invalid']).toMatchObject({ requests: 1, retries: 0, failures: 1 });
  });

  it.each([
    ['http://127.0.0.1:0/v2/', /bad port/],
    ['http://127.0.0.1:99999/v2/', /is not a valid URL: check the host and the port/],
    ['ftp://127.0.0.1/x', /only http:\/\/ and https:\/\/ URLs/],
    ['registry.example/v2/', /is not a valid URL/],
  ])('refuses %s at once as invalid input', async (url, message) => {
    const http = new HttpClient(settings({ backoffBaseMs: 60_000 }));
    const error = await failureOf(http.request(url, { kind: 'a' }, readText));
    expect(error).toMatchObject({ code: 'http-bad-url', transient: false });
    expect(error.message).toMatch(message);
  });

  it('gives a host up for the run after three failed requests in a row', async () => {
    const server = await serve((_req, res) => json(res, 502, {}));
    const http = new HttpClient(settings({ retries: 0 }));
    for (let i = 0; i < 3; i++) await failureOf(http.request(`${server.url}/${i}`, { kind: 'a' }, readText));
    const error = await failureOf(http.request(`${server.url}/4`, { kind: 'a' }, readText));
    expect(error).toMatchObject({ code: 'http-gave-up', transient: true });
    expect(error.message).toBe(`${server.host}: gave up on this host after 3 failed requests (last: HTTP 502)`);
    expect(server.seen).toHaveLength(3);
  });

  it('keeps counting connection refusals as transient failures', async () => {
    const server = await serve(() => undefined);
    const url = server.url;
    await server.stop();
    const error = await failureOf(new HttpClient(settings({ retries: 1 })).request(url, { kind: 'a' }, readText));
    expect(error).toMatchObject({ code: 'http-unreachable', transient: true });
    expect(error.message).toMatch(/connection refused \(gave up after 2 attempts\): check that the server is up, or try again later$/);
  });
});

describe('per-host limits', () => {
  it('keeps at most `concurrency` requests in flight per host, or the host’s own limit', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = () =>
      serve((_req, res) => {
        inFlight++;
        most = Math.max(most, inFlight);
        setTimeout(() => {
          inFlight--;
          json(res, 200, 'ok');
        }, 30);
      });
    const server = await slow();
    const http = new HttpClient(settings({ concurrency: 2 }));
    await Promise.all(Array.from({ length: 8 }, (_, i) => http.request(`${server.url}/${i}`, { kind: 'a' }, readText)));
    expect(most).toBe(2);
    most = 0;
    const other = await slow();
    const limited = new HttpClient(settings({ concurrency: 4, hostConcurrency: { [other.host]: 1 } }));
    await Promise.all(Array.from({ length: 4 }, (_, i) => limited.request(`${other.url}/${i}`, { kind: 'a' }, readText)));
    expect(most).toBe(1);
  });
});

describe('keep-alive', () => {
  it.each(['HEAD', 'GET'])(
    'sends 20 %s requests in a row over the same connections (HEAD answers carry Content-Length, as registries send them)',
    async (method) => {
      const server = await serve((_req, res) => {
        res.writeHead(200, { 'content-length': '71', 'docker-content-digest': `sha256:${'a'.repeat(64)}` });
        res.end(method === 'HEAD' ? undefined : 'x'.repeat(71));
      });
      const http = new HttpClient(settings());
      for (let i = 0; i < 20; i++) {
        const digest = await http.request(`${server.url}/v2/app/manifests/${i}`, { kind: 'digest', method }, async (r) => r.header('docker-content-digest'));
        expect(digest).toMatch(/^sha256:a{64}$/);
      }
      expect(server.seen).toHaveLength(20);
      // Not one per request. At most two: undici may send the next request before the last connection reports itself free.
      expect(server.connections).toBeLessThanOrEqual(2);
    },
  );

  it('opens no more connections than requests in flight', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '5' });
      res.end();
    });
    const http = new HttpClient(settings({ concurrency: 3 }));
    await Promise.all(Array.from({ length: 30 }, (_, i) => http.request(`${server.url}/${i}`, { kind: 'digest', method: 'HEAD' }, async (r) => r.status)));
    expect(server.connections).toBeLessThanOrEqual(3);
  });
});

describe('redirects', () => {
  it('follows them, keeping Authorization on the same origin and dropping it on another', async () => {
    const blobs = await serve((_req, res) => json(res, 200, 'blob'));
    const registry = await serve((req, res) => {
      if (req.url === '/v2/app/blobs/a') res.writeHead(307, { location: `${blobs.url}/signed/a?sig=1` }).end();
      else if (req.url === '/old') res.writeHead(301, { location: '/v2/app/blobs/b' }).end();
      else json(res, 200, 'here');
    });
    const http = new HttpClient(settings());
    const headers = { authorization: 'Bearer secret' };
    expect(await http.request(`${registry.url}/v2/app/blobs/a`, { kind: 'blob', headers }, readText)).toBe('"blob"');
    expect(await http.request(`${registry.url}/old`, { kind: 'blob', headers }, readText)).toBe('"here"');
    expect(blobs.seen).toEqual([{ method: 'GET', path: '/signed/a?sig=1', at: expect.any(Number) }]);
    expect(registry.seen.map((r) => [r.path, r.authorization])).toEqual([
      ['/v2/app/blobs/a', 'Bearer secret'],
      ['/old', 'Bearer secret'],
      ['/v2/app/blobs/b', 'Bearer secret'],
    ]);
  });
});

describe('origin overrides', () => {
  it('send the requests for one origin to another, counted under the host asked', async () => {
    const server = await serve((req, res) => json(res, 200, req.url));
    const http = new HttpClient(settings({ originOverrides: { 'https://images.example': server.url } }));
    expect(await http.request('https://images.example/a.png?size=2', { kind: 'media' }, readText)).toBe('"/a.png?size=2"');
    expect(Object.keys(http.stats())).toEqual(['images.example']);
  });
});

describe('fetcher (for octokit)', () => {
  it('answers a WHATWG Response with status, headers and body, counted as its kind', async () => {
    const server = await serve((req, res) =>
      json(res, 200, [{ name: 'forum' }], { link: `<${server.url}/orgs/x/repos?page=2>; rel="next"`, 'x-seen-ua': req.headers['user-agent'] ?? '' }),
    );
    const http = new HttpClient(settings({ userAgent: 'galley-test' }));
    const response = await http.fetcher('repos')(`${server.url}/orgs/x/repos`, { headers: { accept: 'application/vnd.github+json' } });
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${server.url}/orgs/x/repos`);
    expect(response.headers.get('link')).toContain('rel="next"');
    expect(response.headers.get('x-seen-ua')).toBe('galley-test');
    expect(await response.json()).toEqual([{ name: 'forum' }]);
    expect(http.stats()[server.host]!.byKind).toEqual({ repos: 1 });
  });
});

describe('text', () => {
  it('reads any status as text; with `once`, callers share one request per URL', async () => {
    const server = await serve((req, res) => (req.url === '/recipes.json' ? json(res, 200, { forum: {} }) : json(res, 404, 'no')));
    const http = new HttpClient(settings());
    const url = `${server.url}/recipes.json`;
    const answers = await Promise.all([http.text(url, { kind: 'catalogue', once: true }), http.text(url, { kind: 'catalogue', once: true })]);
    expect(await http.text(url, { kind: 'catalogue', once: true })).toBe(answers[0]);
    expect(answers[1]).toEqual({ status: 200, body: '{"forum":{}}' });
    expect(await http.text(`${server.url}/missing`, { kind: 'repository', method: 'HEAD' })).toEqual({ status: 404, body: '' });
    expect(server.seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /recipes.json', 'HEAD /missing']);
  });
});
