import pLimit, { type LimitFunction } from 'p-limit';
import type { Dispatcher } from 'undici';
import { HttpError, type HttpErrorCode, type NetworkFailure, networkFailure, RetryableError, transientStatus } from './errors.js';
import { type BackoffSettings, rateLimited, retryDelay } from './retry.js';
import { createTransport, type Transport } from './transport.js';

/**
 * The one polite HTTP client: per-host concurrency, a time limit per request
 * (reading the answer included), retries on 429 (and GitHub's 403 rate
 * limits), 5xx, resets, timeouts and answers cut short, waiting as
 * `Retry-After` or `X-Ratelimit-Reset` ask, else backing off exponentially
 * with jitter; a rate limit pauses the whole host. A host that fails three
 * requests in a row is given up on for the rest of the run, and one whose
 * name or certificate is wrong fails every request at once. Every request is
 * counted per host and kind. Connections are kept alive (HEADs included),
 * redirects followed without carrying credentials to another origin.
 */
export interface HttpClientSettings extends BackoffSettings {
  /** Requests in flight per host. */
  concurrency: number;
  /** Per-host overrides of `concurrency`, by `host[:port]` as in URLs. */
  hostConcurrency?: Readonly<Record<string, number>>;
  /** Time limit of one attempt, reading the answer included. */
  timeoutMs: number;
  /** Attempts after the first. */
  retries: number;
  /** Sent as `user-agent` unless a request sets its own. */
  userAgent?: string;
  /**
   * Requests for an origin (`https://images.example`) sent to another
   * (`http://127.0.0.1:8080`) instead, as curl's `--connect-to` does: a
   * mirror, or a local stand-in in tests. Counted under the host asked.
   */
  originOverrides?: Readonly<Record<string, string>>;
}

export interface HostStats {
  /** Requests sent, retries included. */
  requests: number;
  retries: number;
  /** Requests that failed for good. */
  failures: number;
  /** Requests by kind (`tags`, `digest`, `token`, `repos`, …). */
  byKind: Record<string, number>;
}

export interface HttpRequest {
  /** What the request is for, counted in the stats. */
  kind: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Overrides the client's time limit. */
  timeoutMs?: number;
  /** Overrides the client's retries. */
  retries?: number;
  /** Aborts the request (its reason is thrown as is). */
  signal?: AbortSignal;
}

/** An answer as a response handler sees it. A body the handler leaves unread is discarded. */
export interface HttpResponse {
  readonly status: number;
  /** 2xx. */
  readonly ok: boolean;
  readonly url: URL;
  /** A header's value (several joined with `, `), undefined when absent. */
  header(name: string): string | undefined;
  /** Reads the body; a body cut short or too slow makes the request retried. */
  text(): Promise<string>;
  bytes(): Promise<Buffer>;
  discard(): Promise<void>;
}

/** A whole answer read as text (`HttpClient.text`). */
export interface TextAnswer {
  status: number;
  body: string;
}

/** Consecutive failed requests after which a host is given up on for the run. */
const HOST_GIVE_UP = 3;
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Marks a failure to read the body, so it is retried like a failed request. */
class BodyError extends Error {}

class Answer implements HttpResponse {
  readonly ok: boolean;
  private used = false;

  constructor(
    readonly status: number,
    private readonly headers: Dispatcher.ResponseData['headers'],
    private readonly body: Dispatcher.ResponseData['body'],
    readonly url: URL,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  headerPairs(): [string, string][] {
    const pairs: [string, string][] = [];
    for (const [name, value] of Object.entries(this.headers)) {
      if (Array.isArray(value)) for (const v of value) pairs.push([name, v]);
      else if (value !== undefined) pairs.push([name, value]);
    }
    return pairs;
  }

  private async read<T>(how: () => Promise<T>): Promise<T> {
    this.used = true;
    try {
      return await how();
    } catch (error) {
      throw new BodyError('reading the answer failed', { cause: error });
    }
  }

  text(): Promise<string> {
    return this.read(() => this.body.text());
  }

  async bytes(): Promise<Buffer> {
    return Buffer.from(await this.read(() => this.body.arrayBuffer()));
  }

  async discard(): Promise<void> {
    if (this.used) return;
    this.used = true;
    await this.body.dump().catch(() => undefined);
  }
}

interface HostState {
  limit: LimitFunction;
  pausedUntil: number;
  consecutiveFailures: number;
  lastFailure?: string;
  /** A failure no retry can change (unknown host, bad port, bad certificate): every later request fails with it. */
  fatal?: HttpError;
  stats: HostStats;
}

interface Failure {
  code: HttpErrorCode;
  message: string;
  status?: number;
}

type Outcome<T> = { value: T } | { thrown: HttpError } | { fatal: NetworkFailure } | { retry: Failure; delayMs?: number };

function toUrl(url: string | URL): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new HttpError('http-bad-url', `"${String(url)}" is not a valid URL: check the host and the port (1 to 65535)`, { host: '' });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new HttpError('http-bad-url', `${target.href}: only http:// and https:// URLs can be asked`, { host: target.host });
  }
  if (target.port === '0') throw new HttpError('http-bad-url', `${target.host}: bad port (give one from 1 to 65535)`, { host: target.host });
  return target;
}

const HINTS: Partial<Record<HttpErrorCode, string>> = {
  'http-unreachable': ': check that the server is up, or try again later',
  'http-status': ': try again later',
  'http-bad-answer': ': try again later',
};

export class HttpClient {
  private readonly hosts = new Map<string, HostState>();
  private readonly answers = new Map<string, Promise<TextAnswer>>();
  private transport: Promise<Transport> | undefined;

  constructor(readonly settings: HttpClientSettings) {}

  private concurrency(host: string): number {
    return this.settings.hostConcurrency?.[host] ?? this.settings.concurrency;
  }

  private host(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { limit: pLimit(this.concurrency(host)), pausedUntil: 0, consecutiveFailures: 0, stats: { requests: 0, retries: 0, failures: 0, byKind: {} } };
      this.hosts.set(host, state);
    }
    return state;
  }

  /** Requests per host so far (hosts sorted); hosts never asked are absent. */
  stats(): Record<string, HostStats> {
    const out: Record<string, HostStats> = {};
    for (const key of [...this.hosts.keys()].sort()) out[key] = this.hosts.get(key)!.stats;
    return out;
  }

  /**
   * Sends a request and hands the answer to `handle`, which reads what it
   * needs and returns the result. Rate limits and 5xx are retried here and
   * never reach `handle`; every other status does. `handle` throws an
   * `HttpError` to fail at once, or a `RetryableError` (or lets a body read
   * fail) to have the request sent again. Every failure is an `HttpError`.
   */
  async request<T>(url: string | URL, request: HttpRequest, handle: (response: HttpResponse) => Promise<T>): Promise<T> {
    const target = toUrl(url);
    const host = target.host;
    const state = this.host(host);
    const retries = request.retries ?? this.settings.retries;
    for (let attempt = 0; ; attempt++) {
      if (state.fatal) throw state.fatal;
      if (state.consecutiveFailures >= HOST_GIVE_UP) {
        throw new HttpError('http-gave-up', `${host}: gave up on this host after ${HOST_GIVE_UP} failed requests (last: ${state.lastFailure})`, { host });
      }
      const outcome = await state.limit(() => this.attempt(target, request, handle, attempt, state));
      if ('value' in outcome) {
        state.consecutiveFailures = 0;
        return outcome.value;
      }
      if ('thrown' in outcome) {
        state.stats.failures++;
        throw outcome.thrown;
      }
      if ('fatal' in outcome) {
        state.stats.failures++;
        const error = new HttpError(outcome.fatal.code, `${host}: ${outcome.fatal.message}`, { host });
        if (outcome.fatal.hostWide) state.fatal = error;
        throw error;
      }
      const failure = outcome.retry;
      if (attempt >= retries) {
        state.stats.failures++;
        state.consecutiveFailures++;
        state.lastFailure = failure.message;
        const attempts = `gave up after ${attempt + 1} attempt${attempt === 0 ? '' : 's'}`;
        throw new HttpError(failure.code, `${host}: ${failure.message} (${attempts})${HINTS[failure.code] ?? ''}`, {
          host,
          ...(failure.status === undefined ? {} : { status: failure.status }),
        });
      }
      state.stats.retries++;
      await sleep(outcome.delayMs ?? retryDelay(undefined, attempt, this.settings));
    }
  }

  private async attempt<T>(
    target: URL,
    request: HttpRequest,
    handle: (response: HttpResponse) => Promise<T>,
    attempt: number,
    state: HostState,
  ): Promise<Outcome<T>> {
    // Checked in turn, so requests already queued for the host wait out a rate limit's pause too.
    const pause = state.pausedUntil - Date.now();
    if (pause > 0) await sleep(pause);
    state.stats.requests++;
    state.stats.byKind[request.kind] = (state.stats.byKind[request.kind] ?? 0) + 1;
    const timeout = AbortSignal.timeout(request.timeoutMs ?? this.settings.timeoutMs);
    const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
    const headers = { ...request.headers };
    if (this.settings.userAgent && !Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent')) headers['user-agent'] = this.settings.userAgent;
    this.transport ??= createTransport((host) => this.concurrency(host));
    const { dispatcher, request: send } = await this.transport;
    let data: Dispatcher.ResponseData;
    try {
      const override = this.settings.originOverrides?.[target.origin];
      const url = override === undefined ? target : new URL(`${target.pathname}${target.search}`, override);
      data = await send(url, { dispatcher, method: (request.method ?? 'GET') as Dispatcher.HttpMethod, headers, body: request.body ?? null, signal });
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      const failure = networkFailure(error, timeout.aborted);
      return failure.retryable ? { retry: failure } : { fatal: failure };
    }
    const answer = new Answer(data.statusCode, data.headers, data.body, target);
    const header = (name: string) => answer.header(name);
    const limited = rateLimited(answer.status, header);
    if (limited || transientStatus(answer.status)) {
      await answer.discard();
      const delayMs = retryDelay(header, attempt, this.settings);
      if (limited) state.pausedUntil = Math.max(state.pausedUntil, Date.now() + delayMs);
      return { retry: { code: 'http-status', message: `HTTP ${answer.status}${limited ? ' (rate limited)' : ''}`, status: answer.status }, delayMs };
    }
    try {
      const value = await handle(answer);
      await answer.discard();
      return { value };
    } catch (error) {
      await answer.discard();
      if (error instanceof HttpError) return { thrown: error };
      if (error instanceof RetryableError) return { retry: { code: 'http-bad-answer', message: error.message } };
      if (error instanceof BodyError) {
        if (request.signal?.aborted) throw request.signal.reason;
        const failure = networkFailure(error.cause, timeout.aborted);
        return {
          retry: {
            code: failure.code === 'http-unreachable' ? 'http-unreachable' : 'http-bad-answer',
            message: `reading the answer failed: ${failure.message}`,
          },
        };
      }
      throw error;
    }
  }

  /**
   * A `fetch` for libraries that take one (octokit's `request.fetch`), with
   * the same politeness, counted as `kind`. The whole answer is read before
   * it is returned, so one cut short is retried. Only string bodies.
   */
  fetcher(kind: string): typeof fetch {
    return async (input, init = {}) => {
      const url = input instanceof Request ? input.url : input;
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      const request: HttpRequest = { kind, method: init.method ?? 'GET', headers };
      if (init.body !== undefined && init.body !== null) {
        if (typeof init.body !== 'string') throw new TypeError('HttpClient.fetcher sends string bodies only');
        request.body = init.body;
      }
      if (init.signal) request.signal = init.signal;
      return this.request(url, request, async (answer) => {
        const body = request.method === 'HEAD' || NULL_BODY_STATUS.has(answer.status) ? null : await answer.bytes();
        const response = new Response(body, { status: answer.status, headers: (answer as Answer).headerPairs() });
        Object.defineProperty(response, 'url', { value: answer.url.href });
        return response;
      });
    };
  }

  /**
   * GETs (or HEADs) a URL and reads the whole answer as text, whatever its
   * status. With `once`, one request per method and URL for the client's
   * life: every caller shares its answer (or its failure).
   */
  text(
    url: string,
    options: { kind: string; method?: 'GET' | 'HEAD'; headers?: Record<string, string>; timeoutMs?: number; once?: boolean },
  ): Promise<TextAnswer> {
    const { once, method = 'GET', ...rest } = options;
    const ask = () => this.request(url, { ...rest, method }, async (answer) => ({ status: answer.status, body: method === 'HEAD' ? '' : await answer.text() }));
    if (!once) return ask();
    const key = `${method} ${url}`;
    let pending = this.answers.get(key);
    if (!pending) {
      pending = ask();
      this.answers.set(key, pending);
    }
    return pending;
  }
}
