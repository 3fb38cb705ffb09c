import { describe, expect, it } from '@jest/globals';
import { indentedList, visible, visibleCode, visibleLines } from './printable.js';

describe('visible', () => {
  it('shows controls, newlines, CR, NUL, C1, bidi overrides and line separators as escapes; keeps tabs and other text', () => {
    expect(visible('a\u001b[2Jb\r\n\u0000\u009b\u202e\u2028\tü✔')).toBe('a\\u001b[2Jb\\u000d\\u000a\\u0000\\u009b\\u202e\\u2028\tü✔');
  });

  it("breaks GitHub's legacy ##[command] with an invisible word joiner", () => {
    expect(visible('x ##[error]y')).toBe('x ##\u2060[error]y');
  });
});

describe('visibleLines', () => {
  it('keeps newlines, escapes the rest, and no line can start a workflow command', () => {
    expect(visibleLines('one\r\ntwo\rthree\n  ::error::x\n::warning::y\n\u001b')).toBe('one\ntwo\\u000dthree\n  :\u2060:error::x\n:\u2060:warning::y\n\\u001b');
  });
});

describe('indentedList', () => {
  it('puts each item on one indented line: its newlines, CR and escapes shown, no item starts a workflow command', () => {
    const shown = indentedList(['web', 'app\ngalley: deployed ok', 'a\rb\u001b[2J', '::error::x', ' ::warning::y']);
    expect(shown).toBe(['  web', '  app\\u000agalley: deployed ok', '  a\\u000db\\u001b[2J', '  :\u2060:error::x', '   :\u2060:warning::y'].join('\n'));
    expect(shown.split('\n')).toHaveLength(5);
    expect(shown.split('\n').some((l) => /^\s*(galley:|::)/.test(l))).toBe(false);
  });

  it('takes another indent, or none for the lines of a report; no items, no lines', () => {
    expect(indentedList(['a', 'b\nc'], '')).toBe('a\nb\\u000ac');
    expect(indentedList(['x'], '    - ')).toBe('    - x');
    expect(indentedList([])).toBe('');
  });
});

describe('visibleCode', () => {
  it('replaces each control with one visible character, so columns stay', () => {
    const line = 'image: "a\u001b[2J\r\u0000\u007f\u202eb"';
    const shown = visibleCode(line);
    expect(shown).toBe('image: "a\u241b[2J\u240d\u2400\u2421\ufffdb"');
    expect(shown.length).toBe(line.length);
  });
});
