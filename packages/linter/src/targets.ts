import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { isComposePath, parseRecipeSpec } from '@galley/recipe';

/** One thing to lint: a recipe folder, a lone compose file, or a git repository at a ref. */
export interface LintTarget {
  kind: 'folder' | 'file' | 'git';
  /** What `openRecipe` is given. */
  spec: string;
  /** The folder the target's files are in (absolute; for git: the repository's folder, when local). */
  dir?: string;
  /** For a file: its size in bytes (known from listing it). */
  size?: number;
}

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED = new Set(['.git', 'node_modules']);

async function kindOf(p: string): Promise<{ kind: 'dir' | 'file'; size: number } | undefined> {
  const info = await stat(p).catch(() => undefined);
  if (!info) return undefined;
  return info.isDirectory() ? { kind: 'dir', size: 0 } : info.isFile() ? { kind: 'file', size: info.size } : undefined;
}

/** Whether a folder is a recipe: it has `.env.sample` or a compose file at its root. */
async function isRecipeFolder(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.some((n) => n === '.env.sample' || isComposePath(n));
}

/**
 * Expands the paths given on the command line into targets, in order:
 * a recipe folder (it has `.env.sample` or a compose file) is one target; any
 * other folder stands for the recipe folders and YAML files directly inside
 * it (a folder of recipes, or of compose files); a file is a lone compose
 * file; `repo#ref` or a git URL is a recipe at that ref. A path that does not
 * exist, or a folder with nothing to lint, is an error (exit 2).
 */
export async function expandTargets(paths: readonly string[], cwd = process.cwd()): Promise<LintTarget[]> {
  const given = paths.length ? paths : ['.'];
  // Stat every path at once (a CI run may name a thousand files).
  const kinds = await Promise.all(given.map((p) => kindOf(path.resolve(cwd, parseRecipeSpec(p).location))));
  const out: LintTarget[] = [];
  for (const [index, given_] of given.entries()) {
    const given = given_;
    const spec = parseRecipeSpec(given);
    const local = path.resolve(cwd, spec.location);
    const info = kinds[index];
    if (spec.kind === 'git') {
      const isLocal = info?.kind === 'dir';
      out.push(isLocal ? { kind: 'git', spec: `${local}#${spec.ref ?? 'HEAD'}`, dir: local } : { kind: 'git', spec: given });
      continue;
    }
    if (!info) throw new GalleyError('not-found', `${given} does not exist: give a recipe folder, a compose file or repo#ref`);
    if (info.kind === 'file') {
      out.push({ kind: 'file', spec: local, dir: path.dirname(local), size: info.size });
      continue;
    }
    if (await isRecipeFolder(local)) {
      out.push({ kind: 'folder', spec: local, dir: local });
      continue;
    }
    const entries = (await readdir(local, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const found: LintTarget[] = [];
    for (const entry of entries) {
      const child = path.join(local, entry.name);
      if (entry.isDirectory() && !SKIPPED.has(entry.name) && (await isRecipeFolder(child))) found.push({ kind: 'folder', spec: child, dir: child });
      else if (entry.isFile() && YAML_FILE.test(entry.name) && !entry.name.startsWith('.galley.')) found.push({ kind: 'file', spec: child, dir: local });
    }
    if (found.length === 0) {
      throw new GalleyError('nothing-to-lint', `${given} holds no recipe (a folder with compose.yml or .env.sample) and no compose file`);
    }
    out.push(...found);
  }
  return out;
}
