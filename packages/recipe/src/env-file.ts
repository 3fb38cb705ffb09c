import type { Diagnostic, Span } from './diagnostics.js';
import { interpolateString } from './interpolation/template.js';
import { clip, LineIndex } from './text.js';

/**
 * One `NAME=value` line of an env file (`.env.sample` or an app's env file),
 * or a commented-out one (`#NAME=value`), which documents an optional setting.
 */
export interface EnvEntry {
  name: string;
  /** The value after unquoting and `$VAR` expansion from earlier lines. */
  value: string;
  /** The value as written, without the surrounding quotes. */
  raw: string;
  quote: '"' | "'" | null;
  /** True for `#NAME=value` lines: documented but off. */
  commented: boolean;
  /** `key=value` words of the trailing comment, e.g. `{ length: '32' }`. */
  modifiers: Record<string, string>;
  /** The trailing comment text after `#`, trimmed. */
  comment?: string;
  /** The whole line (or lines, for a multi-line quoted value). */
  span: Span;
  nameSpan: Span;
  valueSpan: Span;
  commentSpan?: Span;
}

export interface EnvFile {
  file: string;
  text: string;
  entries: EnvEntry[];
  diagnostics: Diagnostic[];
  lines: LineIndex;
}

/** The longest value `$VAR` expansion may produce in an env file (characters). */
export const MAX_ENV_VALUE_LENGTH = 64 * 1024;
/** The most characters the expanded values of one env file may add up to. */
export const MAX_ENV_EXPANDED_TOTAL = 4 * 1024 * 1024;

const ASSIGNMENT = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;
const COMMENTED_ASSIGNMENT = /^(\s*#+\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/;
const MODIFIER = /([A-Za-z_][\w-]*)=("[^"]*"|'[^']*'|\S+)/g;

/**
 * Parses dotenv syntax as abra reads it: optional quotes, `$VAR`/`${VAR}`
 * expansion from earlier lines in unquoted and double-quoted values, trailing
 * comments with modifiers, commented-out assignments, and positions.
 */
export function parseEnvFile(text: string, file: string): EnvFile {
  const lines = new LineIndex(text);
  const entries: EnvEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  const active = new Map<string, string>();
  const lookup = (name: string) => active.get(name);
  // What expansion may still produce: values that double each other ("billion laughs" in dotenv) stop here.
  let budget = MAX_ENV_EXPANDED_TOTAL;
  let limited = false;

  for (let line = 1; line <= lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const content = lines.lineText(line);
    if (!content.trim()) continue;

    const assignment = ASSIGNMENT.exec(content);
    const commented = assignment ? null : COMMENTED_ASSIGNMENT.exec(content);
    const match = assignment ?? commented;
    if (!match) {
      if (!content.trimStart().startsWith('#')) {
        diagnostics.push({
          code: 'env-syntax',
          severity: 'warning',
          message: `not a NAME=value line: "${clip(content.trim())}"`,
          span: lines.span(file, start, start + content.length),
        });
      }
      continue;
    }
    const name = match[3]!;
    const nameOffset = start + match[1]!.length + (match[2]?.length ?? 0);
    const valueOffset = start + match[0].length;
    const parsed = readValue(text, valueOffset, lines, line);
    if (parsed.unterminated && !commented) {
      diagnostics.push({
        code: 'env-syntax',
        severity: 'error',
        message: `the ${parsed.quote} quote of ${name} is never closed`,
        span: lines.span(file, valueOffset, valueOffset + 1),
      });
    }
    let expanded = parsed.raw;
    if (parsed.quote !== "'" && parsed.raw.includes('$')) {
      if (limited) expanded = '';
      else {
        const maxLength = Math.min(MAX_ENV_VALUE_LENGTH, budget);
        const result = interpolateString(parsed.raw, lookup, { lenient: true, maxLength });
        const limit = result.errors.find((e) => e.kind === 'limit');
        if (limit) {
          limited = true;
          expanded = '';
          diagnostics.push({
            code: 'env-limit',
            severity: 'error',
            message:
              maxLength < MAX_ENV_VALUE_LENGTH
                ? `the values of this file expand to more than ${MAX_ENV_EXPANDED_TOTAL} characters in all (galley's limit); ${name} and the values after it are not expanded`
                : /nested/.test(limit.message)
                  ? `${name}: ${limit.message}; it and the values after it are not expanded`
                  : `${name} expands to more than ${MAX_ENV_VALUE_LENGTH} characters (galley's limit): do its variables refer to each other over and over? It and the values after it are not expanded`,
            span: lines.span(file, parsed.valueStart, parsed.valueEnd),
          });
        } else expanded = result.value;
        budget -= expanded.length;
      }
    }
    const value = parsed.quote === '"' ? unescapeDouble(expanded) : expanded;
    const entry: EnvEntry = {
      name,
      value,
      raw: parsed.raw,
      quote: parsed.quote,
      commented: Boolean(commented),
      modifiers: parsed.comment ? parseModifiers(parsed.comment) : {},
      span: lines.span(file, start, parsed.lineEndOffset),
      nameSpan: lines.span(file, nameOffset, nameOffset + name.length),
      valueSpan: lines.span(file, parsed.valueStart, parsed.valueEnd),
    };
    if (parsed.comment !== undefined) {
      entry.comment = parsed.comment;
      entry.commentSpan = lines.span(file, parsed.commentStart!, parsed.lineEndOffset);
    }
    entries.push(entry);
    if (!entry.commented) active.set(name, value);
    line = parsed.lastLine;
  }
  return { file, text, entries, diagnostics, lines };
}

interface RawValue {
  raw: string;
  quote: '"' | "'" | null;
  valueStart: number;
  valueEnd: number;
  comment?: string;
  commentStart?: number;
  lineEndOffset: number;
  lastLine: number;
  unterminated: boolean;
}

function readValue(text: string, offset: number, lines: LineIndex, line: number): RawValue {
  let i = offset;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const first = text[i];
  if (first === '"' || first === "'") {
    const quote = first;
    let j = i + 1;
    while (j < text.length && text[j] !== quote) {
      if (quote === '"' && text[j] === '\\') j++;
      j++;
    }
    const unterminated = j >= text.length;
    const close = Math.min(j, text.length);
    const raw = text.slice(i + 1, close);
    const lastLine = lines.position(close).line;
    const rest = unterminated ? '' : restOfLine(text, close + 1);
    const result: RawValue = {
      raw,
      quote,
      valueStart: i + 1,
      valueEnd: close,
      lineEndOffset: unterminated ? text.length : close + 1 + rest.length,
      lastLine: unterminated ? lines.lineCount : lastLine,
      unterminated,
    };
    const hash = rest.indexOf('#');
    if (hash !== -1) {
      result.comment = rest.slice(hash + 1).trim();
      result.commentStart = close + 1 + hash;
    }
    return result;
  }
  const rest = restOfLine(text, i);
  // An unquoted value ends at ` #` (a trailing comment), as in abra's dotenv reader.
  const commentAt = rest.search(/(^|\s)#/);
  const valueText = commentAt === -1 ? rest : rest.slice(0, commentAt);
  const raw = valueText.trimEnd();
  const result: RawValue = {
    raw,
    quote: null,
    valueStart: i,
    valueEnd: i + raw.length,
    lineEndOffset: i + rest.length,
    lastLine: line,
    unterminated: false,
  };
  if (commentAt !== -1) {
    const hash = rest.indexOf('#', commentAt);
    result.comment = rest.slice(hash + 1).trim();
    result.commentStart = i + hash;
  }
  return result;
}

function restOfLine(text: string, from: number): string {
  const nl = text.indexOf('\n', from);
  return text.slice(from, nl === -1 ? text.length : nl).replace(/\r$/, '');
}

function unescapeDouble(value: string): string {
  return value.replace(/\\([\\"nrt$])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

/** `length=32 charset=special,safe generate=false` → a record. */
export function parseModifiers(comment: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of comment.matchAll(MODIFIER)) {
    out[m[1]!] = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

/** The last active (not commented) entry for a name. */
export function envEntry(env: EnvFile, name: string): EnvEntry | undefined {
  for (let i = env.entries.length - 1; i >= 0; i--) {
    const e = env.entries[i]!;
    if (e.name === name && !e.commented) return e;
  }
  return undefined;
}

const firstActive = new WeakMap<EnvFile, Map<string, EnvEntry>>();

/** The first active (not commented) entry for a name, through an index built once per file. */
export function firstEnvEntry(env: EnvFile, name: string): EnvEntry | undefined {
  let index = firstActive.get(env);
  if (!index) {
    index = new Map();
    for (const e of env.entries) if (!e.commented && !index.has(e.name)) index.set(e.name, e);
    firstActive.set(env, index);
  }
  return index.get(name);
}

/** Active values, later lines winning. */
export function envValues(env: EnvFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of env.entries) if (!e.commented) out.set(e.name, e.value);
  return out;
}
