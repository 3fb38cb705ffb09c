import type { YMap, YNode, YPair, YScalar, YSeq } from '../yaml/nodes.js';
import { get, isMap, isScalar, isSeq, keyString, scalarString } from '../yaml/nodes.js';
import { type PortRange, parsePortMapping, parsePortRange } from './ports.js';

/**
 * Merges compose trees in order (base first, overlays after) by the
 * compose-spec merge rules:
 *
 * - mappings merge by key, scalars are replaced by the later file;
 * - sequences are appended (identical scalars are not repeated);
 * - `command`, `entrypoint` and `healthcheck.test` are replaced;
 * - `ports`, `volumes`, `secrets` and `configs` of a service merge by their
 *   unique key (ports: ip, target, published, protocol; the others: target);
 * - `environment`, `labels`, `deploy.labels`, `sysctls`, `extra_hosts`,
 *   `annotations` and `build.args` merge by variable name whether written as
 *   a list of `KEY=value` or as a map;
 * - `depends_on` and a service's `networks` merge by name (list or map);
 * - `logging` is replaced when the driver changes, merged otherwise;
 * - `!reset` removes a value, `!override` replaces it without merging.
 *
 * Nodes are never copied from their files: every merged value keeps the span
 * of the place it was written.
 */
export function mergeComposeTrees(trees: (YNode | null)[]): YNode | null {
  let result: YNode | null = null;
  for (const tree of trees) {
    if (!tree) continue;
    result = result ? (mergeNode(result, tree, []) ?? null) : stripTags(tree);
  }
  return result;
}

type Path = string[];

const REPLACED = ['command', 'entrypoint'];
const KEYED_ENTRIES = new Set(['environment', 'labels', 'sysctls', 'extra_hosts', 'annotations']);

function isServiceField(path: Path, ...field: string[]): boolean {
  if (path.length !== 2 + field.length || path[0] !== 'services') return false;
  return field.every((f, i) => path[2 + i] === f);
}

function mergeNode(base: YNode, over: YNode, path: Path): YNode | undefined {
  if (over.tag === '!reset') return undefined;
  if (over.tag === '!override') return stripTags(over);
  if (isMap(base) && isMap(over)) return mergeMaps(base, over, path);
  if (isSeq(base) || isSeq(over) || isMap(base) || isMap(over)) {
    if (path[0] === 'services' && path.length >= 3) {
      const special = mergeServiceField(base, over, path);
      if (special !== null) return special;
    }
    if (isSeq(base) && isSeq(over)) return appendUnique(base, over);
  }
  return stripTags(over);
}

function mergeServiceField(base: YNode, over: YNode, path: Path): YNode | null {
  const field = path[2]!;
  if (path.length === 3 && REPLACED.includes(field)) return stripTags(over);
  if (isServiceField(path, 'healthcheck', 'test')) return stripTags(over);
  if ((path.length === 3 && KEYED_ENTRIES.has(field)) || isServiceField(path, 'deploy', 'labels') || isServiceField(path, 'build', 'args')) {
    return mergeKeyedEntries(base, over);
  }
  if (path.length === 3 && (field === 'depends_on' || field === 'networks')) return mergeNamed(base, over);
  if (path.length === 3 && isSeq(base) && isSeq(over)) {
    const key = UNIQUE_KEYS[field];
    if (key) return mergeUnique(base, over, key, path);
  }
  return null;
}

function mergeMaps(base: YMap, over: YMap, path: Path): YNode {
  if (path.length === 3 && path[0] === 'services' && path[2] === 'logging') {
    const baseDriver = scalarString(get(base, 'driver'));
    const overDriver = scalarString(get(over, 'driver'));
    if (baseDriver && overDriver && baseDriver !== overDriver) return stripTags(over);
  }
  // Slots keep the base's order; removed keys (`!reset`) leave a hole.
  const slots: (YPair | undefined)[] = [...base.pairs];
  const index = new Map<string, number>();
  slots.forEach((p, i) => {
    index.set(keyString(p!.key), i);
  });
  for (const pair of over.pairs) {
    const name = keyString(pair.key);
    const at = index.get(name);
    const existing = at === undefined ? undefined : slots[at];
    if (at === undefined || !existing) {
      if (pair.value.tag === '!reset') continue;
      index.set(name, slots.length);
      slots.push({ ...pair, value: stripTags(pair.value) });
      continue;
    }
    const merged = mergeNode(existing.value, pair.value, [...path, name]);
    slots[at] = merged === undefined ? undefined : { ...pair, value: merged };
  }
  const pairs = slots.filter((p): p is YPair => p !== undefined);
  return { ...base, pairs };
}

function appendUnique(base: YSeq, over: YSeq): YSeq {
  const items = [...base.items];
  const seen = new Set(items.filter(isScalar).map((s) => String(s.value)));
  for (const item of over.items) {
    if (isScalar(item)) {
      const value = String(item.value);
      if (seen.has(value)) continue;
      seen.add(value);
    }
    items.push(stripTags(item));
  }
  return { ...base, items };
}

/** Entries of `KEY=value` lists or maps, keyed by name. */
interface KeyedEntry {
  name: string;
  /** The node as written: a `KEY=value` scalar, or the map pair's value. */
  item: YNode;
  pair?: YPair;
}

function keyedEntries(node: YNode): KeyedEntry[] | null {
  if (isMap(node)) return node.pairs.map((pair) => ({ name: keyString(pair.key), item: pair.value, pair }));
  if (isSeq(node)) {
    return node.items.map((item) => {
      const text = scalarString(item) ?? '';
      const eq = text.indexOf('=');
      return { name: eq === -1 ? text : text.slice(0, eq), item };
    });
  }
  return null;
}

function mergeKeyedEntries(base: YNode, over: YNode): YNode {
  const baseEntries = keyedEntries(base);
  const overEntries = keyedEntries(over);
  if (!baseEntries || !overEntries) return stripTags(over);
  if (isSeq(base) && isSeq(over)) {
    const merged = new Map<string, YNode>();
    for (const e of [...baseEntries, ...overEntries]) merged.set(e.name, e.item);
    return { ...base, items: [...merged.values()] };
  }
  // Mixed or map forms: the result is a map; list items become pairs.
  const pairs = new Map<string, YPair>();
  for (const e of [...baseEntries, ...overEntries]) pairs.set(e.name, e.pair ?? listItemAsPair(e));
  const target = isMap(base) ? base : (over as YMap);
  return { ...target, pairs: [...pairs.values()] };
}

/** `KEY=value` written in a list, seen as the pair `KEY: value` with the spans of its parts. */
function listItemAsPair(entry: KeyedEntry): YPair {
  const item = entry.item as YScalar;
  const text = String(item.value ?? '');
  const eq = text.indexOf('=');
  const key: YScalar = { kind: 'scalar', value: entry.name, style: 'plain', span: item.span };
  const value: YScalar = { ...item, value: eq === -1 ? null : text.slice(eq + 1) };
  return { key, value };
}

function mergeNamed(base: YNode, over: YNode): YNode {
  if (isSeq(base) && isSeq(over)) return appendUnique(base, over);
  const asMap = (node: YNode): YMap | null => {
    if (isMap(node)) return node;
    if (!isSeq(node)) return null;
    return {
      kind: 'map',
      span: node.span,
      pairs: node.items.filter(isScalar).map((item) => ({
        key: item,
        value: { kind: 'scalar', value: null, style: 'plain', span: item.span } as YScalar,
      })),
    };
  };
  const b = asMap(base);
  const o = asMap(over);
  if (!b || !o) return stripTags(over);
  return mergeMaps(b, o, []);
}

type UniqueKey = (item: YNode) => string | undefined;

const UNIQUE_KEYS: Record<string, UniqueKey> = {
  volumes: (item) => (isMap(item) ? scalarString(get(item, 'target')) : volumeTarget(scalarString(item))),
  secrets: (item) => objectTarget(item),
  configs: (item) => objectTarget(item),
  ports: (item) => portKey(item),
};

function objectTarget(item: YNode): string | undefined {
  if (isMap(item)) return scalarString(get(item, 'target')) ?? scalarString(get(item, 'source'));
  return scalarString(item);
}

/** The container path of a short volume (`src:/target:ro` → `/target`). */
export function volumeTarget(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const parts = spec.split(':');
  return parts.length >= 2 ? parts[1] : parts[0];
}

/** What a port publishes, the same for its short and long syntax: overlays merge ports by it. */
function portKey(item: YNode): string | undefined {
  const range = (r: PortRange | undefined): string => (r ? `${r.start}-${r.end}` : '');
  if (isMap(item)) {
    const f = (k: string) => scalarString(get(item, k)) ?? '';
    const part = (k: string): string => {
      const parsed = parsePortRange(f(k), k, true);
      return parsed.ok ? range(parsed.range) : f(k);
    };
    return [f('host_ip'), part('target'), f('published') && part('published'), (f('protocol') || 'tcp').toLowerCase()].join('|');
  }
  const parsed = parsePortMapping(scalarString(item) ?? '', { allowZeroTarget: true });
  if (!parsed.ok) return undefined;
  const { hostIp, published, target, protocol } = parsed.port;
  return [hostIp ?? '', range(target), range(published), protocol.toLowerCase()].join('|');
}

function mergeUnique(base: YSeq, over: YSeq, keyOf: UniqueKey, path: Path): YSeq {
  const items = [...base.items];
  for (const item of over.items) {
    const key = keyOf(item);
    const index = key === undefined ? -1 : items.findIndex((existing) => keyOf(existing) === key);
    if (index === -1) items.push(stripTags(item));
    else {
      const existing = items[index]!;
      items[index] = isMap(existing) && isMap(item) ? (mergeMaps(existing, item, [...path, String(index)]) as YNode) : stripTags(item);
    }
  }
  return { ...base, items };
}

/** Removes the merge-only tags (`!reset`, `!override`) from a node used as is. */
function stripTags<T extends YNode>(node: T): T {
  if (node.tag !== '!reset' && node.tag !== '!override') return node;
  const copy = { ...node };
  delete copy.tag;
  return copy;
}
