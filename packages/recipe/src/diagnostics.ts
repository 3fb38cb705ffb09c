import { formatLocation } from '@galley/platform';

/**
 * Where something is written: a file relative to the recipe root, 1-based
 * line and column of the first character, and the 1-based line and column
 * just after the last character (exclusive, as SARIF and LSP expect).
 * Offsets are 0-based UTF-16 indexes into the file's text.
 */
export interface Span {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  offset: number;
  endOffset: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found while reading a recipe: a value, never thrown. */
export interface Diagnostic {
  /** Stable machine-readable code, e.g. `yaml-syntax`, `duplicate-key`. */
  code: string;
  severity: Severity;
  message: string;
  span?: Span;
  /** Other places that explain the problem (the first of two duplicate keys, …). */
  related?: { message: string; span: Span }[];
  /** What the problem is about, when it has a name (the variable of `interpolation-required`). */
  subject?: string;
}

/** `file:line:col: message` — the one-line form every command prints. */
export function formatDiagnostic(d: Pick<Diagnostic, 'message' | 'span'>, file?: string): string {
  const where = formatLocation(d.span, file);
  return where ? `${where}: ${d.message}` : d.message;
}
