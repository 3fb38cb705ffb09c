/**
 * Text from the input (file names, values, crash messages) printed to a
 * terminal or a CI log must not act: no ANSI escape that recolours or
 * erases, no CR that overwrites a line, no newline that starts a fake one,
 * no GitHub workflow command. These make such text visible instead.
 */

/** C0 controls but tab, DEL, C1 controls, line/paragraph separators, bidi overrides and isolates, BOM. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** As CONTROL, without the BOM (zero-width, harmless in a code frame, and common at the start of a file). */
const CODE_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_KEEPING_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** GitHub's runner also obeys the legacy `##[command]` anywhere in a line; U+2060 (word joiner, invisible) breaks it. */
const LEGACY_COMMAND = /##\[/g;
const WORD_JOINER = '\u2060';

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * One line of text safe to print: control characters (also newlines and
 * CR) as `\u001b`-style escapes, GitHub's `##[` commands broken.
 */
export function visible(text: string): string {
  return text.replace(CONTROL, escapeChar).replace(LEGACY_COMMAND, `##${WORD_JOINER}[`);
}

/**
 * Text of several lines safe to print: as `visible`, but newlines stay
 * (CR does not), and no line can start a workflow command (`::` at the
 * start of a line, after spaces, gets a word joiner between the colons).
 */
export function visibleLines(text: string): string {
  return text
    .replace(/\r(?!\n)/g, '\\u000d')
    .replace(/\r\n/g, '\n')
    .replace(CONTROL_KEEPING_NEWLINES, escapeChar)
    .replace(LEGACY_COMMAND, `##${WORD_JOINER}[`)
    .replace(/^([ \t]*):(?=:)/gm, `$1:${WORD_JOINER}`);
}

/**
 * Lines safe to print, one per item, each after `indent` (the items of a
 * list under a header line, or with `indent` '' the lines of a report):
 * as `visible`, so an item's own newlines, CR and escapes show as `\u000a`
 * and cannot start a line of their own, and no item can start a workflow
 * command (`::` at its start gets a word joiner between the colons).
 */
export function indentedList(items: readonly string[], indent = '  '): string {
  return items.map((item) => `${indent}${visible(item).replace(/^([ \t]*):(?=:)/, `$1:${WORD_JOINER}`)}`).join('\n');
}

/**
 * A line of source code safe to print in a code frame, column for column:
 * each control character becomes one visible character (U+2400's control
 * pictures: ␛ for ESC, ␍ for CR, ␀ for NUL; � for the rest), so a caret
 * under the line still points at the right column.
 */
export function visibleCode(line: string): string {
  return line
    .replace(CODE_CONTROL, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd';
    })
    .replace(LEGACY_COMMAND, `##${WORD_JOINER}[`);
}
