import { describe, expect, it } from '@jest/globals';
import { allRules } from './index.js';

/** The abra lint checks (reference/linting.md): each must map to exactly one rule. */
const ABRA_RULES = ['R001', 'R002', 'R003', 'R004', 'R005', 'R006', 'R007', 'R008', 'R009', 'R010', 'R011', 'R012', 'R013', 'R014', 'R015'];
const ABRA_LEVELS: Record<string, 'warning' | 'error'> = {
  R001: 'warning',
  R002: 'warning',
  R003: 'warning',
  R004: 'warning',
  R005: 'warning',
  R006: 'warning',
  R007: 'warning',
  R008: 'error',
  R009: 'error',
  R010: 'error',
  R011: 'error',
  R012: 'error',
  R013: 'warning',
  R014: 'error',
  R015: 'warning',
};

describe('allRules', () => {
  it('is sorted by id, without duplicates', () => {
    const ids = allRules.map((r) => r.meta.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("maps every abra check to exactly one rule, at abra's level, in the coop-cloud preset", () => {
    for (const code of ABRA_RULES) {
      const rules = allRules.filter((r) => r.meta.abra === code);
      expect([code, rules.length]).toEqual([code, 1]);
      expect([code, rules[0]!.meta.severity]).toEqual([code, ABRA_LEVELS[code]]);
      expect([code, rules[0]!.meta.presets.includes('coop-cloud')]).toEqual([code, true]);
    }
  });

  it('has rules whose meta is complete and consistent', () => {
    for (const rule of allRules) {
      const { meta } = rule;
      expect(meta.id).toMatch(/^(compose|swarm|recipe|security|galley)\/[a-z0-9-]+$/);
      expect(meta.description.length).toBeGreaterThan(10);
      for (const part of [meta.docs.why, meta.docs.fix, meta.docs.wrong, meta.docs.right]) expect(part.trim().length).toBeGreaterThan(0);
      expect(meta.docs.wrong).not.toBe(meta.docs.right);
      expect(Object.keys(meta.messages).length).toBeGreaterThan(0);
      if (meta.defaultOptions) expect(meta.options).toBeDefined();
    }
  });

  it('has at least eight fixable rules', () => {
    expect(allRules.filter((r) => r.meta.fixable).length).toBeGreaterThanOrEqual(8);
  });
});
