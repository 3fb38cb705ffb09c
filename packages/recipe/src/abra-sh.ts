import type { Span } from './diagnostics.js';
import { LineIndex } from './text.js';

/** An `export NAME=value` line of `abra.sh`, read as text, never executed. */
export interface AbraExport {
  name: string;
  value: string;
  span: Span;
  nameSpan: Span;
  valueSpan: Span;
}

export interface AbraSh {
  file: string;
  text: string;
  exports: AbraExport[];
  /** Names of shell functions defined in the file (`name() {` / `function name`). */
  functions: string[];
  lines: LineIndex;
}

const EXPORT = /^(\s*export\s+)([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|([^\s#;]*))/;
const FUNCTION = /^\s*(?:function\s+([A-Za-z_][\w-]*)|([A-Za-z_][\w-]*)\s*\(\s*\))/;

export function parseAbraSh(text: string, file = 'abra.sh'): AbraSh {
  const lines = new LineIndex(text);
  const exports: AbraExport[] = [];
  const functions: string[] = [];
  for (let line = 1; line <= lines.lineCount; line++) {
    const content = lines.lineText(line);
    const start = lines.lineStart(line);
    const m = EXPORT.exec(content);
    if (m) {
      const name = m[2]!;
      const value = m[4] ?? m[5] ?? m[6] ?? '';
      const nameOffset = start + m[1]!.length;
      const quoted = m[4] !== undefined || m[5] !== undefined;
      const valueOffset = nameOffset + name.length + 1 + (quoted ? 1 : 0);
      exports.push({
        name,
        value,
        span: lines.span(file, start, start + content.length),
        nameSpan: lines.span(file, nameOffset, nameOffset + name.length),
        valueSpan: lines.span(file, valueOffset, valueOffset + value.length),
      });
      continue;
    }
    const f = FUNCTION.exec(content);
    if (f) functions.push((f[1] ?? f[2])!);
  }
  return { file, text, exports, functions, lines };
}

export function abraExport(sh: AbraSh | undefined, name: string): AbraExport | undefined {
  if (!sh) return undefined;
  for (let i = sh.exports.length - 1; i >= 0; i--) if (sh.exports[i]!.name === name) return sh.exports[i];
  return undefined;
}
