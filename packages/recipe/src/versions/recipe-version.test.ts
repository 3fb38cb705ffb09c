import { describe, expect, it } from '@jest/globals';
import { compareRecipeVersions, latestRecipeVersion, nextRecipeVersion, parseRecipeVersion, sortRecipeVersions } from './recipe-version.js';

describe('parseRecipeVersion', () => {
  it('reads the current scheme', () => {
    expect(parseRecipeVersion('2.0.1+1.0.6-social-amd64')).toEqual({
      ok: true,
      version: { raw: '2.0.1+1.0.6-social-amd64', scheme: 'semver', recipe: '2.0.1', major: 2, minor: 0, patch: 1, upstream: '1.0.6-social-amd64' },
    });
  });

  it('reads a bare recipe semver', () => {
    expect(parseRecipeVersion('v1.0.3')).toMatchObject({ ok: true, version: { scheme: 'semver', recipe: '1.0.3' } });
  });

  it('reads the 2021 scheme', () => {
    expect(parseRecipeVersion('1.14.1-rootless_1')).toEqual({
      ok: true,
      version: { raw: '1.14.1-rootless_1', scheme: 'legacy', upstream: '1.14.1-rootless', n: 1 },
    });
  });

  it('explains what it cannot read', () => {
    const result = parseRecipeVersion('release-candidate');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('<recipe semver>+<image tag>');
  });
});

describe('ordering', () => {
  it.each([
    ['1.0.0+1.0.5-social-amd64', '2.0.0+1.0.5-social-amd64'],
    ['2.0.0+1.0.5-social-amd64', '2.0.1+1.0.6-social-amd64'],
    ['1.9.0+5.0', '1.10.0+5.0'],
    ['1.0.0+5.0.3-fpm', '1.0.0+5.0.4-fpm'],
    ['1.14.1-rootless_1', '1.14.1-rootless_2'],
    ['1.14.1-rootless_9', '1.14.2-rootless_1'],
    ['1.14.2-rootless_1', '0.1.0+1.14.2-rootless'],
    ['not-a-version', '0.0.1+1'],
  ])('%s < %s', (older, newer) => {
    expect(compareRecipeVersions(older, newer)).toBeLessThan(0);
    expect(compareRecipeVersions(newer, older)).toBeGreaterThan(0);
  });

  it('sorts oldest first and drops tags that are no release', () => {
    expect(sortRecipeVersions(['2.0.0+1.2', 'v1', '1.0.0+1.1', '5.3_2', '10.0.0+2.0', 'nightly'])).toEqual(['5.3_2', '1.0.0+1.1', '2.0.0+1.2', '10.0.0+2.0']);
    expect(latestRecipeVersion(['2.0.0+1.2', '10.0.0+2.0', '9.9.9+9'])).toBe('10.0.0+2.0');
  });
});

describe('nextRecipeVersion', () => {
  it.each([
    ['1.2.3+1.26.0', 'patch', '1.26.1', '1.2.4+1.26.1'],
    ['1.2.3+1.26.0', 'minor', '1.27.0', '1.3.0+1.27.0'],
    ['1.2.3+1.26.0', 'major', '2.0.0-alpine', '2.0.0+2.0.0-alpine'],
    ['v0.9.9', 'minor', undefined, '0.10.0'],
    [undefined, 'minor', '1.0', '0.1.0+1.0'],
    [undefined, 'major', '1.0', '1.0.0+1.0'],
    ['1.14.1-rootless_1', 'patch', '1.14.2-rootless', '0.0.1+1.14.2-rootless'],
  ] as const)('after %s, a %s release of %s is %s', (previous, bump, upstream, expected) => {
    expect(nextRecipeVersion(previous, bump, upstream)).toBe(expected);
  });
});
