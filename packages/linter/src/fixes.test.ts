import { describe, expect, it } from '@jest/globals';
import { applyEdits, type ProposeEdits, runFixPasses, safeRelative } from './fixes.js';
import type { TextEdit } from './rule.js';

const edit = (file: string, offset: number, endOffset: number, text: string): TextEdit => ({ file, offset, endOffset, text });

/** A "linter" that proposes, for the current texts, what `rule` says about each file. */
function linterOf(
  files: Record<string, string>,
  rule: (file: string, text: string) => TextEdit[],
): { propose: ProposeEdits; read: (f: string) => Promise<string | undefined>; lints: () => number } {
  let lints = 0;
  return {
    propose: async (overrides) => {
      lints++;
      return Object.keys(files).flatMap((file) => rule(file, overrides.get(file) ?? files[file]!));
    },
    read: async (file) => files[file],
    lints: () => lints,
  };
}

describe('applyEdits', () => {
  it.each([
    ['one replacement', 'abc', [edit('f', 1, 2, 'X')], 'aXc', 0],
    ['an insertion and a deletion, applied from the end', 'abcdef', [edit('f', 0, 0, '>'), edit('f', 4, 6, '')], '>abcd', 0],
    ['an overlapping edit is left to the next pass', 'abcdef', [edit('f', 1, 4, 'X'), edit('f', 2, 3, 'Y')], 'aXef', 1],
    ['edits that touch at one offset both apply', 'abc', [edit('f', 0, 1, 'A'), edit('f', 1, 2, 'B')], 'ABc', 0],
  ])('%s', (_name, text, edits, expected, skipped) => {
    const result = applyEdits(new Map([['f', text]]), edits);
    expect(result.files.get('f')).toBe(expected);
    expect(result.skipped).toHaveLength(skipped);
  });
});

describe('safeRelative: where a fix may write', () => {
  it.each([
    ['compose.yml', true],
    ['overlays/compose.smtp.yml', true],
    ['', false],
    ['/etc/passwd', false],
    ['../outside.yml', false],
    ['a/../../outside.yml', false],
    ['C:\\Windows\\x', false],
  ])('%j → %s', (file, expected) => {
    expect(safeRelative(file)).toBe(expected);
  });
});

describe('runFixPasses: lint, fix, lint again', () => {
  it('makes no pass when nothing is fixable, and lints once', async () => {
    const linter = linterOf({ 'a.yml': 'ok\n' }, () => []);
    const result = await runFixPasses(linter.propose, linter.read);
    expect(result).toEqual({ changed: new Map(), originals: new Map(), passes: 0 });
    expect(linter.lints()).toBe(1);
  });

  it('fixes what one pass reveals in the next, and lints the final texts once more', async () => {
    // Each pass upper-cases the first lower-case letter: three letters need three passes.
    const linter = linterOf({ 'a.yml': 'abc' }, (file, text) => {
      const i = text.search(/[a-z]/);
      return i < 0 ? [] : [edit(file, i, i + 1, text[i]!.toUpperCase())];
    });
    const result = await runFixPasses(linter.propose, linter.read);
    expect(result.changed).toEqual(new Map([['a.yml', 'ABC']]));
    expect(result.originals).toEqual(new Map([['a.yml', 'abc']]));
    expect(result.passes).toBe(3);
    expect(linter.lints()).toBe(4);
  });

  it('stops after maxPasses with a fix that never converges, and still lints the last texts', async () => {
    const linter = linterOf({ 'a.yml': '' }, (file) => [edit(file, 0, 0, '#')]);
    const result = await runFixPasses(linter.propose, linter.read, 4);
    expect(result.changed.get('a.yml')).toBe('####');
    expect(result.passes).toBe(4);
    expect(linter.lints()).toBe(5);
  });

  it('stops when the edits change nothing (a fix that writes what is there)', async () => {
    const linter = linterOf({ 'a.yml': 'same' }, (file) => [edit(file, 0, 4, 'same')]);
    const result = await runFixPasses(linter.propose, linter.read);
    expect(result.passes).toBe(0);
    expect(result.changed.size).toBe(0);
  });

  it('never applies an edit aimed outside the target', async () => {
    const linter = linterOf({ 'a.yml': 'x', '../b.yml': 'y' }, (file) => (file === 'a.yml' ? [] : [edit(file, 0, 1, 'Z')]));
    const result = await runFixPasses(linter.propose, linter.read);
    expect(result.changed.size).toBe(0);
    expect(result.originals.size).toBe(0);
  });

  it('creates a file that did not exist, and leaves out a file fixed back to its original', async () => {
    let round = 0;
    const propose: ProposeEdits = async (overrides) => {
      round++;
      if (round === 1) return [edit('new.yml', 0, 0, 'created\n'), edit('a.yml', 0, 1, 'B')];
      if (round === 2 && overrides.get('a.yml') === 'B') return [edit('a.yml', 0, 1, 'A')];
      return [];
    };
    const result = await runFixPasses(propose, async (file) => (file === 'a.yml' ? 'A' : undefined));
    expect(result.changed).toEqual(new Map([['new.yml', 'created\n']]));
    expect(result.originals.get('new.yml')).toBeUndefined();
    expect(result.passes).toBe(2);
  });
});

describe('applyEdits keeps how a file is written', () => {
  it('keeps a byte order mark first: an insertion at the top goes after it', () => {
    const { files } = applyEdits(new Map([['compose.yml', '\ufeffservices: {}\n']]), [edit('compose.yml', 0, 0, 'version: "3.8"\n')]);
    expect(files.get('compose.yml')).toBe('\ufeffversion: "3.8"\nservices: {}\n');
  });

  it('writes CRLF into a CRLF file, and LF into an LF or mixed one', () => {
    const crlf = applyEdits(new Map([['compose.yml', 'a: 1\r\nb: 2\r\n']]), [edit('compose.yml', 6, 6, 'x:\n  - 1\n')]);
    expect(crlf.files.get('compose.yml')).toBe('a: 1\r\nx:\r\n  - 1\r\nb: 2\r\n');
    const mixed = applyEdits(new Map([['compose.yml', 'a: 1\r\nb: 2\n']]), [edit('compose.yml', 6, 6, 'x: 1\n')]);
    expect(mixed.files.get('compose.yml')).toBe('a: 1\r\nx: 1\nb: 2\n');
  });
});
