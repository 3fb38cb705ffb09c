import type { TextEdit } from '@galley/linter';
import type { YMap, YNode, YPair } from '@galley/recipe';

/**
 * Minimal text edits for fixes: they touch only the lines that change, so
 * comments and formatting elsewhere survive. Every helper returns undefined
 * when the text is not laid out the way it can safely edit (flow style,
 * keys sharing a line, content merged in from an anchor).
 */

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

/** The indentation (spaces) of the line holding `offset`, when only spaces precede it. */
export function indentAt(text: string, offset: number): string | undefined {
  const start = lineStartOf(text, offset);
  const before = text.slice(start, offset);
  return /^ *$/.test(before) ? before : undefined;
}

/** Whether the rest of the line after `offset` is blank or a comment. */
function restIsBlankOrComment(text: string, offset: number): boolean {
  const rest = text.slice(offset, lineEndOf(text, offset));
  return /^\s*(#.*)?$/.test(rest);
}

/** The offset just after the last character of a pair (key, or value when longer). */
function pairEnd(pair: YPair): number {
  return Math.max(pair.key.span.endOffset, pair.value.span.endOffset);
}

/**
 * Removes a block-mapping pair: from the start of the key's line to the end
 * of its value's last line. Comments on other lines stay. Refuses pairs that
 * came from a merge key, keys that do not start their line, or pairs that
 * are the only one of their mapping (removing it would leave `null`).
 */
export function removePair(text: string, pair: YPair, parent?: YMap): TextEdit | undefined {
  if (pair.mergedAt) return undefined;
  const file = pair.key.span.file;
  const keyOffset = pair.key.span.offset;
  if (indentAt(text, keyOffset) === undefined) return undefined;
  if (parent && parent.pairs.filter((p) => p.key.span.file === file && !p.mergedAt).length <= 1) return undefined;
  let end = pairEnd(pair);
  if (text[end - 1] !== '\n') {
    if (!restIsBlankOrComment(text, end)) return undefined;
    end = lineEndOf(text, end);
    if (text[end] === '\n') end++;
  }
  const start = lineStartOf(text, keyOffset);
  return { file, offset: start, endOffset: end, text: '' };
}

/** Removes a block-sequence item (`- value` on lines of its own). */
export function removeSeqItem(text: string, item: YNode): TextEdit | undefined {
  const file = item.span.file;
  const start = lineStartOf(text, item.span.offset);
  if (!/^ *- *$/.test(text.slice(start, item.span.offset))) return undefined;
  let end = item.span.endOffset;
  if (text[end - 1] !== '\n') {
    if (!restIsBlankOrComment(text, end)) return undefined;
    end = lineEndOf(text, end);
    if (text[end] === '\n') end++;
  }
  return { file, offset: start, endOffset: end, text: '' };
}

/** Replaces a node's text. */
export function replaceNode(node: YNode, text: string): TextEdit {
  return { file: node.span.file, offset: node.span.offset, endOffset: node.span.endOffset, text };
}

/** Wraps a plain scalar's text in double quotes. */
export function quoteScalar(text: string, node: YNode): TextEdit | undefined {
  const source = text.slice(node.span.offset, node.span.endOffset);
  if (!source || /["\\\n]/.test(source)) return undefined;
  return replaceNode(node, `"${source}"`);
}

/**
 * Appends a line at the end of a file, adding the missing final newline of
 * the file first when needed. `after`: insert after the line holding that
 * offset instead.
 */
export function appendLine(file: string, text: string, line: string, after?: number): TextEdit {
  if (after !== undefined) {
    const end = lineEndOf(text, after);
    if (end >= text.length) return { file, offset: text.length, endOffset: text.length, text: `${text.endsWith('\n') || text === '' ? '' : '\n'}${line}\n` };
    return { file, offset: end + 1, endOffset: end + 1, text: `${line}\n` };
  }
  const prefix = text === '' || text.endsWith('\n') ? '' : '\n';
  return { file, offset: text.length, endOffset: text.length, text: `${prefix}${line}\n` };
}

/** The text of a node as written in its file. */
export function sourceOf(text: string, node: YNode): string {
  return text.slice(node.span.offset, node.span.endOffset);
}

/** The indentation used for the children of a block mapping (undefined for flow or empty maps). */
export function childIndent(text: string, map: YMap): string | undefined {
  const first = map.pairs.find((p) => !p.mergedAt && p.key.span.file === map.span.file);
  if (!first) return undefined;
  return indentAt(text, first.key.span.offset);
}
