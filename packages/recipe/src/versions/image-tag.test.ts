import { describe, expect, it } from '@jest/globals';
import { classifyUpgrade, compareTags, findUpgrades, isCompatible, isFloatingTag, type ParsedTag, parseTag } from './image-tag.js';

function parsed(tag: string): ParsedTag {
  const result = parseTag(tag);
  if (!result.ok) throw new Error(`${tag}: ${result.reason}`);
  return result.tag;
}

describe('compareTags', () => {
  // [older, newer]: compareTags(older, newer) < 0 and the reverse > 0.
  const ordered: [string, string][] = [
    ['1.0.0', '1.0.1'],
    ['1.0.9', '1.0.10'],
    ['1.9.0', '1.10.0'],
    ['1.99.99', '2.0.0'],
    ['0.9', '0.10'],
    ['9', '10'],
    ['16', '17'],
    ['1.2', '1.2.1'],
    ['1.2.3', '1.2.3.1'],
    // calendar versions compare as versions, number by number
    ['2023.12.9', '2023.12.10'],
    ['2024.10.1', '2024.10.12'],
    ['v1.0.0', 'v1.0.1'],
    ['v2.9.9', 'v2.10.0'],
    ['1.0.0-rc1', '1.0.0'],
    ['1.0.0-rc1', '1.0.0-rc2'],
    ['1.0.0-rc2', '1.0.0-rc10'],
    ['1.0.0-alpha', '1.0.0-beta'],
    ['1.0.0-beta', '1.0.0-rc1'],
    ['1.0.0-alpha.1', '1.0.0-alpha.2'],
    ['3.8.0b2', '3.8.0'],
    ['3.8.0a1', '3.8.0b1'],
    ['3.8.0b2', '3.8.0rc1'],
    ['1.0.0-rc1', '1.0.1-rc1'],
    ['0.0.1', '0.1.0'],
    ['1.0.6-social-amd64', '1.0.7-social-amd64'],
    ['1.0.6-social-amd64', '1.1.0-social-amd64'],
    ['27.0.1-fpm', '27.0.2-fpm'],
    ['8.2-fpm-alpine', '8.3-fpm-alpine'],
    ['1.14.1-rootless', '1.14.2-rootless'],
    ['17-3.5', '18-3.5'],
    ['5.7.44', '8.0.36'],
    ['1.25.3-alpine', '1.25.4-alpine'],
    ['20191109', '20200101'],
    ['20231231', '20240101'],
    ['2023-12-31', '2024-01-01'],
    ['1234567', '1234568'],
    ['1.2.3', '1.2.4-rc1'],
    ['2.4.57', '2.4.58'],
    ['6.4.3-php8.1-apache', '6.4.4-php8.1-apache'],
    ['0.9.9', '1.0.0-rc1'],
    ['1.0.0-dev', '1.0.0'],
    ['11.0.0-m1', '11.0.0-m2'],
    ['1.0', '1.1'],
    ['1.0.0-beta.2', '1.0.0-beta.11'],
    ['2.0.0-rc1-alpine', '2.0.0-alpine'],
    ['1.2.3', 'latest'],
    ['v1', 'v2'],
    ['1.0.0', '01.0.1'],
    ['3.18.0', '3.18.10'],
    ['1.10.1', '1.10.11'],
    ['10.11.6-jammy', '11.0.2-jammy'],
    ['5.0.3', '5.0.3.1'],
    ['2.10', '10.2'],
    ['4.0.0-preview1', '4.0.0-preview2'],
    ['0.1.0-snapshot', '0.1.0'],
    ['1.2.3', '1.3'],
    ['15.5-bookworm', '15.6-bookworm'],
    ['1.20.1', '1.20.10-alpine3.19'],
    ['alpine', 'latest'],
    ['1.0.0-beta', '1.0.0-beta.1'],
    ['1.0.0-rc.1', '1.0.0-rc.2'],
    ['v0.35.0', 'v0.36.0'],
  ];

  it.each(ordered)('%s < %s', (older, newer) => {
    expect(compareTags(older, newer)).toBeLessThan(0);
    expect(compareTags(newer, older)).toBeGreaterThan(0);
  });

  it('has at least 60 ordered pairs', () => {
    expect(ordered.length).toBeGreaterThanOrEqual(60);
  });

  it.each([
    ['1.0.0', '1.0.0'],
    ['v1.2', 'v1.2'],
    ['1.0.0-rc1', '1.0.0-rc1'],
  ])('%s equals %s', (a, b) => {
    expect(compareTags(a, b)).toBe(0);
  });
});

describe('parseTag', () => {
  it.each([
    ['1.2.3', { format: 'semver', prefix: '', numbers: [1, 2, 3], suffix: '' }],
    ['v2.10.4', { format: 'semver', prefix: 'v', numbers: [2, 10, 4], suffix: '' }],
    ['3.8.0b2', { format: 'semver', numbers: [3, 8, 0], prerelease: 'b2', suffix: '' }],
    ['1.0.6-social-amd64', { numbers: [1, 0, 6], suffix: 'social-amd64' }],
    ['17-3.5', { numbers: [17], suffix: '3.5' }],
    ['1.0.0-rc1-alpine', { numbers: [1, 0, 0], prerelease: 'rc1', suffix: 'alpine' }],
    ['20191109', { format: 'date', numbers: [20191109], suffix: '' }],
    ['2024-01-15-alpine', { format: 'date', numbers: [20240115], suffix: 'alpine' }],
    ['2023.12.10', { format: 'semver', numbers: [2023, 12, 10], suffix: '' }],
    ['123456789', { format: 'build', numbers: [123456789] }],
    ['16', { format: 'semver', numbers: [16] }],
  ])('parses %s', (tag, expected) => {
    expect(parsed(tag)).toMatchObject(expected);
  });

  it('keeps no prerelease on releases', () => {
    expect(parsed('1.2.3-alpine').prerelease).toBeUndefined();
  });

  it.each([
    ['latest', '"latest" is a floating tag that moves without a version'],
    ['stable', '"stable" is a floating tag that moves without a version'],
    ['alpine', '"alpine" does not start with a version number'],
    ['bookworm-slim', '"bookworm-slim" does not start with a version number'],
    ['3f2a9c1', 'a commit hash has no order'],
    ['sha-4e1b2c3d', 'a commit hash has no order'],
    ['0123456789abcdef0123456789abcdef01234567', 'a commit hash has no order'],
    ['${APP_VERSION}', 'the tag is a variable, not a version'],
    ['', 'the tag is empty'],
    ['1.2.3.4.5', 'more than four numeric components'],
    ['1.0.0_1', '"1.0.0_1" is not a version the upgrade rules understand'],
  ])('refuses %j with a reason', (tag, reason) => {
    const result = parseTag(tag);
    expect(result).toEqual({ ok: false, raw: tag, reason });
  });
});

describe('isCompatible', () => {
  it.each([
    ['12.14', '12.15', true],
    ['12.14', '12.15.0', false],
    ['1.14.0-rootless', '1.14.3-rootless', true],
    ['1.14.0-rootless', '1.14.3', false],
    ['1.14.0', '1.14.3-rootless', false],
    ['v1.2.3', '1.2.4', false],
    ['1.2.3', 'v1.2.4', false],
    ['1.2.3', '1.3.0-rc1', false],
    ['1.2.3-rc1', '1.2.3-rc2', true],
    ['1.2.3-rc1', '1.2.3', true],
    ['20191109', '20200101', true],
    ['20191109', '2020.1.1', false],
    ['1.0.6-social-amd64', '1.1.0-social-amd64', true],
    ['1.0.6-social-amd64', '1.1.0-social-aarch64', false],
  ])('%s → %s: %s', (current, candidate, expected) => {
    expect(isCompatible(parsed(current), parsed(candidate))).toBe(expected);
  });
});

describe('classifyUpgrade', () => {
  it.each([
    ['1.2.3', '1.2.4', 'patch'],
    ['1.2.3', '1.3.0', 'minor'],
    ['1.2.3', '2.0.0', 'major'],
    ['1.2', '1.3', 'minor'],
    ['16', '17', 'major'],
    ['1.2.3.4', '1.2.3.5', 'patch'],
    ['1.2.3-rc1', '1.2.3', 'patch'],
    ['1.2.3', '1.2.3', undefined],
    ['1.2.4', '1.2.3', undefined],
  ])('%s → %s is %s', (current, candidate, kind) => {
    expect(classifyUpgrade(parsed(current), parsed(candidate))).toBe(kind);
  });
});

describe('findUpgrades', () => {
  const registry = [
    '1.24.0',
    '1.24.1',
    '1.24.2',
    '1.25.0',
    '1.25.3',
    '1.26.0-rc1',
    '2.0.0',
    '2.1.0',
    '1.24.2-alpine',
    '1.25.3-alpine',
    'latest',
    'stable',
    'mainline',
    '1.24',
    '3f2a9c1',
  ];

  it('offers the best patch, minor and major separately', () => {
    expect(findUpgrades('1.24.0', registry)).toEqual({
      current: '1.24.0',
      patch: '1.24.2',
      minor: '1.25.3',
      major: '2.1.0',
      unparseable: [
        { tag: '3f2a9c1', reason: 'a commit hash has no order' },
        { tag: 'latest', reason: '"latest" is a floating tag that moves without a version' },
        { tag: 'mainline', reason: '"mainline" is a floating tag that moves without a version' },
        { tag: 'stable', reason: '"stable" is a floating tag that moves without a version' },
      ],
    });
  });

  it('keeps the variant suffix', () => {
    const result = findUpgrades('1.24.2-alpine', registry);
    expect([result.patch, result.minor, result.major]).toEqual([undefined, '1.25.3-alpine', undefined]);
  });

  it('says why an unparseable current tag has no upgrades', () => {
    const result = findUpgrades('latest', registry);
    expect(result.currentUnparseable).toBe('"latest" is a floating tag that moves without a version');
    expect(result.patch ?? result.minor ?? result.major).toBeUndefined();
  });

  it('finds calendar-version upgrades (2024.10.1 → 2024.10.12)', () => {
    expect(findUpgrades('2024.10.1', ['2024.10.2', '2024.10.12', '2024.9.30', '2025.1.3'])).toMatchObject({ patch: '2024.10.12', major: '2025.1.3' });
  });

  it('offers prereleases only from a prerelease', () => {
    expect(findUpgrades('1.25.3', registry).minor).toBeUndefined();
    expect(findUpgrades('1.26.0-rc0', ['1.26.0-rc1', '1.26.0']).patch).toBe('1.26.0');
  });

  it.each([
    // current, tags upstream, compatible candidates, newer variant
    ['8.0-fpm-alpine3.13', ['8.0-fpm-alpine3.13', '8.0-fpm-alpine3.19', '8.0-fpm-bookworm', '8.0-apache'], {}, '8.0-fpm-alpine3.19'],
    ['16-3.4', ['16-3.4', '16-3.4-alpine', '17-3.5', '17-3.5-alpine', '15-3.3'], {}, '17-3.5'],
    ['17-3.5', ['17-3.5', '17-3.6', '18-3.5'], { major: '18-3.5' }, '17-3.6'],
    ['1.2.3-debian-12-r5', ['1.2.3-debian-12-r5', '1.2.3-debian-12-r7', '1.2.4-debian-12-r1'], {}, '1.2.4-debian-12-r1'],
    // the newest variant is a compatible candidate already: no separate variant
    ['1.0-alpine3.18', ['1.0-alpine3.18', '1.1-alpine3.18', '1.0-alpine3.17'], { minor: '1.1-alpine3.18' }, undefined],
    // older variant lines and suffixes of another shape are no news
    ['1.25.3-alpine', ['1.25.3-alpine', '1.25.3-alpine3.19', '1.25.3-perl'], {}, undefined],
    ['8.2-alpine3.19', ['8.2-alpine3.18', '8.2-rc1-alpine3.20'], {}, undefined],
  ] as const)('says when %s has a newer variant line', (current, tags, compatible, variant) => {
    const found = findUpgrades(current, tags);
    expect({ patch: found.patch, minor: found.minor, major: found.major }).toEqual({ patch: undefined, minor: undefined, major: undefined, ...compatible });
    expect(found.variant).toBe(variant);
  });
});

describe('isFloatingTag', () => {
  it.each([
    ['latest', true],
    ['LATEST', true],
    ['latest-alpine', true],
    ['stable_fpm', true],
    ['lts-slim', true],
    ['beta', true],
    ['release', true],
    ['release-1.2.3', false],
    ['beta-3', false],
    ['1.27.3-alpine', false],
    ['20240101', false],
  ])('%s → %s', (tag, floating) => {
    expect(isFloatingTag(tag)).toBe(floating);
  });
});
