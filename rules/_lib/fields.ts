import { isMap, isSeq, keyString, type YNode } from '@galley/recipe';

export interface FieldNode {
  /** The path as written, e.g. `healthcheck.interval` or `ports[0].published`. */
  path: string;
  node: YNode;
}

/**
 * The nodes at a path below `node`: map keys by name, `*` for any key of a
 * map, `#` for any item of a sequence.
 */
export function fieldsAt(node: YNode | undefined, pattern: string[], prefix = ''): FieldNode[] {
  if (!node) return [];
  if (pattern.length === 0) return [{ path: prefix, node }];
  const [step, ...rest] = pattern as [string, ...string[]];
  if (step === '#') {
    if (!isSeq(node)) return [];
    return node.items.flatMap((item, i) => fieldsAt(item, rest, `${prefix}[${i}]`));
  }
  if (!isMap(node)) return [];
  const join = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (step === '*') return node.pairs.flatMap((p) => fieldsAt(p.value, rest, join(keyString(p.key))));
  const pair = [...node.pairs].reverse().find((p) => keyString(p.key) === step);
  return pair ? fieldsAt(pair.value, rest, join(step)) : [];
}
