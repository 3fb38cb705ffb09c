/**
 * @galley/platform/http — the one polite HTTP client (per-host limits,
 * retries honouring Retry-After and rate-limit headers, keep-alive, a
 * per-run answer cache), its typed errors and `Link` paging.
 */
export { type HostStats, HttpClient, type HttpResponse, type TextAnswer } from './client.js';
export { HttpError, RetryableError } from './errors.js';
export { nextLink } from './link.js';
