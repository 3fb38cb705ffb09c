import { clip } from '../text.js';
import type { SubstitutionForm } from '../yaml/nodes.js';

/**
 * Compose-spec variable interpolation over one string:
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`,
 * `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, `$$` for a literal `$`, and
 * nested templates inside defaults, alternatives and error texts.
 *
 * Branches are evaluated lazily, as a shell does: an error inside a default
 * that is not used does not fire.
 */

/** Looks a variable up: `undefined` means unset, `''` means set but empty. */
export type Lookup = (name: string) => string | undefined;

export interface TemplateRef {
  name: string;
  form: SubstitutionForm;
  argument?: string;
  /** Offsets of the whole reference within the template. */
  start: number;
  end: number;
  set: boolean;
  defaulted: boolean;
}

/** Deeper `${A:-${B:-…}}` nesting than this is refused (the parser and evaluator recurse per level). */
export const MAX_INTERPOLATION_DEPTH = 64;
/** An interpolated string longer than this (UTF-16 units) is cut and reported. */
export const MAX_INTERPOLATED_LENGTH = 1024 * 1024;

export interface TemplateError {
  /** `limit`: a nesting or size limit was reached (the message names it). */
  kind: 'invalid' | 'required' | 'limit';
  message: string;
  start: number;
  end: number;
  /** For `required`: the variable. */
  name?: string;
}

export interface TemplateResult {
  value: string;
  refs: TemplateRef[];
  errors: TemplateError[];
}

export interface TemplateOptions {
  /**
   * Lenient mode (env files): a `$` that starts no reference stays literal and
   * an unterminated `${` is kept as text, instead of being errors.
   */
  lenient?: boolean;
  /** The longest value to produce (default MAX_INTERPOLATED_LENGTH); longer values are cut and reported as a `limit` error. */
  maxLength?: number;
}

type Segment =
  | { type: 'text'; text: string }
  | {
      type: 'ref';
      name: string;
      form: SubstitutionForm;
      argument?: Segment[];
      argumentText?: string;
      start: number;
      end: number;
    }
  | { type: 'invalid'; start: number; end: number; message: string; limit?: true };

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const OPERATORS: SubstitutionForm[] = [':-', ':?', ':+', '-', '?', '+'];

/** Interpolates `template` with `lookup`. Never throws. */
export function interpolateString(template: string, lookup: Lookup, options: TemplateOptions = {}): TemplateResult {
  if (!template.includes('$')) return { value: template, refs: [], errors: [] };
  const parser = new TemplateParser(template, options.lenient ?? false);
  const segments = parser.parseUntil(false, 0);
  const refs: TemplateRef[] = [];
  const errors: TemplateError[] = [];
  collectRefs(segments, template, lookup, refs);
  const budget = { left: options.maxLength ?? MAX_INTERPOLATED_LENGTH, cut: false };
  let value = evaluate(segments, lookup, errors, budget);
  if (budget.cut) {
    const limit = options.maxLength ?? MAX_INTERPOLATED_LENGTH;
    value = value.slice(0, limit);
    errors.push({
      kind: 'limit',
      start: 0,
      end: template.length,
      message: `the interpolated value is longer than ${limit} characters (galley's limit); it was cut. Do variables expand to copies of each other?`,
    });
  }
  refs.sort((a, b) => a.start - b.start);
  return { value, refs, errors };
}

/** True when the string contains anything interpolation would change. */
export function hasInterpolation(text: string): boolean {
  return text.includes('$');
}

class TemplateParser {
  pos = 0;

  constructor(
    private readonly s: string,
    private readonly lenient: boolean,
  ) {}

  /** Parses text until the end, or until an unmatched `}` when `inBraces`. */
  parseUntil(inBraces: boolean, depth: number): Segment[] {
    const out: Segment[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push({ type: 'text', text });
      text = '';
    };
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (inBraces && c === '}') break;
      if (c !== '$') {
        text += c;
        this.pos++;
        continue;
      }
      const next = s[this.pos + 1];
      if (next === '$') {
        text += '$';
        this.pos += 2;
        continue;
      }
      if (next !== undefined && NAME_START.test(next)) {
        flush();
        const start = this.pos;
        this.pos++;
        const name = this.readName();
        out.push({ type: 'ref', name, form: 'plain', start, end: this.pos });
        continue;
      }
      if (next === '{') {
        flush();
        out.push(this.braced(depth + 1));
        continue;
      }
      // A `$` that starts no reference.
      if (this.lenient) {
        text += '$';
        this.pos++;
        continue;
      }
      flush();
      out.push({
        type: 'invalid',
        start: this.pos,
        end: this.pos + 1,
        message: `invalid interpolation format: "${clip(s)}"; a lone "$" must be escaped as "$$"`,
      });
      this.pos++;
    }
    flush();
    return out;
  }

  readName(): string {
    const s = this.s;
    const start = this.pos;
    while (this.pos < s.length && NAME_CHAR.test(s[this.pos]!)) this.pos++;
    return s.slice(start, this.pos);
  }

  braced(depth: number): Segment {
    const s = this.s;
    const start = this.pos;
    if (depth > MAX_INTERPOLATION_DEPTH) {
      this.invalidBraced(start, '');
      return {
        type: 'invalid',
        start,
        end: this.pos,
        limit: true,
        message: `interpolation nested deeper than ${MAX_INTERPOLATION_DEPTH} levels of "\${…}" (galley's limit); "${clip(s.slice(start, this.pos))}" is not expanded`,
      };
    }
    this.pos += 2; // `${`
    const nameStart = this.pos;
    const name = NAME_START.test(s[this.pos] ?? '') ? this.readName() : '';
    if (!name) return this.invalidBraced(start, `invalid interpolation format: "${clip(s)}"; "\${" must be followed by a variable name`);
    if (s[this.pos] === '}') {
      this.pos++;
      return { type: 'ref', name, form: 'plain', start, end: this.pos };
    }
    if (this.pos >= s.length) {
      if (this.lenient) return { type: 'text', text: s.slice(start) };
      return { type: 'invalid', start, end: s.length, message: `invalid interpolation format: "${clip(s)}"; "\${" is not closed with "}"` };
    }
    const op = OPERATORS.find((o) => s.startsWith(o, this.pos));
    if (!op) {
      const bad = s.slice(nameStart, Math.min(s.length, this.pos + 1));
      return this.invalidBraced(start, `invalid interpolation format: "${clip(s)}"; "\${${clip(bad)}" is not a known substitution (use :-, -, :?, ?, :+ or +)`);
    }
    this.pos += op.length;
    const argStart = this.pos;
    const argument = this.parseUntil(true, depth);
    if (s[this.pos] !== '}') {
      if (this.lenient) return { type: 'text', text: s.slice(start) };
      return { type: 'invalid', start, end: s.length, message: `invalid interpolation format: "${clip(s)}"; "\${" is not closed with "}"` };
    }
    const argumentText = s.slice(argStart, this.pos);
    this.pos++;
    return { type: 'ref', name, form: op, argument, argumentText, start, end: this.pos };
  }

  /** Skips to the matching `}` (or the end) after a malformed `${`. */
  invalidBraced(start: number, message: string): Segment {
    const s = this.s;
    let depth = 1;
    let i = start + 2;
    for (; i < s.length && depth > 0; i++) {
      if (s[i] === '{' && s[i - 1] === '$') depth++;
      else if (s[i] === '}') depth--;
    }
    this.pos = i;
    if (this.lenient || !message) return { type: 'text', text: s.slice(start, i) };
    return { type: 'invalid', start, end: i, message };
  }
}

function collectRefs(segments: Segment[], template: string, lookup: Lookup, refs: TemplateRef[]): void {
  for (const seg of segments) {
    if (seg.type !== 'ref') continue;
    const value = lookup(seg.name);
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    let defaulted = false;
    if (seg.form === ':-') defaulted = !nonEmpty;
    else if (seg.form === '-') defaulted = !set;
    else if (seg.form === ':+') defaulted = nonEmpty;
    else if (seg.form === '+') defaulted = set;
    const ref: TemplateRef = { name: seg.name, form: seg.form, start: seg.start, end: seg.end, set, defaulted };
    if (seg.argumentText !== undefined) ref.argument = seg.argumentText;
    refs.push(ref);
    if (seg.argument) collectRefs(seg.argument, template, lookup, refs);
  }
}

interface Budget {
  /** Characters that may still be produced. */
  left: number;
  cut: boolean;
}

function evaluate(segments: Segment[], lookup: Lookup, errors: TemplateError[], budget: Budget): string {
  let out = '';
  for (const seg of segments) {
    if (budget.cut) break;
    if (seg.type === 'text') {
      out += take(seg.text, budget);
      continue;
    }
    if (seg.type === 'invalid') {
      errors.push({ kind: seg.limit ? 'limit' : 'invalid', message: seg.message, start: seg.start, end: seg.end });
      continue;
    }
    const value = lookup(seg.name);
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    const arg = () => (seg.argument ? evaluate(seg.argument, lookup, errors, budget) : '');
    switch (seg.form) {
      case 'plain':
        out += take(value ?? '', budget);
        break;
      case ':-':
        out += nonEmpty ? take(value, budget) : arg();
        break;
      case '-':
        out += set ? take(value, budget) : arg();
        break;
      case ':+':
        out += nonEmpty ? arg() : '';
        break;
      case '+':
        out += set ? arg() : '';
        break;
      case ':?':
      case '?': {
        const ok = seg.form === ':?' ? nonEmpty : set;
        if (ok) {
          out += take(value ?? '', budget);
          break;
        }
        const detail = arg();
        errors.push({
          kind: 'required',
          name: seg.name,
          start: seg.start,
          end: seg.end,
          message: `required variable ${seg.name} is missing a value${detail ? `: ${clip(detail)}` : ''}`,
        });
        break;
      }
    }
  }
  return out;
}

/** Counts `text` against the budget; returns what fits. */
function take(text: string, budget: Budget): string {
  if (text.length <= budget.left) {
    budget.left -= text.length;
    return text;
  }
  const part = text.slice(0, budget.left);
  budget.left = 0;
  budget.cut = true;
  return part;
}
