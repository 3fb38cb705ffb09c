import { MemorySource, parseEnvFile, type Recipe, readRecipe } from '@galley/recipe';
import { describe, expect, it } from '@jest/globals';
import { applyEdits } from '../fixes.js';
import type { Finding, Fix, LintSettings, Rule } from '../rule.js';
import { runRules } from '../runner.js';

/**
 * ESLint-style rule tests: tables of valid and invalid cases, each a small
 * recipe held in memory (or built by a function, e.g. a git repository), with
 * the exact position of every expected finding, the files expected after
 * `--fix`, and each suggestion's result. As strict as ESLint's RuleTester:
 *
 * - a case whose findings carry a fix must say what the fix produces
 *   (`output`), or `output: null` when it expects no fix;
 * - a finding with suggestions must have them listed (`suggestions`), each
 *   with the files it produces; `suggestions: []` asserts there are none;
 * - an invalid case must expect at least one finding, each naming its
 *   `messageId` or `message`, and message ids must exist in the rule;
 * - two cases with the same input are refused (one of them tests nothing).
 */

export interface RuleTestCase {
  name: string;
  /** The recipe's files (path → content). */
  files?: Record<string, string>;
  /** Lint the first file as a lone compose file instead of a recipe (a `.env` among the files is read beside it). */
  composeFile?: boolean;
  /** Or a recipe loaded some other way (e.g. from a git repository built for the test). */
  recipe?: () => Promise<Recipe>;
  options?: Record<string, unknown>;
  online?: boolean;
  /** Run settings (default: Docker 24.0, not a swarm). */
  settings?: Partial<LintSettings>;
}

export interface ExpectedSuggestion {
  /** The suggestion's description, when the test pins it. */
  desc?: string;
  /** The changed files after applying only this suggestion. */
  output: Record<string, string>;
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
  /** Every suggestion of the finding, in order (`[]`: none). Required when it has any. */
  suggestions?: ExpectedSuggestion[];
}

export interface InvalidRuleTestCase extends RuleTestCase {
  errors: ExpectedFinding[];
  /**
   * The changed files after applying every fix the rule offered (in one
   * pass, as `--fix` does before linting again); `null`: no fix expected.
   * Required when some finding has a fix.
   */
  output?: Record<string, string> | null;
}

export async function loadTestRecipe(test: RuleTestCase): Promise<Recipe> {
  if (test.recipe) return test.recipe();
  const files = test.files ?? {};
  if (test.composeFile) {
    const [name, text] = Object.entries(files)[0] ?? ['compose.yml', ''];
    const recipe: Recipe = { ...(await readRecipe(new MemorySource({ [name]: text }), name)), kind: 'compose-file' };
    if (files['.env'] !== undefined) recipe.dotEnv = parseEnvFile(files['.env'], '.env');
    return recipe;
  }
  return readRecipe(new MemorySource(files, 'test-recipe'), 'test-recipe');
}

/** Runs one rule on one case; a crash fails. */
export async function lintWithRule(rule: Rule, test: RuleTestCase): Promise<Finding[]> {
  return (await lintCase(rule, test)).findings;
}

async function lintCase(rule: Rule, test: RuleTestCase): Promise<{ findings: Finding[]; recipe: Recipe }> {
  const recipe = await loadTestRecipe(test);
  const { findings, crashes } = await runRules(recipe, [{ rule, severity: rule.meta.severity, options: test.options ?? {} }], {
    online: test.online ?? false,
    ...(test.settings ? { settings: test.settings } : {}),
  });
  if (crashes.length) throw new Error(`rule crashed: ${crashes.map((c) => c.message).join('; ')}`);
  return { findings, recipe };
}

/** The changed files after applying edits to the recipe's files (the case's, or read from its source). */
export async function applyToRecipe(recipe: Recipe, edits: Fix['edits']): Promise<Record<string, string>> {
  const texts = new Map<string, string>();
  for (const edit of edits) {
    if (!texts.has(edit.file)) texts.set(edit.file, (await recipe.source.read(edit.file)) ?? '');
  }
  const { files } = applyEdits(texts, edits);
  return Object.fromEntries([...files].filter(([file, text]) => texts.get(file) !== text));
}

/** What makes two cases the same test (functions cannot be compared: such cases are never duplicates). */
function caseKey(test: RuleTestCase): string | undefined {
  if (test.recipe) return undefined;
  return JSON.stringify([test.files ?? {}, test.composeFile ?? false, test.options ?? {}, test.online ?? false, test.settings ?? {}]);
}

/** Problems with the test table itself, found before any case runs. */
export function tableProblems(rule: Rule, cases: { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] }): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const names = new Set<string>();
  for (const [kind, list] of [
    ['valid', cases.valid],
    ['invalid', cases.invalid],
  ] as const) {
    for (const test of list) {
      const label = `${kind} case "${test.name}"`;
      if (names.has(`${kind}\0${test.name}`)) problems.push(`${label}: another ${kind} case has the same name`);
      names.add(`${kind}\0${test.name}`);
      const key = caseKey(test);
      if (key !== undefined) {
        const other = seen.get(key);
        if (other) problems.push(`${label}: same input as ${other}`);
        else seen.set(key, label);
      }
      if (kind === 'valid' && ('errors' in test || 'output' in test)) problems.push(`${label}: a valid case has no errors or output`);
      if (kind !== 'invalid') continue;
      const invalid = test as InvalidRuleTestCase;
      if (!invalid.errors.length) problems.push(`${label}: an invalid case must expect at least one finding (else make it valid)`);
      if (invalid.output !== undefined && invalid.output !== null && Object.keys(invalid.output).length === 0) {
        problems.push(`${label}: output {} changes nothing; write output: null to assert there is no fix`);
      }
      invalid.errors.forEach((error, i) => {
        if (error.messageId === undefined && error.message === undefined) problems.push(`${label}: error ${i} names neither messageId nor message`);
        if (error.messageId !== undefined && !(error.messageId in rule.meta.messages)) {
          problems.push(`${label}: error ${i} expects messageId "${error.messageId}", which ${rule.meta.id} does not have`);
        }
        for (const [j, s] of (error.suggestions ?? []).entries()) {
          if (Object.keys(s.output).length === 0) problems.push(`${label}: error ${i} suggestion ${j} changes nothing`);
        }
      });
    }
  }
  return problems;
}

/** Compares findings with a case's expectations, as ESLint's RuleTester does; throws on the first difference. */
export async function assertInvalid(rule: Rule, test: InvalidRuleTestCase): Promise<void> {
  const { findings, recipe } = await lintCase(rule, test);
  const actual = findings.map((f, i) => {
    const expected = test.errors[i];
    const out: ExpectedFinding = { line: f.line, col: f.col, endLine: f.endLine, endCol: f.endCol };
    if (expected?.messageId !== undefined) out.messageId = f.messageId;
    if (expected?.message !== undefined) out.message = f.message;
    if (expected?.file !== undefined) out.file = f.file;
    if (expected?.severity !== undefined) out.severity = f.severity;
    return out;
  });
  const expectedShapes = test.errors.map(({ suggestions: _suggestions, ...rest }) => rest);
  expect(actual).toEqual(expectedShapes);
  for (const f of findings) expect(f.message).not.toMatch(/\{\{/);

  const fixed = findings.filter((f) => f.fix);
  if (fixed.length && !rule.meta.fixable) throw new Error(`${rule.meta.id} reported a fix but its meta says fixable: false`);
  if (fixed.length && test.output === undefined) {
    throw new Error(`the rule fixed something: add \`output\` to the case (the changed files after --fix), or make the rule not fix here`);
  }
  if (test.output === null && fixed.length) throw new Error(`output: null, but the rule offered ${fixed.length} fix(es)`);
  if (test.output) {
    if (!fixed.length) throw new Error('the case expects an output but the rule offered no fix');
    expect(
      await applyToRecipe(
        recipe,
        fixed.flatMap((f) => f.fix!.edits),
      ),
    ).toEqual(test.output);
  }

  for (const [i, f] of findings.entries()) {
    const expected = test.errors[i]!.suggestions;
    const offered = f.suggestions ?? [];
    if (offered.length && !rule.meta.hasSuggestions) throw new Error(`${rule.meta.id} offered suggestions but its meta lacks hasSuggestions: true`);
    if (expected === undefined) {
      if (offered.length) throw new Error(`error ${i} has ${offered.length} suggestion(s): list them in \`suggestions\` of the expected error`);
      continue;
    }
    expect(offered.length).toBe(expected.length);
    for (const [j, suggestion] of offered.entries()) {
      const want = expected[j]!;
      if (want.desc !== undefined) expect(suggestion.description).toBe(want.desc);
      expect(await applyToRecipe(recipe, suggestion.edits)).toEqual(want.output);
    }
  }
}

export function testRule(rule: Rule, cases: { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] }): void {
  describe(rule.meta.id, () => {
    it('has a sound test table', () => {
      expect(tableProblems(rule, cases)).toEqual([]);
    });
    if (cases.valid.length) {
      describe('valid', () => {
        it.each(cases.valid.map((c) => [c.name, c] as const))('%s', async (_name, test) => {
          expect(await lintWithRule(rule, test)).toEqual([]);
        });
      });
    }
    if (cases.invalid.length) {
      describe('invalid', () => {
        it.each(cases.invalid.map((c) => [c.name, c] as const))('%s', async (_name, test) => {
          await assertInvalid(rule, test);
        });
      });
    }
  });
}
