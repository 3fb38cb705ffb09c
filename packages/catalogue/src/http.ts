import pLimit, { type LimitFunction } from 'p-limit';

/**
 * Polite HTTP for registries and forges: a per-host concurrency limit,
 * request timeouts (body included), retries on 429, 5xx, resets, timeouts and
 * truncated bodies, honouring `Retry-After`, then `X-Ratelimit-Reset`, then
 * exponential backoff with jitter; a 429 pauses the whole host. A host that
 * keeps failing is given up on for the rest of the run (no retry storms).
 * Every request is counted per host and kind for the run's summary.
 */
export interface PolitenessSettings {
  /** Requests in flight per host. */
  concurrency: number;
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface HostStats {
  requests: number;
  retries: number;
  failures: number;
  /** Requests by kind (`tags`, `digest`, `token`, `repos`, …). */
  byKind: Record<string, number>;
}

/** A request that failed for good (after retries, or with a status that retrying cannot change). */
export class HttpFailure extends Error {
  override name = 'HttpFailure';
  constructor(
    message: string,
    readonly host: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Thrown by a response handler to have the request retried (e.g. a truncated body). */
export class RetryableError extends Error {
  override name = 'RetryableError';
}

export interface PoliteRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** What the request is for, counted in the summary. */
  kind: string;
}

/** Waits so long before a retry; `Retry-After` and rate-limit headers first. */
export function retryDelay(response: { headers: Headers } | undefined, attempt: number, settings: PolitenessSettings, now = Date.now()): number {
  const cap = settings.backoffMaxMs;
  const header = (name: string) => response?.headers.get(name) ?? null;
  const retryAfter = header('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(cap, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.min(cap, Math.max(0, date - now));
  }
  const reset = header('x-ratelimit-reset') ?? header('ratelimit-reset');
  if (reset !== null && Number.isFinite(Number(reset))) {
    const value = Number(reset);
    // GitHub sends epoch seconds; the IETF draft sends seconds from now.
    const ms = value > 1e9 ? value * 1000 - now : value * 1000;
    return Math.min(cap, Math.max(0, ms));
  }
  const exponential = Math.min(cap, settings.backoffBaseMs * 2 ** attempt);
  return exponential / 2 + (Math.random() * exponential) / 2;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function describeNetworkError(error: unknown): { message: string; retryable: boolean } {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return { message: 'timed out', retryable: true };
  const code = err.cause?.code ?? (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND') return { message: 'host not found (check the name and your DNS)', retryable: false };
  if (code === 'ECONNREFUSED') return { message: 'connection refused', retryable: true };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return { message: 'connection reset', retryable: true };
  const detail = err.cause?.message ?? err.message;
  return { message: code ? `${detail} (${code})` : detail, retryable: true };
}

/** Consecutive failed requests after which a host is given up on for the run. */
const HOST_GIVE_UP = 3;

interface HostState {
  limit: LimitFunction;
  pausedUntil: number;
  consecutiveFailures: number;
  lastFailure?: string;
  stats: HostStats;
}

export class PoliteHttp {
  private readonly hosts = new Map<string, HostState>();

  constructor(
    readonly settings: PolitenessSettings,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
  ) {}

  private host(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { limit: pLimit(this.settings.concurrency), pausedUntil: 0, consecutiveFailures: 0, stats: { requests: 0, retries: 0, failures: 0, byKind: {} } };
      this.hosts.set(host, state);
    }
    return state;
  }

  /** Requests per host so far (hosts sorted). */
  stats(): Record<string, HostStats> {
    const out: Record<string, HostStats> = {};
    for (const key of [...this.hosts.keys()].sort()) out[key] = this.hosts.get(key)!.stats;
    return out;
  }

  /**
   * Sends a request and hands the response to `handle` (which reads the body
   * and may throw RetryableError). 429 and 5xx are retried here; any other
   * status goes to `handle`.
   */
  async request<T>(url: string | URL, request: PoliteRequest, handle: (response: Response) => Promise<T>): Promise<T> {
    const target = new URL(url);
    const hostName = target.host;
    const state = this.host(hostName);
    let lastError = '';
    for (let attempt = 0; ; attempt++) {
      if (state.consecutiveFailures >= HOST_GIVE_UP) {
        throw new HttpFailure(`${hostName}: gave up on this host after ${HOST_GIVE_UP} failed requests (last: ${state.lastFailure ?? lastError})`, hostName);
      }
      const pause = state.pausedUntil - Date.now();
      if (pause > 0) await sleep(pause);
      let retryAfterMs: number | undefined;
      let fatal: HttpFailure | undefined;
      const outcome = await state.limit(async (): Promise<{ ok: true; value: T } | { ok: false }> => {
        state.stats.requests++;
        state.stats.byKind[request.kind] = (state.stats.byKind[request.kind] ?? 0) + 1;
        let response: Response;
        try {
          const init: RequestInit = { method: request.method ?? 'GET', signal: AbortSignal.timeout(this.settings.timeoutMs) };
          if (request.headers) init.headers = request.headers;
          if (request.body !== undefined) init.body = request.body;
          response = await this.fetchImpl(target, init);
        } catch (error) {
          const { message, retryable } = describeNetworkError(error);
          lastError = message;
          if (!retryable) fatal = new HttpFailure(`${hostName}: ${message}`, hostName);
          return { ok: false };
        }
        if (response.status === 429 || (response.status >= 500 && response.status <= 599)) {
          lastError = `HTTP ${response.status}${response.status === 429 ? ' (rate limited)' : ''}`;
          retryAfterMs = retryDelay(response, attempt, this.settings);
          if (response.status === 429) state.pausedUntil = Math.max(state.pausedUntil, Date.now() + retryAfterMs);
          await response.body?.cancel().catch(() => undefined);
          return { ok: false };
        }
        try {
          return { ok: true, value: await handle(response) };
        } catch (error) {
          if (error instanceof HttpFailure) {
            fatal = error;
            return { ok: false };
          }
          if (error instanceof RetryableError) {
            lastError = error.message;
            return { ok: false };
          }
          // Errors reading the body: resets, timeouts, truncation (by name: fetch's errors may come from another realm).
          const name = (error as Error | undefined)?.name;
          if (name === 'TypeError' || name === 'TimeoutError' || name === 'AbortError' || name === 'SocketError') {
            lastError = `reading the answer failed: ${describeNetworkError(error).message}`;
            return { ok: false };
          }
          throw error;
        }
      });
      if (outcome.ok) {
        state.consecutiveFailures = 0;
        return outcome.value;
      }
      if (fatal) {
        state.stats.failures++;
        throw fatal;
      }
      if (attempt >= this.settings.retries) {
        state.stats.failures++;
        state.consecutiveFailures++;
        state.lastFailure = lastError;
        throw new HttpFailure(`${hostName}: ${lastError} (gave up after ${attempt + 1} attempts)`, hostName);
      }
      state.stats.retries++;
      await sleep(retryAfterMs ?? retryDelay(undefined, attempt, this.settings));
    }
  }
}

/** `Link: <url>; rel="next"` → the next URL resolved against the request URL. */
export function nextLink(link: string | null, base: string | URL): URL | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*(.*)$/.exec(part.trim());
    if (!m) continue;
    if (/(?:^|;)\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/i.test(m[2]!)) return new URL(m[1]!, base);
  }
  return undefined;
}
