import type { Span } from '../diagnostics.js';
import { type ImageRefResult, parseImageRef } from '../image-ref.js';
import type { VariableRef, YMap, YNode, YPair, YScalar } from '../yaml/nodes.js';
import { entries, get, isMap, isScalar, isSeq, keyString, scalarString } from '../yaml/nodes.js';

/**
 * Read-only views over a compose tree (a file's or a merged stack's): the
 * services, top-level objects and what each service refers to, every item
 * with its node so callers can point at where it is written.
 */

export type TopLevelKind = 'networks' | 'volumes' | 'secrets' | 'configs';

export interface NamedNode {
  name: string;
  node: YNode;
  keySpan: Span;
  pair: YPair;
}

export interface ServiceNode extends NamedNode {
  node: YMap;
}

// Trees never change once built (interpolation copies what it changes), so
// what is read from a root is computed once: many rules ask for the same.
const servicesOf = new WeakMap<YNode, readonly ServiceNode[]>();
const topLevelOf = new WeakMap<YNode, Map<TopLevelKind, readonly NamedNode[]>>();
const NONE: readonly never[] = [];
const byName = new WeakMap<readonly NamedNode[], Map<string, NamedNode>>();

/** The first of `nodes` named `name`, through an index built once per list (lists are cached per tree). */
function named<T extends NamedNode>(nodes: readonly T[], name: string): T | undefined {
  let index = byName.get(nodes);
  if (!index) {
    index = new Map();
    for (const node of nodes) if (!index.has(node.name)) index.set(node.name, node);
    byName.set(nodes, index);
  }
  return index.get(name) as T | undefined;
}

/** The service `name` of a tree (the first, if written twice). */
export function serviceNamed(root: YNode | null | undefined, name: string): ServiceNode | undefined {
  return named(services(root), name);
}

/** The top-level network, volume, secret or config `name` of a tree. */
export function topLevelNamed(root: YNode | null | undefined, kind: TopLevelKind, name: string): NamedNode | undefined {
  return named(topLevel(root, kind), name);
}

export function services(root: YNode | null | undefined): readonly ServiceNode[] {
  if (!root) return NONE;
  let known = servicesOf.get(root);
  if (!known) {
    known = entries(get(root, 'services'))
      .filter(([, value]) => isMap(value))
      .map(([name, value, pair]) => ({ name, node: value as YMap, keySpan: pair.key.span, pair }));
    servicesOf.set(root, known);
  }
  return known;
}

export function topLevel(root: YNode | null | undefined, kind: TopLevelKind): readonly NamedNode[] {
  if (!root) return NONE;
  let byKind = topLevelOf.get(root);
  if (!byKind) {
    byKind = new Map();
    topLevelOf.set(root, byKind);
  }
  let known = byKind.get(kind);
  if (!known) {
    known = entries(get(root, kind)).map(([name, node, pair]) => ({ name, node, keySpan: pair.key.span, pair }));
    byKind.set(kind, known);
  }
  return known;
}

/** Whether a top-level network, volume, secret or config is `external: true`. */
export function isExternal(node: YNode): boolean {
  const external = get(node, 'external');
  return isScalar(external) && external.value === true;
}

export interface ServiceImage {
  service: string;
  node: YScalar;
  /** The image after interpolation. */
  value: string;
  /** The image as written (with `${…}` when interpolated). */
  written: string;
  parsed: ImageRefResult;
}

export function serviceImage(service: ServiceNode): ServiceImage | undefined {
  const node = get(service.node, 'image');
  if (!isScalar(node) || node.value === null) return undefined;
  const value = String(node.value);
  return { service: service.name, node, value, written: node.interpolation?.raw ?? value, parsed: parseImageRef(value) };
}

export interface ServiceReference {
  /** The name of the network, volume, secret, config or service referred to. */
  name: string;
  /** The node that names it (for spans). */
  node: YNode;
}

/** Names a service refers to: networks, named volumes, secrets, configs or `depends_on` services. */
export function serviceReferences(service: YMap, kind: TopLevelKind | 'depends_on'): ServiceReference[] {
  const value = get(service, kind);
  if (!value) return [];
  if (kind === 'networks' || kind === 'depends_on') {
    if (isMap(value)) return value.pairs.map((p) => ({ name: keyString(p.key), node: p.key }));
    if (isSeq(value)) return value.items.filter(isScalar).map((s) => ({ name: String(s.value), node: s }));
    return [];
  }
  if (!isSeq(value)) return [];
  const out: ServiceReference[] = [];
  for (const item of value.items) {
    if (isScalar(item)) {
      const text = scalarString(item) ?? '';
      if (kind === 'volumes') {
        const source = namedVolumeSource(text);
        if (source) out.push({ name: source, node: item });
      } else out.push({ name: text, node: item });
    } else if (isMap(item)) {
      const source = get(item, 'source');
      if (kind === 'volumes') {
        const type = scalarString(get(item, 'type')) ?? 'volume';
        const name = scalarString(source);
        if (type === 'volume' && name) out.push({ name, node: source! });
      } else if (scalarString(source)) out.push({ name: scalarString(source)!, node: source! });
    }
  }
  return out;
}

/** The volume name of a short volume spec, or undefined for bind mounts and anonymous volumes. */
export function namedVolumeSource(spec: string): string | undefined {
  const parts = spec.split(':');
  if (parts.length < 2) return undefined;
  const source = parts[0]!;
  if (!source || /^[./~]/.test(source) || source.includes('/') || source.includes('$')) return undefined;
  return source;
}

/** The `*_VERSION` variable that versions a secret's or config's `name:`, if any. */
export function versionVariable(object: YNode): VariableRef | undefined {
  const name = get(object, 'name');
  if (!isScalar(name)) return undefined;
  const refs = name.interpolation?.refs ?? [];
  for (let i = refs.length - 1; i >= 0; i--) if (refs[i]!.name.endsWith('_VERSION')) return refs[i];
  return undefined;
}

/** Variables passed through without a value (`environment: [FOO]` or `FOO:` with no value), with where each is written. */
export function passthroughEnvironmentNodes(service: YMap): { name: string; node: YNode }[] {
  const env = get(service, 'environment');
  if (isSeq(env)) return env.items.filter(isScalar).flatMap((s) => (s.value && !String(s.value).includes('=') ? [{ name: String(s.value), node: s }] : []));
  if (isMap(env)) return env.pairs.filter((p) => isScalar(p.value) && p.value.value === null).map((p) => ({ name: keyString(p.key), node: p.key }));
  return [];
}

/** Names of the variables passed through without a value. */
export function passthroughEnvironment(service: YMap): string[] {
  return passthroughEnvironmentNodes(service).map((p) => p.name);
}

/** Labels of `deploy.labels` or `labels` as a map, whether written as a list or a map. */
export function labelsOf(node: YNode | undefined): Map<string, { value: string; node: YNode }> {
  const out = new Map<string, { value: string; node: YNode }>();
  if (isMap(node)) {
    for (const p of node.pairs)
      out.set(keyString(p.key), { value: scalarString(p.value) ?? '', node: p.value.kind === 'scalar' && p.value.value === null ? p.key : p.value });
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const text = scalarString(item);
      if (text === undefined) continue;
      const eq = text.indexOf('=');
      out.set(eq === -1 ? text : text.slice(0, eq), { value: eq === -1 ? '' : text.slice(eq + 1), node: item });
    }
  }
  return out;
}
