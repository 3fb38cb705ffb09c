/** How long retries wait. */
export interface BackoffSettings {
  backoffBaseMs: number;
  /** No wait is longer than this, whatever the server asks. */
  backoffMaxMs: number;
}

/** Reads one response header (lower-case name), undefined when absent. */
export type HeaderReader = (name: string) => string | undefined;

/**
 * Waits so long before a retry: `Retry-After` (seconds or an HTTP date)
 * first, then `X-Ratelimit-Reset` / `RateLimit-Reset` (epoch seconds as
 * GitHub sends them, or seconds from now as the IETF draft does), else
 * exponential backoff with jitter (half to all of base × 2^attempt). All
 * capped at `backoffMaxMs`.
 */
export function retryDelay(header: HeaderReader | undefined, attempt: number, settings: BackoffSettings, now = Date.now()): number {
  const cap = settings.backoffMaxMs;
  const retryAfter = header?.('retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (retryAfter.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return Math.min(cap, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.min(cap, Math.max(0, date - now));
  }
  const reset = header?.('x-ratelimit-reset') ?? header?.('ratelimit-reset');
  if (reset !== undefined && reset.trim() !== '' && Number.isFinite(Number(reset))) {
    const value = Number(reset);
    const ms = value > 1e9 ? value * 1000 - now : value * 1000;
    return Math.min(cap, Math.max(0, ms));
  }
  const exponential = Math.min(cap, settings.backoffBaseMs * 2 ** attempt);
  return exponential / 2 + (Math.random() * exponential) / 2;
}

/**
 * Whether an answer says "too many requests": a 429, or a 403 that carries a
 * rate limit's headers as GitHub sends them (`x-ratelimit-remaining: 0` for
 * the primary limit, `retry-after` for the secondary one).
 */
export function rateLimited(status: number, header: HeaderReader): boolean {
  if (status === 429) return true;
  return status === 403 && (header('x-ratelimit-remaining') === '0' || header('retry-after') !== undefined);
}
