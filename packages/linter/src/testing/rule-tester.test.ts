import { MemorySource, readRecipe } from '@galley/recipe';
import { describe, expect, it } from '@jest/globals';
import type { Rule } from '../rule.js';
import { assertInvalid, type InvalidRuleTestCase, tableProblems } from './rule-tester.js';

/** A rule reporting every `TODO` in compose.yml, twice (the runner keeps one), with a fix and a suggestion. */
const rule: Rule = {
  meta: {
    id: 'test/todo',
    severity: 'warning',
    category: 'best-practice',
    description: 'No TODO.',
    docs: { why: 'w', fix: 'f', wrong: 'TODO', right: 'DONE' },
    messages: { todo: 'a TODO at offset {{offset}}' },
    fixable: true,
    hasSuggestions: true,
    presets: [],
  },
  check(context) {
    const parsed = context.recipe.composeFiles.get('compose.yml');
    if (!parsed) return;
    for (const m of parsed.text.matchAll(/TODO/g)) {
      const span = parsed.lines.span('compose.yml', m.index, m.index + 4);
      const edit = (text: string) => [{ file: 'compose.yml', offset: m.index, endOffset: m.index + 4, text }];
      for (let i = 0; i < 2; i++) {
        context.report({
          messageId: 'todo',
          span,
          data: { offset: m.index },
          ...(parsed.text.includes('nofix') ? {} : { fix: { description: 'done', edits: edit('DONE') } }),
          suggestions: [{ description: 'drop it', edits: edit('') }],
        });
      }
    }
  },
};

const files = { 'compose.yml': '# TODO\n' };
const error = { messageId: 'todo', line: 1, col: 3, endLine: 1, endCol: 7 };
const suggestions = [{ desc: 'drop it', output: { 'compose.yml': '# \n' } }];

describe('assertInvalid', () => {
  it('passes a complete case: one finding for two identical reports, the fix output and the suggestion output', async () => {
    await expect(assertInvalid(rule, { name: 'ok', files, errors: [{ ...error, suggestions }], output: { 'compose.yml': '# DONE\n' } })).resolves.toBe(
      undefined,
    );
  });

  it.each<[string, InvalidRuleTestCase, RegExp]>([
    ['a fix without output', { name: 'x', files, errors: [{ ...error, suggestions }] }, /add `output`/],
    ['output: null while the rule fixes', { name: 'x', files, errors: [{ ...error, suggestions }], output: null }, /output: null/],
    ['a wrong output', { name: 'x', files, errors: [{ ...error, suggestions }], output: { 'compose.yml': '# TODO\n' } }, /toEqual/],
    ['suggestions not listed', { name: 'x', files, errors: [error], output: { 'compose.yml': '# DONE\n' } }, /list them in `suggestions`/],
    [
      'a wrong suggestion output',
      { name: 'x', files, errors: [{ ...error, suggestions: [{ output: { 'compose.yml': '' } }] }], output: { 'compose.yml': '# DONE\n' } },
      /toEqual/,
    ],
    [
      'an output where the rule does not fix',
      {
        name: 'x',
        files: { 'compose.yml': '# TODO nofix\n' },
        errors: [{ ...error, suggestions: [{ output: { 'compose.yml': '#  nofix\n' } }] }],
        output: { a: 'b' },
      },
      /offered no fix/,
    ],
    ['a second expected finding', { name: 'x', files, errors: [error, error], output: { 'compose.yml': '# DONE\n' } }, /toEqual/],
  ])('fails %s', async (_name, test, message) => {
    await expect(assertInvalid(rule, test)).rejects.toThrow(message);
  });

  it('checks fixes of cases whose recipe is built by a function (git-backed cases)', async () => {
    const recipe = () => readRecipe(new MemorySource(files, 'built'), 'built');
    await expect(assertInvalid(rule, { name: 'fn', recipe, errors: [{ ...error, suggestions }], output: { 'compose.yml': '# DONE\n' } })).resolves.toBe(
      undefined,
    );
    await expect(assertInvalid(rule, { name: 'fn', recipe, errors: [{ ...error, suggestions }], output: { 'compose.yml': 'wrong' } })).rejects.toThrow();
  });
});

describe('tableProblems', () => {
  it('refuses invalid cases without errors, unnamed errors, unknown message ids, empty outputs and duplicates', () => {
    expect(
      tableProblems(rule, {
        valid: [
          { name: 'a', files },
          { name: 'b', files },
        ],
        invalid: [
          { name: 'none', files: { 'compose.yml': 'x' }, errors: [] },
          { name: 'unnamed', files: { 'compose.yml': 'y' }, errors: [{ line: 1, col: 1, endLine: 1, endCol: 1 }] },
          { name: 'unknown', files: { 'compose.yml': 'z' }, errors: [{ ...error, messageId: 'nope' }], output: {} },
          { name: 'unknown', files, errors: [error] },
        ],
      }),
    ).toEqual([
      'valid case "b": same input as valid case "a"',
      'invalid case "none": an invalid case must expect at least one finding (else make it valid)',
      'invalid case "unnamed": error 0 names neither messageId nor message',
      'invalid case "unknown": output {} changes nothing; write output: null to assert there is no fix',
      'invalid case "unknown": error 0 expects messageId "nope", which test/todo does not have',
      'invalid case "unknown": another invalid case has the same name',
      'invalid case "unknown": same input as valid case "a"',
    ]);
  });
});
