import { EXIT, GalleyError } from '../errors.js';

export type HttpErrorCode = 'http-bad-answer' | 'http-bad-url' | 'http-gave-up' | 'http-host-not-found' | 'http-status' | 'http-tls' | 'http-unreachable';

/** Codes whose failures say something about the server or network at the time, not about the request. */
const TRANSIENT_CODES: ReadonlySet<HttpErrorCode> = new Set(['http-bad-answer', 'http-gave-up', 'http-unreachable']);

/** Statuses that may go away by themselves: rate limits, timeouts, server errors (not 501/505, which are for good). */
export function transientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/**
 * An HTTP request that failed for good: after its retries, or at once when
 * retrying cannot help. `transient` tells the two kinds of failure apart for
 * callers that keep old results: true when the same request may work later
 * (network down, timeouts, resets, 5xx, 429, answers cut short, a host given
 * up on for this run), so old results stay and are marked stale; false when
 * the request itself must change (a bad URL or port, an unknown host name,
 * an invalid certificate, a 4xx), which is invalid input.
 */
export class HttpError extends GalleyError {
  declare readonly code: HttpErrorCode;
  /** `host[:port]` as in the URL. */
  readonly host: string;
  readonly status: number | undefined;
  readonly transient: boolean;

  constructor(code: HttpErrorCode, message: string, options: { host: string; status?: number; transient?: boolean; cause?: unknown }) {
    const transient =
      options.transient ?? (code === 'http-status' && options.status !== undefined ? transientStatus(options.status) : TRANSIENT_CODES.has(code));
    super(code, message, { exitCode: transient ? EXIT.FAILED : EXIT.USAGE, ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.name = 'HttpError';
    this.host = options.host;
    this.status = options.status;
    this.transient = transient;
  }
}

/** Thrown by a response handler to have the request sent again (an answer cut short, JSON that does not parse). */
export class RetryableError extends Error {
  override name = 'RetryableError';
}

export interface NetworkFailure {
  code: HttpErrorCode;
  /** What happened, for the message (the host is added by the caller). */
  message: string;
  retryable: boolean;
  /** Every request to the host would fail the same way (its name, port or certificate): fail them without sending. */
  hostWide?: boolean;
}

const RESET: NetworkFailure = { code: 'http-unreachable', message: 'connection reset', retryable: true };
const TIMEOUT: NetworkFailure = { code: 'http-unreachable', message: 'timed out', retryable: true };
const HANDSHAKE: NetworkFailure = {
  code: 'http-tls',
  message: 'the TLS handshake failed: is it a plain http server (use http://)?',
  retryable: false,
  hostWide: true,
};
const TLS_HINT = "fix the server's certificate, or give the plain http:// URL if the server has no TLS";

const BY_CODE: Record<string, NetworkFailure> = {
  ENOTFOUND: { code: 'http-host-not-found', message: 'host not found (check the name and your DNS)', retryable: false, hostWide: true },
  EAI_AGAIN: { code: 'http-unreachable', message: 'the host name could not be resolved right now (DNS)', retryable: true },
  ECONNREFUSED: { code: 'http-unreachable', message: 'connection refused', retryable: true },
  ECONNRESET: RESET,
  EPIPE: RESET,
  UND_ERR_SOCKET: RESET,
  EHOSTUNREACH: { code: 'http-unreachable', message: 'host unreachable', retryable: true },
  ENETUNREACH: { code: 'http-unreachable', message: 'network unreachable', retryable: true },
  ETIMEDOUT: TIMEOUT,
  UND_ERR_CONNECT_TIMEOUT: TIMEOUT,
  UND_ERR_HEADERS_TIMEOUT: TIMEOUT,
  UND_ERR_BODY_TIMEOUT: TIMEOUT,
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { code: 'http-bad-answer', message: 'the answer was cut short', retryable: true },
  ERR_SOCKET_BAD_PORT: { code: 'http-bad-url', message: 'bad port (give one from 1 to 65535)', retryable: false, hostWide: true },
  EPROTO: HANDSHAKE,
  ERR_SSL_WRONG_VERSION_NUMBER: HANDSHAKE,
};

const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function codeOf(error: unknown): string | undefined {
  const err = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  if (typeof err?.code === 'string') return err.code;
  if (typeof err?.cause?.code === 'string') return err.cause.code;
  return undefined;
}

/** What a failed connection or exchange means, and whether sending again can help. Unknown errors are retried. */
export function networkFailure(error: unknown, timedOut: boolean): NetworkFailure {
  if (timedOut) return TIMEOUT;
  const code = codeOf(error);
  if (code && BY_CODE[code]) return BY_CODE[code];
  if (code && CERTIFICATE_CODES.has(code))
    return { code: 'http-tls', message: `the TLS certificate is not valid (${code}): ${TLS_HINT}`, retryable: false, hostWide: true };
  const err = error as Error | undefined;
  if (err?.name === 'TimeoutError') return TIMEOUT;
  const detail = err?.message ?? String(error);
  // undici refuses what cannot be sent (a header value with a line break, say): sending it again cannot help.
  if (code === 'UND_ERR_INVALID_ARG') return { code: 'http-bad-url', message: `the request cannot be sent: ${detail}`, retryable: false };
  return { code: 'http-unreachable', message: code ? `${detail} (${code})` : detail, retryable: true };
}
