import { closestName, getPair, isMap, isSeq, type Span, type YNode, type YScalar } from '@galley/recipe';
import type { ErrorObject } from 'ajv';

/**
 * Turns ajv's errors (allErrors, verbose) over a YAML tree into problems a
 * person can act on: one per location, at the offending key's or value's
 * exact span, naming the key, with "did you mean" for unknown keys. The
 * noise of `oneOf`/`anyOf` (one error per failed alternative) collapses into
 * the errors of the alternative that matched the value's type, or into one
 * "must be X or Y" message.
 */
export interface SchemaProblem {
  kind: 'unknown-key' | 'invalid-name' | 'type' | 'enum' | 'required' | 'invalid';
  /** Where: the unknown key, the wrong value, or the key of the map missing something. */
  span: Span;
  /** The instance path as keys and indexes. */
  path: (string | number)[];
  /** `services.app.deploy` style, for messages. */
  where: string;
  /** The key the problem is about (unknown key, missing key, or the last key of the path). */
  key: string;
  message: string;
  /** For unknown keys: the closest allowed key. */
  suggestion?: string;
}

interface Located {
  node: YNode | undefined;
  /** The key scalar of the last map step (absent at the root or after an index). */
  key: YScalar | undefined;
}

/** Follows JSON-pointer segments through the tree. */
export function locate(root: YNode, path: (string | number)[]): Located {
  let node: YNode | undefined = root;
  let key: YScalar | undefined;
  for (const step of path) {
    if (!node) break;
    if (isSeq(node)) {
      const index = typeof step === 'number' ? step : Number(step);
      node = node.items[index];
      key = undefined;
    } else if (isMap(node)) {
      const pair = getPair(node, String(step));
      node = pair?.value;
      key = pair?.key;
    } else {
      node = undefined;
    }
  }
  return { node, key };
}

export function parsePointer(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number' || /^\d+$/.test(step)) out += `[${step}]`;
    else out += out ? `.${step}` : step;
  }
  return out || 'the top level';
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function typeName(type: string): string {
  return ARTICLE[type] ?? type;
}

function actualType(data: unknown): string {
  if (data === null || data === undefined) return 'empty';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a mapping';
  if (typeof data === 'number') return Number.isInteger(data) ? `the number ${data}` : `the number ${data}`;
  if (typeof data === 'boolean') return `the boolean ${data}`;
  const text = String(data);
  return `the string "${text.length > 40 ? `${text.slice(0, 37)}…` : text}"`;
}

function joinOr(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/** The closest name, when it is close enough to be a likely typo (the recipe model's). */

interface Raw {
  error: ErrorObject;
  path: string[];
  /** Where the problem shows: the unknown key for additionalProperties, else the instance path. */
  at: string[];
}

const COMPOUND = new Set(['oneOf', 'anyOf']);

function under(path: string[], prefix: string[]): boolean {
  return path.length > prefix.length && prefix.every((s, i) => path[i] === s);
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => b[i] === s);
}

/** Describes every error at its location; never throws. `fallback` is used where the tree has no node. */
export function describeSchemaErrors(errors: readonly ErrorObject[], root: YNode | null, fallback: Span): SchemaProblem[] {
  const raws: Raw[] = errors
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'not' && e.keyword !== '$ref')
    .map((error) => {
      const path = parsePointer(error.instancePath);
      const extra = error.keyword === 'additionalProperties' ? String((error.params as { additionalProperty: string }).additionalProperty) : undefined;
      return { error, path, at: extra === undefined ? path : [...path, extra] };
    });

  const problems: SchemaProblem[] = [];
  const dropped = new Set<Raw>();
  // Innermost alternatives first, so an outer oneOf sees the inner ones already settled.
  const compounds = raws.filter((r) => COMPOUND.has(r.error.keyword)).sort((a, b) => b.path.length - a.path.length);
  for (const compound of compounds) {
    dropped.add(compound);
    const rest = raws.filter((r) => !dropped.has(r) && !COMPOUND.has(r.error.keyword));
    const deeper = rest.filter((r) => under(r.at, compound.path));
    const here = rest.filter((r) => same(r.at, compound.path));
    if (deeper.length > 0) {
      // One alternative matched the value's shape and failed inside: keep its errors, drop the other alternatives' type errors.
      for (const r of here) if (r.error.keyword === 'type' || r.error.keyword === 'const' || r.error.keyword === 'enum') dropped.add(r);
      continue;
    }
    for (const r of here) dropped.add(r);
    const types = here.filter((r) => r.error.keyword === 'type').flatMap((r) => String((r.error.params as { type: string }).type).split(','));
    const enums = here
      .filter((r) => r.error.keyword === 'enum')
      .flatMap((r) => ((r.error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)));
    const wanted = [...types.map(typeName), ...(enums.length ? [`one of ${enums.join(', ')}`] : [])];
    const others = here.filter((r) => r.error.keyword !== 'type' && r.error.keyword !== 'enum').map((r) => r.error.message ?? '');
    const description =
      wanted.length > 0
        ? `must be ${joinOr(wanted)}, not ${actualType(compound.error.data)}`
        : others.length > 0
          ? joinOr(others)
          : compound.error.keyword === 'oneOf' && (compound.error.params as { passingSchemas?: unknown }).passingSchemas
            ? 'matches more than one of the allowed forms'
            : `is not any of the allowed forms (${actualType(compound.error.data)})`;
    problems.push(problem('type', compound.path, root, fallback, description));
  }

  for (const raw of raws) {
    if (dropped.has(raw) || COMPOUND.has(raw.error.keyword)) continue;
    problems.push(describeOne(raw, root, fallback));
  }

  // One problem per location and message (aliases share nodes; alternatives repeat).
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const id = `${p.span.file}:${p.span.offset}:${p.span.endOffset}:${p.message}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => a.span.offset - b.span.offset || a.span.endOffset - b.span.endOffset || (a.message < b.message ? -1 : 1));
}

function problem(kind: SchemaProblem['kind'], path: string[], root: YNode | null, fallback: Span, description: string, key?: string): SchemaProblem {
  const located = root ? locate(root, path) : { node: undefined, key: undefined };
  const span = located.node?.span ?? located.key?.span ?? fallback;
  const name = key ?? String(path[path.length - 1] ?? '');
  const where = formatPath(path);
  return { kind, span, path, where, key: name, message: `${where} ${description}` };
}

function describeOne(raw: Raw, root: YNode | null, fallback: Span): SchemaProblem {
  const { error, path } = raw;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const parent = (error.parentSchema ?? {}) as { properties?: Record<string, unknown>; patternProperties?: Record<string, unknown> };
      const allowed = Object.keys(parent.properties ?? {});
      const patterns = Object.keys(parent.patternProperties ?? {});
      const located = root ? locate(root, [...path, name]) : { node: undefined, key: undefined };
      const span = located.key?.span ?? located.node?.span ?? fallback;
      const where = formatPath(path);
      if (allowed.length === 0 && patterns.length > 0) {
        return {
          kind: 'invalid-name',
          span,
          path: [...path, name],
          where,
          key: name,
          message: `"${name}" is not a valid name ${path.length ? `in ${where}` : 'at the top level'}: names must match ${patterns.map((p) => `/${p}/`).join(' or ')}`,
        };
      }
      const suggestion = closestName(name, allowed);
      const extension = patterns.includes('^x-') ? '; custom keys must start with "x-"' : '';
      const out: SchemaProblem = {
        kind: 'unknown-key',
        span,
        path: [...path, name],
        where,
        key: name,
        message: `unknown key "${name}" ${path.length ? `in ${where}` : 'at the top level'}${suggestion ? `: did you mean "${suggestion}"?` : extension}`,
      };
      if (suggestion) out.suggestion = suggestion;
      return out;
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const located = root ? locate(root, path) : { node: undefined, key: undefined };
      const span = located.key?.span ?? located.node?.span ?? fallback;
      const where = formatPath(path);
      return { kind: 'required', span, path, where, key: missing, message: `${where} is missing the required key "${missing}"` };
    }
    case 'type':
      return problem('type', path, root, fallback, `must be ${joinOr(String(params.type).split(',').map(typeName))}, not ${actualType(error.data)}`);
    case 'enum': {
      const allowed = ((params.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v));
      const suggestion = typeof error.data === 'string' ? closestName(error.data, ((params.allowedValues as unknown[]) ?? []).map(String)) : undefined;
      const p = problem(
        'enum',
        path,
        root,
        fallback,
        `must be one of ${allowed.join(', ')}, not ${actualType(error.data)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      );
      if (suggestion) p.suggestion = suggestion;
      return p;
    }
    case 'const':
      return problem('enum', path, root, fallback, `must be ${JSON.stringify(params.allowedValue)}, not ${actualType(error.data)}`);
    case 'pattern':
      return problem('invalid', path, root, fallback, `must match /${String(params.pattern)}/, not ${actualType(error.data)}`);
    case 'uniqueItems':
    case 'uniqueItemsLinear':
      return problem('invalid', path, root, fallback, `must not repeat items (items ${String(params.j)} and ${String(params.i)} are the same)`);
    default:
      return problem('invalid', path, root, fallback, error.message ?? `fails the schema's "${error.keyword}" check`);
  }
}
