import v8 from 'node:v8';
import vm from 'node:vm';
import type { Span } from './diagnostics.js';

/** Maps offsets in a text to 1-based lines and columns. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }

  /** 0-based offset of a 1-based line's first character. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1]!;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line < this.starts.length ? this.starts[line]! : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$/, '');
  }

  span(file: string, offset: number, endOffset: number): Span {
    const start = this.position(offset);
    const end = this.position(Math.max(endOffset, offset));
    return { file, line: start.line, col: start.col, endLine: end.line, endCol: end.col, offset, endOffset: Math.max(endOffset, offset) };
  }
}

/** Size in bytes of a UTF-8 string, without encoding it. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * At most `max` characters of input text, cut in the middle with `…`: for
 * messages that quote what a file says (a 100 KB line must not be repeated
 * in every finding).
 */
export function clip(text: string, max = 120): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half)}…${text.slice(text.length - (max - 1 - half))}`;
}

let gc: (() => void) | null | undefined;

/**
 * A full garbage collection, when V8 allows one to be asked for (it does
 * unless embedded oddly): after a big parse, so the parser's garbage does not
 * become the run's peak memory. A no-op where it is not available.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
