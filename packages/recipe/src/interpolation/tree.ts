import type { Diagnostic, Span } from '../diagnostics.js';
import type { LineIndex } from '../text.js';
import type { VariableRef, YMap, YNode, YPair, YScalar } from '../yaml/nodes.js';
import { keyString } from '../yaml/nodes.js';
import { interpolateString, type Lookup, MAX_INTERPOLATED_LENGTH } from './template.js';

/** The most characters interpolation may produce over a whole compose tree. */
export const MAX_TREE_INTERPOLATED_LENGTH = 16 * 1024 * 1024;

/** A variable reference found somewhere in a compose tree. */
export interface TreeVariableRef extends VariableRef {
  /** Keys from the root to the scalar, e.g. `['services', 'app', 'image']`. */
  path: string[];
  /** The span of the whole scalar that contains the reference. */
  scalarSpan: Span;
}

export interface InterpolatedTree {
  root: YNode | null;
  refs: TreeVariableRef[];
  diagnostics: Diagnostic[];
}

export interface TreeInterpolationOptions {
  lookup: Lookup;
  /** Text of each file by name, to place references at their exact column. */
  files?: ReadonlyMap<string, LineIndex>;
}

type Cast = 'int' | 'float' | 'bool';

/**
 * Fields that compose reads as numbers or booleans even when written as a
 * `${VAR}` string: after interpolation their values are converted, as
 * compose-go does, so the schema check sees the real type.
 */
const CASTS: [pattern: string[], cast: Cast][] = [
  [['services', '*', 'configs', '#', 'mode'], 'int'],
  [['services', '*', 'secrets', '#', 'mode'], 'int'],
  [['services', '*', 'cpu_count'], 'int'],
  [['services', '*', 'cpu_percent'], 'float'],
  [['services', '*', 'cpu_period'], 'int'],
  [['services', '*', 'cpu_quota'], 'int'],
  [['services', '*', 'cpu_shares'], 'int'],
  [['services', '*', 'cpus'], 'float'],
  [['services', '*', 'init'], 'bool'],
  [['services', '*', 'deploy', 'replicas'], 'int'],
  [['services', '*', 'deploy', 'update_config', 'parallelism'], 'int'],
  [['services', '*', 'deploy', 'update_config', 'max_failure_ratio'], 'float'],
  [['services', '*', 'deploy', 'rollback_config', 'parallelism'], 'int'],
  [['services', '*', 'deploy', 'rollback_config', 'max_failure_ratio'], 'float'],
  [['services', '*', 'deploy', 'restart_policy', 'max_attempts'], 'int'],
  [['services', '*', 'deploy', 'placement', 'max_replicas_per_node'], 'int'],
  [['services', '*', 'deploy', 'resources', 'limits', 'cpus'], 'float'],
  [['services', '*', 'deploy', 'resources', 'limits', 'pids'], 'int'],
  [['services', '*', 'deploy', 'resources', 'reservations', 'cpus'], 'float'],
  [['services', '*', 'healthcheck', 'retries'], 'int'],
  [['services', '*', 'healthcheck', 'disable'], 'bool'],
  [['services', '*', 'oom_kill_disable'], 'bool'],
  [['services', '*', 'oom_score_adj'], 'int'],
  [['services', '*', 'pids_limit'], 'int'],
  [['services', '*', 'ports', '#', 'target'], 'int'],
  [['services', '*', 'ports', '#', 'published'], 'int'],
  [['services', '*', 'privileged'], 'bool'],
  [['services', '*', 'read_only'], 'bool'],
  [['services', '*', 'scale'], 'int'],
  [['services', '*', 'stdin_open'], 'bool'],
  [['services', '*', 'tty'], 'bool'],
  [['services', '*', 'ulimits', '*'], 'int'],
  [['services', '*', 'ulimits', '*', 'hard'], 'int'],
  [['services', '*', 'ulimits', '*', 'soft'], 'int'],
  [['services', '*', 'volumes', '#', 'read_only'], 'bool'],
  [['services', '*', 'volumes', '#', 'volume', 'nocopy'], 'bool'],
  [['networks', '*', 'external'], 'bool'],
  [['networks', '*', 'internal'], 'bool'],
  [['networks', '*', 'attachable'], 'bool'],
  [['volumes', '*', 'external'], 'bool'],
  [['secrets', '*', 'external'], 'bool'],
  [['configs', '*', 'external'], 'bool'],
];

function matches(pattern: string[], path: string[]): boolean {
  if (pattern.length !== path.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === '*') continue;
    if (p === '#') {
      if (!/^\d+$/.test(path[i]!)) return false;
      continue;
    }
    if (p !== path[i]) return false;
  }
  return true;
}

function castFor(path: string[]): Cast | undefined {
  for (const [pattern, cast] of CASTS) if (matches(pattern, path)) return cast;
  return undefined;
}

const TRUE_WORDS = new Set(['y', 'yes', 'true', 'on']);
const FALSE_WORDS = new Set(['n', 'no', 'false', 'off']);

function cast(value: string, to: Cast): string | number | boolean {
  const text = value.trim();
  if (to === 'int' && /^[+-]?\d+$/.test(text)) return Number(text);
  if (to === 'float' && text !== '' && Number.isFinite(Number(text))) return Number(text);
  if (to === 'bool') {
    const lower = text.toLowerCase();
    if (TRUE_WORDS.has(lower)) return true;
    if (FALSE_WORDS.has(lower)) return false;
  }
  return value;
}

/**
 * Interpolates every string scalar of a compose tree (values only: keys stay
 * literal, as in compose-go and docker/cli). Returns a new tree; each changed scalar keeps its span and carries an
 * `interpolation` trace with the raw text and every variable reference, whose
 * own span points at the exact `${…}` in the file where that can be computed.
 */
export function interpolateTree(root: YNode | null, options: TreeInterpolationOptions): InterpolatedTree {
  const refs: TreeVariableRef[] = [];
  const diagnostics: Diagnostic[] = [];
  // Shared by every scalar: many small references to a long value must not add up to gigabytes.
  let budget = MAX_TREE_INTERPOLATED_LENGTH;
  let exhausted = false;

  const scalar = (node: YScalar, path: string[]): YScalar => {
    if (typeof node.value !== 'string' || !node.value.includes('$')) return node;
    if (exhausted) return node;
    const raw = node.value;
    const result = interpolateString(raw, options.lookup, { maxLength: Math.min(MAX_INTERPOLATED_LENGTH, budget) });
    budget -= result.value.length;
    if (budget <= 0) {
      exhausted = true;
      diagnostics.push({
        code: 'interpolation-invalid',
        severity: 'error',
        message: `${path.join('.')}: interpolation produces more than ${MAX_TREE_INTERPOLATED_LENGTH} characters over the file (galley's limit); the values from here on are not interpolated`,
        span: node.span,
      });
    }
    const valueOffset = exactValueOffset(node, options.files);
    const located: VariableRef[] = result.refs.map((ref) => {
      const out: VariableRef = { ...ref };
      if (valueOffset !== undefined) {
        const index = options.files?.get(node.span.file);
        if (index) out.span = index.span(node.span.file, valueOffset + ref.start, valueOffset + ref.end);
      }
      refs.push({ ...out, path, scalarSpan: node.span });
      return out;
    });
    for (const error of result.errors) {
      if (exhausted && error.kind === 'limit') continue;
      const index = options.files?.get(node.span.file);
      const span = valueOffset !== undefined && index ? index.span(node.span.file, valueOffset + error.start, valueOffset + error.end) : node.span;
      diagnostics.push({
        code: error.kind === 'required' ? 'interpolation-required' : 'interpolation-invalid',
        severity: 'error',
        message: `${path.join('.')}: ${error.message}`,
        span,
        ...(error.name ? { subject: error.name } : {}),
      });
    }
    const to = castFor(path);
    const out: YScalar = {
      ...node,
      value: to ? cast(result.value, to) : result.value,
      interpolation: { raw, refs: located },
    };
    return out;
  };

  // Copy on write: a node none of whose scalars change is returned as it is
  // (most of a compose file has no `$`), so interpolation allocates little.
  const walk = (node: YNode, path: string[]): YNode => {
    switch (node.kind) {
      case 'scalar':
        return scalar(node, path);
      case 'seq': {
        let items: YNode[] | undefined;
        node.items.forEach((item, i) => {
          const out = walk(item, [...path, String(i)]);
          if (out === item) return;
          items ??= node.items.slice();
          items[i] = out;
        });
        return items ? { ...node, items } : node;
      }
      case 'map': {
        // Keys stay as written: compose-go and docker/cli interpolate values only.
        let pairs: YPair[] | undefined;
        node.pairs.forEach((pair, i) => {
          const value = walk(pair.value, [...path, keyString(pair.key)]);
          if (value === pair.value) return;
          pairs ??= node.pairs.slice();
          pairs[i] = { ...pair, value };
        });
        const map: YMap = pairs ? { ...node, pairs } : node;
        return map;
      }
    }
  };

  return { root: root ? walk(root, []) : null, refs, diagnostics };
}

/**
 * The file offset where a scalar's value text starts, when the value is
 * written verbatim (plain, or quoted without escapes), else undefined.
 */
function exactValueOffset(node: YScalar, files: ReadonlyMap<string, LineIndex> | undefined): number | undefined {
  const index = files?.get(node.span.file);
  if (!index || typeof node.value !== 'string') return undefined;
  const source = index.text.slice(node.span.offset, node.span.endOffset);
  if (node.style === 'plain') return source === node.value ? node.span.offset : undefined;
  if (node.style === 'single' || node.style === 'double') {
    return source.slice(1, -1) === node.value ? node.span.offset + 1 : undefined;
  }
  return undefined;
}
