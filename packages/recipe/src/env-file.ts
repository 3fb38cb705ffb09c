import type { Diagnostic, Span } from './diagnostics.js';
import { interpolateString } from './interpolation/template.js';
import { LineIndex } from './text.js';

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
          message: `not a NAME=value line: "${content.trim()}"`,
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
    const expanded = parsed.quote === "'" ? parsed.raw : interpolateString(parsed.raw, lookup, { lenient: true }).value;
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

/** Active values, later lines winning. */
export function envValues(env: EnvFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of env.entries) if (!e.commented) out.set(e.name, e.value);
  return out;
}
