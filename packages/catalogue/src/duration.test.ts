import { describe, expect, it } from '@jest/globals';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads seconds and unit texts', () => {
    expect(parseDuration(30)).toBe(30_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(() => parseDuration('soon')).toThrow(/"soon" is not a duration/);
  });
});
