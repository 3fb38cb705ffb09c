import { MemorySource, type Recipe, readRecipe } from '@galley/recipe';
import { describe, expect, it } from '@jest/globals';
import { applyEdits } from '../fixes.js';
import type { Finding, Rule } from '../rule.js';
import { runRules } from '../runner.js';

/**
 * ESLint-style rule tests: tables of valid and invalid cases, each a small
 * recipe held in memory, with the exact position of every expected finding
 * and the files expected after `--fix`.
 */

export interface RuleTestCase {
  name: string;
  /** The recipe's files (path → content). */
  files?: Record<string, string>;
  /** Lint the only file as a lone compose file instead of a recipe. */
  composeFile?: boolean;
  /** Or a recipe loaded some other way (e.g. from a git repository built for the test). */
  recipe?: () => Promise<Recipe>;
  options?: Record<string, unknown>;
  online?: boolean;
}

export interface ExpectedFinding {
  messageId?: string;
  /** The exact message. */
  message?: string;
  file?: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  severity?: Finding['severity'];
}

export interface InvalidRuleTestCase extends RuleTestCase {
  errors: ExpectedFinding[];
  /** Files after applying every fix the rule offered (only the changed ones). */
  output?: Record<string, string>;
}

export async function loadTestRecipe(test: RuleTestCase): Promise<Recipe> {
  if (test.recipe) return test.recipe();
  const files = test.files ?? {};
  if (test.composeFile) {
    const [name, text] = Object.entries(files)[0] ?? ['compose.yml', ''];
    const recipe = await readRecipe(new MemorySource({ [name]: text }), name);
    return { ...recipe, kind: 'compose-file' };
  }
  return readRecipe(new MemorySource(files, 'test-recipe'), 'test-recipe');
}

/** Runs one rule on one case; every message id used must exist. */
export async function lintWithRule(rule: Rule, test: RuleTestCase): Promise<Finding[]> {
  const recipe = await loadTestRecipe(test);
  const { findings, crashes } = await runRules(recipe, [{ rule, severity: rule.meta.severity, options: test.options ?? {} }], {
    online: test.online ?? false,
  });
  if (crashes.length) throw new Error(`rule crashed: ${crashes.map((c) => c.message).join('; ')}`);
  return findings;
}

export function testRule(rule: Rule, cases: { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] }): void {
  describe(rule.meta.id, () => {
    describe('valid', () => {
      it.each(cases.valid.map((c) => [c.name, c] as const))('%s', async (_name, test) => {
        expect(await lintWithRule(rule, test)).toEqual([]);
      });
    });
    describe('invalid', () => {
      it.each(cases.invalid.map((c) => [c.name, c] as const))('%s', async (_name, test) => {
        const findings = await lintWithRule(rule, test);
        const actual = findings.map((f) => {
          const out: ExpectedFinding = { line: f.line, col: f.col, endLine: f.endLine, endCol: f.endCol };
          const expected = test.errors[findings.indexOf(f)];
          if (expected?.messageId !== undefined) out.messageId = f.messageId;
          if (expected?.message !== undefined) out.message = f.message;
          if (expected?.file !== undefined) out.file = f.file;
          if (expected?.severity !== undefined) out.severity = f.severity;
          return out;
        });
        expect(actual).toEqual(test.errors);
        for (const f of findings) expect(f.message).not.toMatch(/\{\{/);
        if (test.output) {
          const texts = new Map(Object.entries(test.files ?? {}));
          const edits = findings.flatMap((f) => f.fix?.edits ?? []);
          const { files } = applyEdits(texts, edits);
          const changed = Object.fromEntries([...files].filter(([file, text]) => texts.get(file) !== text));
          expect(changed).toEqual(test.output);
        } else {
          expect(findings.every((f) => !f.fix) || rule.meta.fixable).toBe(true);
        }
      });
    });
  });
}
