import {
  Composer,
  isAlias,
  isMap as isYamlMap,
  isNode as isYamlNode,
  isScalar as isYamlScalar,
  isSeq as isYamlSeq,
  Parser,
  visit,
  type YAMLError,
  YAMLParseError,
  Document as YamlDocument,
  type Node as YamlNode,
  type Pair as YamlPair,
  type Scalar as YamlScalar,
} from 'yaml';
import type { Diagnostic, Span } from '../diagnostics.js';
import { clip, collectGarbage, formatBytes, LineIndex, utf8Length } from '../text.js';
import type { ScalarStyle, ScalarValue, YMap, YNode, YPair, YScalar, YSeq } from './nodes.js';
import { keyString } from './nodes.js';
import { countNodes, mergePieces, splitPieces } from './pieces.js';

/** Compose files are small; anything bigger is a mistake or an attack. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;
/** Deeper nesting than this is no compose file. */
export const MAX_YAML_DEPTH = 200;
/** More aliases (`*name`) than this in one file is no compose file. */
export const MAX_YAML_ALIASES = 10_000;
/** An alias leading to an anchored node holding an alias leading to … at most this many times. */
export const MAX_YAML_ALIAS_CHAIN = 64;
/** Syntax errors shown per file; the rest are counted in one more diagnostic. */
export const MAX_YAML_SYNTAX_ERRORS = 10;
/**
 * More values (scalars, maps, lists, keys included) than this in one file is
 * no compose file: the largest real ones hold a few thousand, 10000 services
 * of nine settings each about 210000. Big files are refused after the piece
 * that passes it, so a file of 4 MiB of `-` lines costs what 250000 values do.
 */
export const MAX_YAML_NODES = 250_000;

export interface ParsedYaml {
  file: string;
  text: string;
  /** The document's root, or null when the file is empty or unusable. */
  root: YNode | null;
  diagnostics: Diagnostic[];
  lines: LineIndex;
}

export interface ParseYamlOptions {
  maxBytes?: number;
  /** Size of the pieces a big file is parsed in (see pieces.ts); tests make it small. */
  pieceBytes?: number;
}

const STYLES: Record<string, ScalarStyle> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded',
};

/** Tags with a meaning in compose overlays; other unknown tags are reported. */
const COMPOSE_TAGS = new Set(['!reset', '!override']);

/**
 * Parses one YAML document into Galley's tree. Never throws: syntax errors,
 * duplicate keys, alias bombs, oversized or too deeply nested input come back
 * as diagnostics with positions.
 */
export function parseYaml(text: string, file: string, options: ParseYamlOptions = {}): ParsedYaml {
  const result = parseYamlText(text, file, options);
  // The yaml library's document and syntax tree of a big file are garbage
  // now (out of scope here), ~75 bytes per byte of YAML; V8 would let them
  // pile up to several hundred MB before collecting (its heap may grow
  // fourfold between full collections while it is small).
  if (text.length >= COLLECT_AFTER_BYTES) collectGarbage();
  return result;
}

function parseYamlText(text: string, file: string, options: ParseYamlOptions): ParsedYaml {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const result: ParsedYaml = { file, text, root: null, diagnostics, lines };
  const maxBytes = options.maxBytes ?? MAX_YAML_BYTES;

  const size = utf8Length(text);
  if (size > maxBytes) {
    diagnostics.push({
      code: 'file-too-large',
      severity: 'error',
      message: `${file} is ${formatBytes(size)}; galley reads YAML files up to ${formatBytes(maxBytes)}. Is this really a compose file?`,
      span: lines.span(file, 0, 0),
    });
    return result;
  }

  // The yaml library's syntax tree of unclosed `[ {` nested 100000 deep takes gigabytes: refuse it before parsing.
  const flow = scanFlow(text, MAX_YAML_DEPTH, MAX_YAML_ERRORS_COMPOSED);
  if (flow) {
    diagnostics.push({
      code: flow.kind === 'deep' ? 'yaml-too-deep' : 'yaml-syntax',
      severity: 'error',
      message:
        flow.kind === 'deep'
          ? `flow collections ("[" and "{") nested deeper than ${MAX_YAML_DEPTH} levels (galley's limit); refusing to read ${file}`
          : `more than ${MAX_YAML_ERRORS_COMPOSED} "]" or "}" that close nothing (each a syntax error); refusing to read ${file}: is it a compose file?`,
      span: lines.span(file, flow.at, flow.at + 1),
    });
    return result;
  }

  let doc: YamlDocument;
  let stopped = false;
  try {
    const parsed = parseDocumentBounded(text, options.pieceBytes ?? YAML_PIECE_BYTES);
    if ('tooManyAt' in parsed) {
      diagnostics.push({
        code: 'file-too-large',
        severity: 'error',
        message: `${file} holds more than ${MAX_YAML_NODES} YAML values by here (galley's limit; the largest real compose files hold a few thousand); refusing to read it: is it a compose file?`,
        span: lines.span(file, parsed.tooManyAt, parsed.tooManyAt),
      });
      return result;
    }
    stopped = 'stoppedAt' in parsed;
    doc = 'stoppedAt' in parsed ? parsed.partial : parsed.doc;
  } catch (error) {
    // The yaml library recurses per nesting level; absurd nesting overflows the stack.
    diagnostics.push({
      code: 'yaml-too-deep',
      severity: 'error',
      message: `${file} cannot be parsed: ${error instanceof RangeError ? 'nesting is too deep' : String(error)}`,
      span: lines.span(file, 0, 0),
    });
    return result;
  }

  const seen = new Set<string>();
  let shown = 0;
  for (; shown < doc.errors.length && seen.size < MAX_YAML_SYNTAX_ERRORS; shown++) {
    const error = doc.errors[shown]!;
    const located = locateSyntaxError(error.code, error.pos, cleanYamlMessage(error.message), lines);
    const span = lines.span(file, located.start, located.end);
    const key = `${span.offset}:${located.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push({ code: 'yaml-syntax', severity: 'error', message: located.message, span });
  }
  if (shown < doc.errors.length) {
    // A flood of errors (a binary or a mangled file) is collapsed: the first few, then how many more.
    const rest = doc.errors.length - shown;
    const at = doc.errors[shown]!.pos[0];
    diagnostics.push({
      code: 'yaml-syntax',
      severity: 'error',
      message: `and ${stopped ? 'at least ' : ''}${rest} more syntax ${rest === 1 ? 'error' : 'errors'} from here on, not shown (galley shows the first ${MAX_YAML_SYNTAX_ERRORS} per file): fix these first`,
      span: lines.span(file, at, at + 1),
    });
  }
  if (doc.errors.length > 0) return result;

  // One pass finds every alias's anchor (the yaml library's Alias.resolve walks the whole document per alias).
  const targets = new Map<YamlNode, YamlNode>();
  let aliases = 0;
  let tooMany: YamlNode | undefined;
  const anchors = new Map<string, YamlNode>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        if (++aliases > MAX_YAML_ALIASES) {
          tooMany = node;
          return visit.BREAK;
        }
        const target = anchors.get(node.source);
        if (target) targets.set(node, target);
      } else if (isYamlNode(node) && node.anchor) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  if (tooMany) {
    diagnostics.push({
      code: 'yaml-alias-bomb',
      severity: 'error',
      message: `${file} has more than ${MAX_YAML_ALIASES} aliases (galley's limit); refusing to read it`,
      span: lines.span(file, tooMany.range?.[0] ?? 0, tooMany.range?.[1] ?? 0),
    });
    return result;
  }

  for (const warning of doc.warnings) {
    if (warning.code === 'TAG_RESOLVE_FAILED' && COMPOSE_TAGS.has(tagFromMessage(warning.message))) continue;
    const [start, end] = warning.pos;
    diagnostics.push({
      code: 'yaml-warning',
      severity: 'warning',
      message: cleanYamlMessage(warning.message),
      span: lines.span(file, start, end),
    });
  }

  const converter = new Converter(targets, file, lines, diagnostics);
  let root: YNode | null;
  try {
    root = doc.contents ? converter.convert(doc.contents as YamlNode, 0) : null;
  } catch (error) {
    if (!(error instanceof ConversionAborted)) throw error;
    return result;
  }
  if (root && converter.exceedsExpansionLimit(root)) {
    diagnostics.push({
      code: 'yaml-alias-bomb',
      severity: 'error',
      message: `${file}: aliases expand to more than ${converter.expansionLimit()} nodes (a "billion laughs" document); refusing to read it`,
      span: lines.span(file, 0, 0),
    });
    return result;
  }
  result.root = root;
  return result;
}

/** Files from this size on are followed by a full garbage collection. */
const COLLECT_AFTER_BYTES = 512 * 1024;

/** Errors after which the yaml library's composer is stopped (the file is not YAML; the rest would only cost memory). */
export const MAX_YAML_ERRORS_COMPOSED = 200;

class TooManyErrors extends Error {}

/** Files of twice this size or more are parsed in pieces of about this size (see pieces.ts). */
export const YAML_PIECE_BYTES = 16 * 1024;

type Bounded = { doc: YamlDocument } | { partial: YamlDocument; stoppedAt: number } | { tooManyAt: number };

/**
 * `parseDocument` of the yaml library (one document; a second one is an
 * error), stopped once MAX_YAML_ERRORS_COMPOSED errors or MAX_YAML_NODES
 * values are found: a flood
 * of errors otherwise costs a YAMLParseError each (gigabytes for a 4 MiB
 * file). A big file is parsed in pieces first, which finds a flood after
 * its first pieces; when the pieces do not fit together, or have fewer
 * errors than that (which may come from the cuts), the file is parsed whole.
 */
function parseDocumentBounded(text: string, pieceBytes: number): Bounded {
  const starts = splitPieces(text, pieceBytes);
  if (starts.length > 1) {
    const docs: YamlDocument[] = [];
    const errors: YAMLError[] = [];
    let nodes = 0;
    for (let i = 0; i < starts.length; i++) {
      const piece = composeRange(text, starts[i]!, starts[i + 1] ?? text.length, MAX_YAML_ERRORS_COMPOSED - errors.length);
      errors.push(...piece.errors);
      if (piece.stopped) return stoppedWith(errors);
      if (piece.docs.length !== 1) break;
      nodes += countNodes(piece.docs[0]!.contents);
      if (nodes > MAX_YAML_NODES) return { tooManyAt: starts[i]! };
      docs.push(piece.docs[0]!);
    }
    if (
      errors.length === 0 &&
      docs.length === starts.length &&
      mergePieces(
        docs.map((d) => d.contents),
        text,
      )
    ) {
      const doc = docs[0]!;
      for (const other of docs.slice(1)) doc.warnings.push(...other.warnings);
      doc.range = [0, text.length, text.length];
      return { doc };
    }
  }
  const whole = composeRange(text, 0, text.length, MAX_YAML_ERRORS_COMPOSED);
  if (whole.stopped) return stoppedWith(whole.errors);
  const doc = whole.docs[0]!;
  if (countNodes(doc.contents) > MAX_YAML_NODES) return { tooManyAt: 0 };
  const second = whole.docs[1];
  if (second) {
    doc.errors.push(
      new YAMLParseError([second.range[0], second.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'),
    );
  }
  return { doc };
}

function stoppedWith(errors: YAMLError[]): Bounded {
  const partial = new YamlDocument(null);
  partial.errors.push(...(errors as YAMLParseError[]));
  return { partial, stoppedAt: errors.length };
}

/**
 * Composes text[start, end) with positions in the whole text; at most two
 * documents (a second one is an error). Stops when `budget` errors are found.
 */
function composeRange(text: string, start: number, end: number, budget: number): { docs: YamlDocument.Parsed[]; errors: YAMLError[]; stopped: boolean } {
  const composer = new Composer({ uniqueKeys: false, merge: false, prettyErrors: false, strict: true });
  // The composer's error sink is not public API; it is wrapped to count (yaml 2.x).
  const internals = composer as unknown as { onError: (...args: unknown[]) => void; errors: YAMLError[] };
  const onError = internals.onError;
  let stopped = false;
  internals.onError = (...args: unknown[]) => {
    onError(...args);
    // The library catches some exceptions and goes on: once stopped, every later error throws again.
    if (!args[3] && internals.errors.length >= budget) stopped = true;
    if (stopped) throw new TooManyErrors();
  };
  const parser = new Parser();
  // The parser counts offsets from here, so every position is one in the whole text.
  parser.offset = start;
  const docs: YamlDocument.Parsed[] = [];
  try {
    const source = start === 0 && end === text.length ? text : text.slice(start, end);
    for (const doc of composer.compose(parser.parse(source), true, end)) {
      docs.push(doc);
      if (docs.length === 2) break;
    }
  } catch (error) {
    if (!(error instanceof TooManyErrors)) throw error;
  }
  const errors = [...docs.flatMap((d) => d.errors), ...(stopped ? internals.errors : [])];
  return { docs, errors: stopped ? errors.slice(0, budget) : errors, stopped };
}

class ConversionAborted extends Error {}

class Converter {
  private readonly memo = new Map<YamlNode, YNode>();
  private readonly inProgress = new Set<YamlNode>();
  private uniqueNodes = 0;
  /** Aliases followed on the way to the node being converted. */
  private chain = 0;

  constructor(
    private readonly targets: ReadonlyMap<YamlNode, YamlNode>,
    private readonly file: string,
    private readonly lines: LineIndex,
    private readonly diagnostics: Diagnostic[],
  ) {}

  span(range: readonly [number, number, number] | null | undefined): Span {
    if (!range) return this.lines.span(this.file, 0, 0);
    return this.lines.span(this.file, range[0], range[1]);
  }

  abort(message: string, span: Span, code: string): never {
    this.diagnostics.push({ code, severity: 'error', message, span });
    throw new ConversionAborted(message);
  }

  convert(node: YamlNode, depth: number): YNode {
    if (depth > MAX_YAML_DEPTH) {
      this.abort(`nesting deeper than ${MAX_YAML_DEPTH} levels`, this.span(node.range), 'yaml-too-deep');
    }
    if (isAlias(node)) {
      const target = this.targets.get(node);
      if (!target) this.abort(`unknown alias *${clip(node.source)}`, this.span(node.range), 'yaml-syntax');
      if (this.inProgress.has(target)) {
        this.abort(`alias *${clip(node.source)} refers to a node that contains it`, this.span(node.range), 'yaml-alias-cycle');
      }
      const known = this.memo.get(target);
      if (known) return known;
      if (this.chain >= MAX_YAML_ALIAS_CHAIN) {
        this.abort(
          `alias *${clip(node.source)} is the end of a chain of more than ${MAX_YAML_ALIAS_CHAIN} aliases to anchors holding aliases (galley's limit)`,
          this.span(node.range),
          'yaml-alias-bomb',
        );
      }
      this.chain++;
      try {
        return this.convert(target, depth + 1);
      } finally {
        this.chain--;
      }
    }
    // Only anchored nodes can be reached twice (or from inside themselves): only they are remembered.
    const anchored = Boolean(node.anchor);
    if (anchored) {
      const known = this.memo.get(node);
      if (known) return known;
      this.inProgress.add(node);
    }
    this.uniqueNodes++;
    let out: YNode;
    if (isYamlScalar(node)) out = this.scalar(node);
    else if (isYamlMap(node)) out = this.map(node.items as YamlPair[], node, depth);
    else if (isYamlSeq(node)) {
      const seq: YSeq = { kind: 'seq', items: [], span: this.span(node.range) };
      if (node.tag) seq.tag = node.tag;
      for (const item of node.items) seq.items.push(this.convertOrNull(item as YamlNode | null, depth + 1, seq.span));
      out = seq;
    } else {
      out = { kind: 'scalar', value: null, style: 'plain', span: this.span((node as YamlNode).range) };
    }
    if (anchored) {
      this.inProgress.delete(node);
      this.memo.set(node, out);
    }
    return out;
  }

  convertOrNull(node: YamlNode | null | undefined, depth: number, near: Span): YNode {
    if (node) return this.convert(node, depth);
    return { kind: 'scalar', value: null, style: 'plain', span: { ...near, endLine: near.line, endCol: near.col, endOffset: near.offset } };
  }

  scalar(node: YamlScalar): YScalar {
    const raw = node.value;
    let value: ScalarValue;
    if (raw === null || raw === undefined) value = null;
    else if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') value = raw;
    else if (typeof raw === 'bigint') value = Number(raw);
    else value = String(raw);
    // Go's YAML readers (docker, compose) take a leading 0 as octal: `mode: 0400` is 256.
    if (typeof value === 'number' && node.type === 'PLAIN' && /^[-+]?0[0-7]+$/.test(node.source ?? '')) {
      value = Number.parseInt(node.source!, 8);
    }
    const out: YScalar = { kind: 'scalar', value, style: STYLES[node.type ?? 'PLAIN'] ?? 'plain', span: this.span(node.range) };
    if (node.tag && !node.tag.startsWith('tag:yaml.org,2002:')) out.tag = node.tag;
    return out;
  }

  keyOf(pair: YamlPair, mapSpan: Span): YScalar {
    const key = pair.key as YamlNode | null;
    if (key === null || key === undefined) return { kind: 'scalar', value: null, style: 'plain', span: mapSpan };
    if (isYamlScalar(key)) return this.scalar(key);
    // A complex key (`? [a, b]`): compose has none; keep its text so rules can report it.
    const span = this.span(key.range);
    return { kind: 'scalar', value: this.lines.text.slice(span.offset, span.endOffset), style: 'plain', span };
  }

  map(items: YamlPair[], node: YamlNode, depth: number): YMap {
    const map: YMap = { kind: 'map', pairs: [], span: this.span(node.range) };
    if (node.tag) map.tag = node.tag;
    const seen = new Map<string, YScalar>();
    const merged: YPair[] = [];
    let duplicated = false;
    for (const pair of items) {
      const key = this.keyOf(pair, map.span);
      if (key.value === '<<' && key.style === 'plain' && !key.tag) {
        merged.push(...this.mergeSources(pair, key, depth));
        continue;
      }
      const name = keyString(key);
      const first = seen.get(name);
      if (first) {
        this.diagnostics.push({
          code: 'duplicate-key',
          severity: 'error',
          message: `duplicate key "${clip(name)}" (first defined at line ${first.span.line}, column ${first.span.col}); the later value wins in galley but other tools may refuse the file`,
          span: key.span,
          related: [{ message: `"${clip(name)}" first defined here`, span: first.span }],
        });
        duplicated = true;
      }
      seen.set(name, key);
      map.pairs.push({ key, value: this.convertOrNull(pair.value as YamlNode | null, depth + 1, key.span) });
    }
    // The later of duplicate keys wins (in the place where it is written).
    if (duplicated) {
      const last = new Map<string, YPair>();
      for (const pair of map.pairs) last.set(keyString(pair.key), pair);
      map.pairs = map.pairs.filter((p) => last.get(keyString(p.key)) === p);
    }
    // Explicit keys win over merged ones; among merge sources, the first wins.
    for (const pair of merged) {
      const name = keyString(pair.key);
      if (seen.has(name)) continue;
      seen.set(name, pair.key);
      map.pairs.push(pair);
    }
    return map;
  }

  mergeSources(pair: YamlPair, key: YScalar, depth: number): YPair[] {
    const value = pair.value as YamlNode | null;
    const sources: YamlNode[] = [];
    if (value && isYamlSeq(value)) sources.push(...(value.items as YamlNode[]));
    else if (value) sources.push(value);
    const out: YPair[] = [];
    for (const source of sources) {
      const converted = this.convert(source, depth + 1);
      if (converted.kind !== 'map') {
        this.diagnostics.push({
          code: 'yaml-merge-not-map',
          severity: 'error',
          message: 'a merge key (<<) must refer to a mapping or a list of mappings',
          span: converted.span,
        });
        continue;
      }
      for (const merged of converted.pairs) out.push({ key: merged.key, value: merged.value, mergedAt: merged.mergedAt ?? key.span });
    }
    return out;
  }

  expansionLimit(): number {
    return 10 * this.uniqueNodes + 10_000;
  }

  /** True when expanding shared (aliased) subtrees would exceed the limit. */
  exceedsExpansionLimit(root: YNode): boolean {
    const limit = this.expansionLimit();
    const sizes = new Map<YNode, number>();
    const sizeOf = (node: YNode): number => {
      const known = sizes.get(node);
      if (known !== undefined) return known;
      let size = 1;
      if (node.kind === 'map') for (const p of node.pairs) size += 1 + sizeOf(p.value);
      else if (node.kind === 'seq') for (const item of node.items) size += sizeOf(item);
      size = Math.min(size, limit + 1);
      sizes.set(node, size);
      return size;
    };
    return sizeOf(root) > limit;
  }
}

/**
 * A cheap scan for two floods the yaml library takes gigabytes or minutes
 * over: flow collections (`[`, `{`) opened deeper than `maxDepth`, and more
 * than `maxStray` closing brackets that close nothing where a value starts
 * (a plain scalar cannot start with one: each is a syntax error). A bracket
 * counts where a value starts (at a line's start, or after `:`, `-`, `?` or
 * `,` and a space) or inside a flow collection; comments, and quoted text
 * inside flow collections, are skipped. Real files are far from both limits.
 */
function scanFlow(text: string, maxDepth: number, maxStray: number): { kind: 'deep' | 'stray'; at: number } | undefined {
  let depth = 0;
  let stray = 0;
  let quote = 0;
  let previous = 10; // the last character that is not a space or tab; a newline at the start
  let spaced = true; // a space or tab since `previous`
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92 && quote === 34) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 32 || c === 9) {
      spaced = true;
      continue;
    }
    if (c === 35 && (spaced || previous === 10)) {
      const end = text.indexOf('\n', i);
      if (end === -1) break;
      i = end - 1;
      continue;
    }
    const valueStart =
      previous === 10 || previous === 91 || previous === 123 || (spaced && (previous === 58 || previous === 45 || previous === 63 || previous === 44));
    if ((c === 34 || c === 39) && depth > 0) quote = c;
    else if (c === 91 || c === 123) {
      if (depth > 0 || valueStart) {
        depth++;
        if (depth > maxDepth) return { kind: 'deep', at: i };
      }
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
      else if (valueStart && ++stray > maxStray) return { kind: 'stray', at: i };
    }
    previous = c === 13 ? 10 : c;
    spaced = false;
  }
  return undefined;
}

function tagFromMessage(message: string): string {
  return /(![\w-]+)/.exec(message)?.[1] ?? '';
}

/** The yaml library appends " at line L, column C"; we print positions ourselves. */
function cleanYamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isContent = (line: string) => line.trim() !== '' && !line.trimStart().startsWith('#');

/** The nearest line above `line` with content (no blank or comment line). */
function previousContentLine(lines: LineIndex, line: number): number | undefined {
  for (let l = line - 1; l >= 1; l--) if (isContent(lines.lineText(l))) return l;
  return undefined;
}

/** A span over a line's content (without its indentation), as offsets. */
function contentOf(lines: LineIndex, line: number): { start: number; end: number } {
  const text = lines.lineText(line);
  const start = lines.lineStart(line) + indentOf(text);
  const key = /^([^:#]+?):(?:\s|$)/.exec(text.trimStart());
  return { start, end: key ? start + key[1]!.length : lines.lineStart(line) + text.trimEnd().length };
}

/**
 * Points a YAML syntax error at the line whose indentation is wrong, with a
 * message that says so. The yaml library reports a line indented too deep as
 * a problem of the value above it ("Nested mappings are not allowed in
 * compact mappings"), and a misaligned key at column 1.
 */
function locateSyntaxError(code: string, pos: [number, number], message: string, lines: LineIndex): { start: number; end: number; message: string } {
  const [start, end] = pos;
  const fallback = { start, end: Math.max(end, start + 1), message };
  const line = lines.position(start).line;
  if (code === 'BAD_INDENT') {
    const above = previousContentLine(lines, line);
    const text = lines.lineText(line);
    const span = contentOf(lines, line);
    if (above === undefined || !isContent(text)) return fallback;
    const what = text.trimStart().startsWith('-') ? 'list item' : 'key';
    return {
      ...span,
      message: `${message}: this ${what} is indented by ${indentOf(text)} spaces, line ${above} above by ${indentOf(lines.lineText(above))}`,
    };
  }
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    // A key indented deeper than the key it follows reads as part of that key's value.
    const keyIndent = indentOf(lines.lineText(line));
    const last = lines.position(Math.max(start, end - 1)).line;
    for (let l = line + 1; l <= Math.min(last + 1, lines.lineCount); l++) {
      const text = lines.lineText(l);
      if (!isContent(text)) continue;
      if (indentOf(text) > keyIndent && /^[^\s#-][^:]*:(\s|$)/.test(text.trimStart())) {
        return {
          ...contentOf(lines, l),
          message: `this key is indented by ${indentOf(text)} spaces, deeper than the key on line ${line} (${keyIndent}), so YAML reads it as part of that value: indent it like its siblings`,
        };
      }
    }
  }
  return fallback;
}
