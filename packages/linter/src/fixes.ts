import { writeFilesAtomic } from '@galley/platform/fs';
import type { TextEdit } from './rule.js';

/**
 * Writes the files `--fix` changed, all or nothing as far as the platform
 * allows (see writeFilesAtomic: every temp file is written before the first
 * rename), each only inside its target's folder (a symlink leading out of
 * it is refused), keeping mode and owner. Temp files a killed earlier run
 * left are removed first. Changes without a path (read from a git ref)
 * cannot be written and are skipped.
 */
export async function writeFixes(changes: readonly { path?: string; root?: string; after: string }[]): Promise<void> {
  await writeFilesAtomic(changes.flatMap((c) => (c.path ? [{ file: c.path, data: c.after, tidy: true, ...(c.root ? { within: c.root } : {}) }] : [])));
}

/** Writes a report (`--output`): atomically, through a symlink the user named, never over a FIFO, device or socket. */
export async function writeReport(file: string, text: string): Promise<void> {
  await writeFilesAtomic([{ file, data: text, tidy: true }]);
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
    // A byte order mark stays first; a file whose lines end in CRLF gets CRLF in what is inserted too.
    const bom = text.startsWith('\ufeff') ? 1 : 0;
    const crlf = text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
    for (let i = taken.length - 1; i >= 0; i--) {
      const e = taken[i]!;
      const insert = crlf ? e.text.replace(/\r?\n/g, '\r\n') : e.text;
      text = text.slice(0, Math.max(e.offset, bom)) + insert + text.slice(Math.max(e.endOffset, bom));
    }
    files.set(file, text);
    applied.push(...taken);
  }
  return { files, applied, skipped };
}

/** How many times fixes are applied and the recipe linted again, at most. */
export const MAX_FIX_PASSES = 10;

/** What one lint of the texts so far proposes: the edits of its findings. */
export type ProposeEdits = (overrides: ReadonlyMap<string, string>) => Promise<readonly TextEdit[]>;

export interface FixPasses {
  /** The new text of each file a fix changed (unchanged ones left out). */
  changed: Map<string, string>;
  /** The original text of every file an edit was aimed at (undefined: it did not exist). */
  originals: Map<string, string | undefined>;
  /** Passes that changed at least one file. */
  passes: number;
}

/** A path a fix may write: relative, inside the target, not empty. */
export function safeRelative(file: string): boolean {
  return !!file && !file.startsWith('/') && !/^[A-Za-z]:/.test(file) && !file.split(/[\\/]/).includes('..');
}

/**
 * The fix loop, free of files and of the linter: `propose` lints the texts
 * changed so far and returns its findings' edits; `read` gives a file's
 * original text. Edits are applied (overlaps left to the next pass) and the
 * loop runs again, until no edit changes anything or after `maxPasses`.
 * Edits aimed outside the target are never applied.
 */
export async function runFixPasses(propose: ProposeEdits, read: (file: string) => Promise<string | undefined>, maxPasses = MAX_FIX_PASSES): Promise<FixPasses> {
  const overrides = new Map<string, string>();
  const originals = new Map<string, string | undefined>();
  let passes = 0;
  // After the last pass that changed something, `propose` runs once more: the caller's lint of the final texts.
  for (let pass = 1; ; pass++) {
    const edits = (await propose(overrides)).filter((e) => safeRelative(e.file));
    if (!edits.length || pass > maxPasses) break;
    const current = new Map<string, string>();
    for (const e of edits) {
      if (current.has(e.file)) continue;
      if (!originals.has(e.file)) originals.set(e.file, await read(e.file));
      current.set(e.file, overrides.get(e.file) ?? originals.get(e.file) ?? '');
    }
    let changed = false;
    for (const [file, text] of applyEdits(current, edits).files) {
      if (text === current.get(file)) continue;
      overrides.set(file, text);
      changed = true;
    }
    if (!changed) break;
    passes = pass;
  }
  for (const [file, text] of overrides) if (originals.get(file) === text) overrides.delete(file);
  return { changed: overrides, originals, passes };
}
