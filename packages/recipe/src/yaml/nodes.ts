import type { Span } from '../diagnostics.js';

/**
 * Galley's YAML tree: plain data with a span on every node, aliases and merge
 * keys already resolved. A node reached through an alias is the very node
 * that was anchored (so it keeps the position where it was written); the tree
 * may therefore share subtrees, but never has cycles.
 */
export type YNode = YScalar | YMap | YSeq;

export type ScalarValue = string | number | boolean | null;

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface YNodeBase {
  span: Span;
  /** An explicit YAML tag such as `!reset` or `!override`. */
  tag?: string;
}

export interface YScalar extends YNodeBase {
  kind: 'scalar';
  value: ScalarValue;
  style: ScalarStyle;
  /** Interpolation details, set on scalars produced by `interpolateTree`. */
  interpolation?: InterpolationTrace;
}

export interface YPair {
  key: YScalar;
  value: YNode;
  /** Set when the pair came in through a merge key (`<<: *x`): the merge key's span. */
  mergedAt?: Span;
}

export interface YMap extends YNodeBase {
  kind: 'map';
  pairs: YPair[];
}

export interface YSeq extends YNodeBase {
  kind: 'seq';
  items: YNode[];
}

/** How an interpolated string came to be, so each part maps to its source. */
export interface InterpolationTrace {
  /** The string as written, before interpolation. */
  raw: string;
  /** Every variable reference, in order of appearance (nested ones included). */
  refs: VariableRef[];
}

export type SubstitutionForm =
  | 'plain' // $VAR or ${VAR}
  | ':-' // default when unset or empty
  | '-' // default when unset
  | ':?' // error when unset or empty
  | '?' // error when unset
  | ':+' // alternative when set and non-empty
  | '+'; // alternative when set

export interface VariableRef {
  name: string;
  form: SubstitutionForm;
  /** The default / alternative / error text as written (for `:-`, `-`, `:+`, `+`, `:?`, `?`). */
  argument?: string;
  /** Offsets of the whole `${…}` / `$VAR` within `raw`. */
  start: number;
  end: number;
  /** Where the reference is written in the file, when it can be located exactly. */
  span?: Span;
  /** Whether the variable had a value (set, possibly empty) in the environment. */
  set: boolean;
  /** Whether the value came from the default / alternative branch. */
  defaulted: boolean;
}

export function isMap(node: YNode | undefined | null): node is YMap {
  return node?.kind === 'map';
}

export function isSeq(node: YNode | undefined | null): node is YSeq {
  return node?.kind === 'seq';
}

export function isScalar(node: YNode | undefined | null): node is YScalar {
  return node?.kind === 'scalar';
}

/** Maps with more pairs than this get an index, so looking keys up in a 20000-key map stays linear overall. */
const INDEX_FROM = 16;
const indexes = new WeakMap<YMap, { pairs: YPair[]; length: number; byKey: Map<string, YPair> }>();

/** The pair for `key` in a map (the last one when a key is duplicated). */
export function getPair(map: YMap | undefined | null, key: string): YPair | undefined {
  if (!map) return undefined;
  if (map.pairs.length > INDEX_FROM) {
    let index = indexes.get(map);
    // Trees are not changed once built; the check keeps a changed one correct anyway.
    if (!index || index.pairs !== map.pairs || index.length !== map.pairs.length) {
      const byKey = new Map<string, YPair>();
      for (const pair of map.pairs) byKey.set(keyString(pair.key), pair);
      index = { pairs: map.pairs, length: map.pairs.length, byKey };
      indexes.set(map, index);
    }
    return index.byKey.get(key);
  }
  for (let i = map.pairs.length - 1; i >= 0; i--) {
    const pair = map.pairs[i]!;
    if (keyString(pair.key) === key) return pair;
  }
  return undefined;
}

/** The value for `key` in a map. */
export function get(map: YNode | undefined | null, key: string): YNode | undefined {
  return isMap(map) ? getPair(map, key)?.value : undefined;
}

/** Follows a path of map keys (strings) and sequence indexes (numbers). */
export function getIn(node: YNode | undefined | null, ...path: (string | number)[]): YNode | undefined {
  let current: YNode | undefined | null = node;
  for (const step of path) {
    if (!current) return undefined;
    if (typeof step === 'number') {
      current = isSeq(current) ? current.items[step] : undefined;
    } else {
      current = get(current, step);
    }
  }
  return current ?? undefined;
}

/** A map's entries as `[key, value]` with string keys, in written order. */
export function entries(map: YNode | undefined | null): [string, YNode, YPair][] {
  if (!isMap(map)) return [];
  return map.pairs.map((p) => [keyString(p.key), p.value, p]);
}

export function keyString(key: YScalar): string {
  return key.value === null ? '' : String(key.value);
}

/** The scalar's value as a string (`null` → undefined). */
export function scalarString(node: YNode | undefined | null): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  return String(node.value);
}

/** Converts a node to plain JavaScript data (maps become objects). */
export function toJS(node: YNode | undefined | null): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map((item) => toJS(item));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const pair of node.pairs) out[keyString(pair.key)] = toJS(pair.value);
      return out;
    }
  }
}
