import { isMap, isScalar, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Big YAML files are parsed in pieces. The yaml library builds the syntax
 * tree of a whole document before it composes any of it, at ~1.5 µs and
 * ~200 bytes per token: a 4 MiB flood of syntax errors took 9 s and 950 MB
 * before its first error could be counted. Cut at the start of lines, each
 * piece is parsed and composed on its own (its syntax tree is garbage as
 * soon as it is composed), so a flood is stopped after the first pieces, and
 * a big valid file never holds the syntax tree of more than one piece.
 *
 * A cut is only a guess: the line may be inside a block scalar, a quoted
 * string or a flow collection. A cut inside a quoted string or a flow
 * collection leaves the piece before it unclosed, a syntax error. Every other
 * wrong cut is caught by `mergePieces`. When the pieces have errors (fewer
 * than the flood limit) or do not fit together, the caller parses the file
 * whole, so the result is always the whole parse's.
 */

/** A plain key at the start of a line's content: `name:` followed by a space or the line's end. */
const KEY = /[A-Za-z_$][\w.$/-]*:(?=[ \t\r\n]|$)/y;
/** A sequence item at the start of a line's content. */
const ITEM = /-(?=[ \t\r\n]|$)/y;
/** Directives and document markers: such a file may hold several documents, and is parsed whole. */
const MARKERS = /^(?:---|\.\.\.|%)/m;

/**
 * Offsets where pieces start (the first is 0), each piece about
 * `pieceBytes` long or more; `[0]` when the file is small or not cut.
 *
 * A piece starts at a line that starts a key or a list item, at any
 * indentation; when none comes for another `pieceBytes`, at any line (a
 * flood of errors has no such lines). A piece that starts indented ends at
 * the next line indented less, and one that starts with a list item at the
 * next line as deep that is no item, so that each piece is one collection.
 */
export function splitPieces(text: string, pieceBytes: number): number[] {
  if (text.length < 2 * pieceBytes || MARKERS.test(text)) return [0];
  const starts = [0];
  let pieceStart = 0;
  let pieceIndent = 0;
  let pieceItem = false;
  let first = true;
  const starting = (at: number, pattern: RegExp): boolean => {
    pattern.lastIndex = at;
    return pattern.test(text);
  };
  for (let lineStart = 0; lineStart < text.length; ) {
    let end = text.indexOf('\n', lineStart);
    if (end === -1) end = text.length;
    let i = lineStart;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const c = text.charCodeAt(i);
    const blank = i >= end || c === 35 || (c === 13 && i + 1 >= end);
    if (!blank) {
      const indent = i - lineStart;
      if (first) first = false;
      else {
        const size = lineStart - pieceStart;
        const item = starting(i, ITEM);
        const cut =
          indent < pieceIndent ||
          (pieceItem && indent === pieceIndent && !item) ||
          (size >= pieceBytes && (item || starting(i, KEY))) ||
          size >= 2 * pieceBytes;
        if (cut) {
          starts.push(lineStart);
          pieceStart = lineStart;
          pieceIndent = indent;
          pieceItem = item;
        }
      }
    }
    lineStart = end + 1;
  }
  return starts;
}

type Collection = YAMLMap | YAMLSeq;
const isBlockCollection = (node: unknown): node is Collection => (isMap(node) || isSeq(node)) && !(node as Collection).flow;

/**
 * Joins the roots of the pieces into the first one, where the whole parse
 * puts them. The open collections are those on the path of last items. A
 * piece's collection is appended to the deepest open collection of its kind
 * and column; or, when the last key on the path has no value yet (`app:`
 * ending the piece before), it becomes that value if it is indented deeper
 * (a list may also be as deep as the key). Any other cut fails here: a line
 * that continues a scalar must be indented deeper than the collection
 * holding that scalar, the deepest on the path, so no collection on the
 * path has its column, and the scalar is not empty. Returns false, leaving
 * the pieces partly joined, when a piece has no place.
 */
export function mergePieces(roots: readonly unknown[], text: string): boolean {
  const first = roots[0];
  if (!isBlockCollection(first) || !first.range) return false;
  const column = (offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  for (const piece of roots.slice(1)) {
    if (!isBlockCollection(piece) || !piece.range) return false;
    // A piece that starts with `: value` may hold the value of a `? key` before it.
    if (isMap(piece) && (piece.items[0]?.key === null || isEmpty(piece.items[0]?.key))) return false;
    const at = column(piece.range[0]);
    const path: Collection[] = [];
    let target = -1;
    for (let node: unknown = first; isBlockCollection(node) && node.range; ) {
      path.push(node);
      if (isMap(node) === isMap(piece) && column(node.range[0]) === at) target = path.length - 1;
      const last = node.items.at(-1) as unknown;
      node = isMap(node) ? (last as { value?: unknown } | undefined)?.value : last;
    }
    const deepest = path.at(-1)!;
    const lastPair = isMap(deepest) ? deepest.items.at(-1) : undefined;
    const deepEnough = isMap(piece) ? at > column(deepest.range![0]) : at >= column(deepest.range![0]);
    if (lastPair && isEmpty(lastPair.value) && deepEnough) lastPair.value = piece;
    else if (target !== -1) {
      const into = path[target]!;
      (into.items as unknown[]).push(...piece.items);
      path.length = target + 1;
    } else return false;
    for (const node of path) node.range = [node.range![0], piece.range[1], piece.range[2]];
  }
  return true;
}

/** The value of `key:` with nothing after it: no text, no anchor, no tag. */
function isEmpty(node: unknown): boolean {
  if (!isScalar(node) || node.value !== null || node.anchor || node.tag || !node.range) return false;
  return node.range[0] === node.range[1];
}

/** The nodes (scalars, maps, lists; keys included) of a composed tree, without recursion. */
export function countNodes(root: unknown): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    count++;
    if (isMap(node)) for (const pair of node.items) stack.push(pair.key, pair.value);
    else if (isSeq(node)) for (const item of node.items) stack.push(item);
  }
  return count;
}
