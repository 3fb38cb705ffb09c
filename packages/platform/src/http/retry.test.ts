import { describe, expect, it } from '@jest/globals';
import { nextLink } from './link.js';
import { rateLimited, retryDelay } from './retry.js';

const settings = { backoffBaseMs: 100, backoffMaxMs: 5000 };
const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('nextLink', () => {
  const base = 'https://registry.example/v2/library/postgres/tags/list';
  it('resolves relative, absolute and opaque next links against the request URL', () => {
    expect(nextLink('</v2/library/postgres/tags/list?n=50&last=12.1>; rel="next"', base)?.href).toBe(
      'https://registry.example/v2/library/postgres/tags/list?n=50&last=12.1',
    );
    expect(nextLink('<https://other.example/v2/x/tags/list?last=a>; rel=next', base)?.href).toBe('https://other.example/v2/x/tags/list?last=a');
    expect(nextLink('</v2/x/tags/list?next_page=gAAAAABl>; rel="next"', base)?.searchParams.get('next_page')).toBe('gAAAAABl');
  });
  it('finds next among GitHub-style lists and ignores other relations', () => {
    const link =
      '<https://api.github.com/orgs/x/repos?page=1>; rel="prev", <https://api.github.com/orgs/x/repos?page=3>; rel="next", <https://api.github.com/orgs/x/repos?page=9>; rel="last"';
    expect(nextLink(link, base)?.searchParams.get('page')).toBe('3');
    expect(nextLink('<https://api.github.com/orgs/x/repos?page=9>; rel="last"', base)).toBeUndefined();
    expect(nextLink(null, base)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('honours Retry-After (seconds and HTTP date), capped at the maximum', () => {
    expect(retryDelay(headers({ 'retry-after': '2' }), 0, settings)).toBe(2000);
    expect(retryDelay(headers({ 'retry-after': '600' }), 0, settings)).toBe(5000);
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(retryDelay(headers({ 'retry-after': 'Mon, 01 Jan 2024 00:00:03 GMT' }), 0, settings, now)).toBe(3000);
  });
  it('then X-Ratelimit-Reset (epoch seconds or seconds from now)', () => {
    const now = 1_700_000_000_000;
    expect(retryDelay(headers({ 'x-ratelimit-reset': String(now / 1000 + 4) }), 0, settings, now)).toBe(4000);
    expect(retryDelay(headers({ 'ratelimit-reset': '1' }), 0, settings, now)).toBe(1000);
  });
  it('else backs off exponentially with jitter', () => {
    for (const attempt of [0, 1, 2, 3]) {
      const delay = retryDelay(undefined, attempt, settings);
      const full = Math.min(5000, 100 * 2 ** attempt);
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }
  });
});

describe('rateLimited', () => {
  it('is a 429, or a 403 with the rate-limit headers GitHub sends', () => {
    expect(rateLimited(429, headers({}))).toBe(true);
    expect(rateLimited(403, headers({ 'x-ratelimit-remaining': '0' }))).toBe(true);
    expect(rateLimited(403, headers({ 'retry-after': '60' }))).toBe(true);
    expect(rateLimited(403, headers({ 'x-ratelimit-remaining': '4999' }))).toBe(false);
    expect(rateLimited(401, headers({ 'retry-after': '60' }))).toBe(false);
  });
});
