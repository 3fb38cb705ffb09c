import type { HttpClient, HttpError, TextAnswer } from '@galley/platform/http';

type Online = { http: HttpClient; HttpError: typeof HttpError };
let client: Promise<Online> | undefined;

/**
 * The HTTP client of the `--online` rules, one per process: the recipes
 * linted in one run share its connections, its per-host limits and (with
 * `once`) its answers. One retry: a linter should not keep a CI job waiting.
 * Loaded on first use, so `galley lint` without `--online` does not load it.
 */
function onlineHttp(): Promise<Online> {
  client ??= import('@galley/platform/http').then(({ HttpClient, HttpError }) => ({
    http: new HttpClient({
      concurrency: 4,
      timeoutMs: 20_000,
      retries: 1,
      backoffBaseMs: 250,
      backoffMaxMs: 5_000,
      userAgent: 'galley-lint (+https://coopcloud.tech)',
    }),
    HttpError,
  }));
  return client;
}

/** GETs (or HEADs) a URL; when it cannot be asked, why not (the HTTP client's message). */
export async function askOnline(
  url: string,
  options: { kind: string; method?: 'GET' | 'HEAD'; timeoutSeconds?: number; once?: boolean },
): Promise<TextAnswer | { reason: string }> {
  const { timeoutSeconds, ...rest } = options;
  const { http, HttpError } = await onlineHttp();
  try {
    return await http.text(url, {
      ...rest,
      headers: { accept: 'application/json, text/html;q=0.9, */*;q=0.1' },
      ...(timeoutSeconds === undefined ? {} : { timeoutMs: timeoutSeconds * 1000 }),
    });
  } catch (error) {
    if (error instanceof HttpError) return { reason: error.message };
    throw error;
  }
}
