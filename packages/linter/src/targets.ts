import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError, visible } from '@galley/platform';
import { listError, readError } from '@galley/platform/fs';
import { COMPOSE_BASE_NAMES, isComposeFileName, parseRecipeSpec } from '@galley/recipe';

/**
 * One thing to lint: a recipe folder, a compose project (one compose file, or
 * several merged in order as `docker compose -f a -f b` does), or a recipe in
 * a git repository at a ref.
 */
export interface LintTarget {
  kind: 'folder' | 'file' | 'git';
  /** What is opened: the folder, the first compose file, or `repo#ref`. */
  spec: string;
  /** For a compose project of several files: every file, in merge order (absolute). */
  files?: string[];
  /** The folder the target's files are in (absolute; for git: the repository's folder, when local). */
  dir?: string;
  /** For a single file: its size in bytes (known from listing it). */
  size?: number;
}

const SKIPPED = new Set(['.git', 'node_modules']);
const RECIPE_MARKERS = ['.env.sample', 'abra.sh'];

/**
 * What a path on the command line is: a folder, a regular file, or
 * undefined when it does not exist. A FIFO, device or socket, a symlink
 * loop or a path galley may not look at is refused (exit 2, naming it).
 */
async function kindOf(p: string): Promise<{ kind: 'dir' | 'file'; size: number } | undefined> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw readError(p, error, 'path');
  }
  if (info.isDirectory()) return { kind: 'dir', size: 0 };
  if (info.isFile()) return { kind: 'file', size: info.size };
  const what = info.isFIFO() ? 'a FIFO (named pipe)' : info.isSocket() ? 'a socket' : 'a device';
  throw new GalleyError('unreadable', `cannot lint ${visible(p)}: it is ${what}, not a file or folder; galley reads regular files only`, { file: p });
}

async function listFolder(dir: string) {
  return readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw listError(dir, error);
  });
}

interface FolderContents {
  /** A Co-op Cloud recipe: `compose.yml` (what abra reads) with `.env.sample` or `abra.sh` beside it. */
  recipe: boolean;
  /** Compose-named files directly in the folder, sorted. */
  composeFiles: string[];
}

async function folderContents(dir: string): Promise<FolderContents> {
  const entries = await listFolder(dir);
  // Every entry but folders: a FIFO named compose.yml is a compose file galley names and refuses, not one it silently skips.
  const names = entries.filter((e) => !e.isDirectory()).map((e) => e.name);
  const composeFiles = names.filter(isComposeFileName).sort();
  // A docker-compose.yml with a .env.sample beside it is a compose project with an env template, not a recipe.
  return { recipe: names.includes('compose.yml') && names.some((n) => RECIPE_MARKERS.includes(n)), composeFiles };
}

/**
 * The targets of a folder of compose files that is no recipe: the project
 * docker compose runs there (its base file and the `override` beside it,
 * merged), and every other compose-named file on its own (an overlay such as
 * `compose.prod.yml` is linted as one: what it leaves to its base is not judged).
 */
function composeFolderTargets(dir: string, names: string[]): LintTarget[] {
  const base = COMPOSE_BASE_NAMES.find((n) => names.includes(n));
  const out: LintTarget[] = [];
  const used = new Set<string>();
  if (base) {
    const stem = base.replace(/\.ya?ml$/, '');
    const override = names.find((n) => n === `${stem}.override.yaml` || n === `${stem}.override.yml`);
    const files = [base, ...(override ? [override] : [])].map((n) => path.join(dir, n));
    for (const n of [base, override]) if (n) used.add(n);
    out.push(files.length > 1 ? { kind: 'file', spec: files[0]!, files, dir } : { kind: 'file', spec: files[0]!, dir });
  }
  for (const name of names) if (!used.has(name)) out.push({ kind: 'file', spec: path.join(dir, name), dir });
  return out;
}

export interface ExpandOptions {
  /** Compose files to lint as one project, merged in this order (`-f base -f overlay`). */
  composeFiles?: readonly string[];
}

/**
 * Expands the paths given on the command line into targets, in order. A
 * folder with `compose.yml` and `.env.sample` or `abra.sh` is a recipe; a
 * folder with compose files but no recipe marker is a compose project (see
 * `composeFolderTargets`); any other folder stands for the recipes and compose
 * projects in its subfolders.
 * A file given by name is a compose file whatever its name. `repo#ref` or a
 * git URL is a recipe at that ref. A path that does not exist, or a folder with
 * nothing to lint, is an error (exit 2).
 */
export async function expandTargets(paths: readonly string[], cwd = process.cwd(), options: ExpandOptions = {}): Promise<LintTarget[]> {
  const out: LintTarget[] = [];
  if (options.composeFiles?.length) {
    const files = options.composeFiles.map((f) => path.resolve(cwd, f));
    const infos = await Promise.all(files.map((f) => kindOf(f)));
    infos.forEach((info, i) => {
      if (info?.kind !== 'file') throw new GalleyError('not-found', `${options.composeFiles![i]} is not a file: -f takes compose files`);
    });
    out.push({ kind: 'file', spec: files[0]!, files, dir: path.dirname(files[0]!) });
  }
  const given = paths.length || out.length ? paths : ['.'];
  // Stat every path at once (a CI run may name a thousand files).
  const kinds = await Promise.all(given.map((p) => kindOf(path.resolve(cwd, parseRecipeSpec(p).location))));
  for (const [index, arg] of given.entries()) {
    const spec = parseRecipeSpec(arg);
    const local = path.resolve(cwd, spec.location);
    const info = kinds[index];
    if (spec.kind === 'git') {
      const isLocal = info?.kind === 'dir';
      out.push(isLocal ? { kind: 'git', spec: `${local}#${spec.ref ?? 'HEAD'}`, dir: local } : { kind: 'git', spec: arg });
      continue;
    }
    if (!info) throw new GalleyError('not-found', `${visible(arg)} does not exist: give a recipe folder, a compose file or repo#ref`);
    if (info.kind === 'file') {
      out.push({ kind: 'file', spec: local, dir: path.dirname(local), size: info.size });
      continue;
    }
    const contents = await folderContents(local);
    if (contents.recipe) {
      out.push({ kind: 'folder', spec: local, dir: local });
      continue;
    }
    if (contents.composeFiles.length) {
      out.push(...composeFolderTargets(local, contents.composeFiles));
      continue;
    }
    const entries = (await listFolder(local)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const found: LintTarget[] = [];
    for (const entry of entries) {
      const child = path.join(local, entry.name);
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) {
        const inner = await folderContents(child);
        if (inner.recipe) found.push({ kind: 'folder', spec: child, dir: child });
        else if (inner.composeFiles.length) found.push(...composeFolderTargets(child, inner.composeFiles));
      }
    }
    if (found.length === 0) {
      throw new GalleyError(
        'nothing-to-lint',
        `${visible(arg)} holds no recipe (compose.yml with .env.sample or abra.sh), no compose project and no compose file (compose.yml, docker-compose.*.yml, …)`,
      );
    }
    out.push(...found);
  }
  return out;
}
