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
}

/**
 * An error a person can act on. `code` is stable; `exitCode` is what the CLI
 * exits with (2: unusable input).
 */
export class GalleyError extends Error {
  readonly code: string;
  readonly span: Span | undefined;
  readonly file: string | undefined;
  readonly exitCode: number;

  constructor(code: string, message: string, options: { span?: Span; file?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GalleyError';
    this.code = code;
    this.span = options.span;
    this.file = options.file ?? options.span?.file;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** `file:line:col` for a span, or just the file. */
export function formatLocation(span: Span | undefined, file?: string): string {
  if (span) return `${span.file}:${span.line}:${span.col}`;
  return file ?? '';
}

/** `file:line:col: message` — the one-line form every command prints. */
export function formatDiagnostic(d: Pick<Diagnostic, 'message' | 'span'>, file?: string): string {
  const where = formatLocation(d.span, file);
  return where ? `${where}: ${d.message}` : d.message;
}
