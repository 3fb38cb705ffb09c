/** Small HTTP helpers for the `--online` rules: bounded in time, never throwing. */

export type HttpResult = { ok: true; status: number; body: string } | { ok: false; reason: string };

const USER_AGENT = 'galley-lint (+https://coopcloud.tech)';

/** GETs (or HEADs) a URL; network failures and timeouts come back as a reason. */
export async function httpRequest(url: string, options: { method?: 'GET' | 'HEAD'; timeoutSeconds?: number } = {}): Promise<HttpResult> {
  try {
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: { 'user-agent': USER_AGENT, accept: 'application/json, text/html;q=0.9, */*;q=0.1' },
      redirect: 'follow',
      signal: AbortSignal.timeout((options.timeoutSeconds ?? 20) * 1000),
    });
    const body = options.method === 'HEAD' ? '' : await response.text();
    return { ok: true, status: response.status, body };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const reason =
      error instanceof Error && error.name === 'TimeoutError' ? 'no answer in time' : `${error instanceof Error ? error.message : String(error)}${cause}`;
    return { ok: false, reason };
  }
}

const cache = new Map<string, Promise<HttpResult>>();

/** Like `httpRequest` (GET), once per URL per process: many recipes linted in one run share the answer. */
export function cachedGet(url: string, timeoutSeconds?: number): Promise<HttpResult> {
  let pending = cache.get(url);
  if (!pending) {
    pending = httpRequest(url, timeoutSeconds === undefined ? {} : { timeoutSeconds });
    cache.set(url, pending);
  }
  return pending;
}
