import { setFlagsFromString } from 'node:v8';
import type { Dispatcher } from 'undici';

/** Redirects followed per request. */
const MAX_REDIRECTS = 5;

export interface Transport {
  dispatcher: Dispatcher;
  request: typeof import('undici').request;
}

/**
 * undici closes the connection after every HEAD (undici#258: some servers
 * wrongly send a body with one). Registry digests are HEADs, most of a
 * catalogue run's requests: measured against a node server and Debian's
 * distribution registry, 20 HEADs took 20 connections, and 2 with
 * `reset: false`, as many as 20 GETs.
 */
const keepAliveAfterHead: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) =>
  dispatch(options.method === 'HEAD' && options.reset === undefined ? { ...options, reset: false } : options, handler);

/**
 * A connection pool: undici's `Agent` with keep-alive connections per
 * origin, at most `connections(host)` of them (the host's request limit, so
 * requests in a row reuse one connection instead of alternating between
 * two), undici's redirect interceptor (up to 5; it drops Authorization,
 * Cookie and Proxy-Authorization when a redirect leaves the origin) and
 * connections kept open after HEAD. undici is loaded on the first request,
 * so commands that send none never load it.
 */
export async function createTransport(connections: (host: string) => number): Promise<Transport> {
  // undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it at
  // once with its baseline compiler (Liftoff, ~7 ms), then again optimised
  // (TurboFan) on background threads, and node waits for those before the
  // process exits: measured +0.25 s of CPU, and exit 0.2 s (idle machine) to
  // 1.5 s (busy one) after the work was done, in every command that sent a
  // request. Galley sends at most a few thousand small requests per run, and
  // with Liftoff's code alone the client used less CPU, not more (see
  // bench/RESULTS.md), so the optimising tier is left out. Galley compiles no
  // other WebAssembly.
  setFlagsFromString('--liftoff-only');
  // The CommonJS module itself: bundled by esbuild, a dynamic import of it has no named exports.
  const { Agent, Pool, interceptors, request } = (await import('undici')).default;
  const agent = new Agent({ factory: (origin, options) => new Pool(origin, { ...options, connections: connections(new URL(origin).host) }) });
  return { dispatcher: agent.compose(keepAliveAfterHead, interceptors.redirect({ maxRedirections: MAX_REDIRECTS })), request };
}
