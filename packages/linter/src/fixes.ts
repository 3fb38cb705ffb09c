import { writeFilesAtomic } from '@galley/platform/fs';
import type { TextEdit } from './rule.js';

/**
 * Writes the files `--fix` changed, all or nothing as far as the platform
 * allows (see writeFilesAtomic). Changes without a path (read from a git
 * ref) cannot be written and are skipped.
 */
export async function writeFixes(changes: readonly { path?: string; after: string }[]): Promise<void> {
  await writeFilesAtomic(changes.flatMap((c) => (c.path ? [{ file: c.path, data: c.after }] : [])));
}

export interface ApplyResult {
  /** The new text of every changed file (a file that did not exist is created). */
  files: Map<string, string>;
  applied: TextEdit[];
  /** Edits that overlapped an earlier one; a later pass may apply them. */
  skipped: TextEdit[];
}

/**
 * Applies text edits to file contents. Edits are applied per file from the
 * end backwards so offsets stay valid; an edit overlapping one already taken
 * is skipped (the caller runs another pass after re-linting).
 */
export function applyEdits(texts: ReadonlyMap<string, string>, edits: TextEdit[]): ApplyResult {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of edits) {
    const list = byFile.get(edit.file) ?? [];
    list.push(edit);
    byFile.set(edit.file, list);
  }
  const files = new Map<string, string>();
  const applied: TextEdit[] = [];
  const skipped: TextEdit[] = [];
  for (const [file, list] of byFile) {
    // Stable: by start offset, then insertion order; take non-overlapping edits.
    const ordered = list.map((e, i) => ({ e, i })).sort((a, b) => a.e.offset - b.e.offset || a.e.endOffset - b.e.endOffset || a.i - b.i);
    const taken: TextEdit[] = [];
    let end = -1;
    for (const { e } of ordered) {
      if (e.offset < end) {
        skipped.push(e);
        continue;
      }
      taken.push(e);
      end = Math.max(end, e.endOffset);
    }
    let text = texts.get(file) ?? '';
    for (let i = taken.length - 1; i >= 0; i--) {
      const e = taken[i]!;
      text = text.slice(0, e.offset) + e.text + text.slice(e.endOffset);
    }
    files.set(file, text);
    applied.push(...taken);
  }
  return { files, applied, skipped };
}
