import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { findGitDir, GitRepository, type GitTag, git } from '@galley/platform/git';
import { type AbraSh, parseAbraSh } from './abra-sh.js';
import type { Diagnostic } from './diagnostics.js';
import { type EnvFile, parseEnvFile } from './env-file.js';
import { type ParsedReadme, parseReadme } from './readme-metadata.js';
import { DirectorySource, GitTreeSource, type RecipeSource } from './source.js';
import { formatBytes } from './text.js';
import { MAX_YAML_BYTES, type ParsedYaml, parseYaml } from './yaml/parse.js';

/** A compose file of a recipe, parsed once, with positions. */
export type ComposeFile = ParsedYaml;

export interface RecipeReadme extends ParsedReadme {
  file: string;
  text: string;
}

export interface RecipeGitInfo {
  repository: GitRepository;
  /** The ref the recipe was loaded at (absent: the work tree). */
  ref?: string;
  commit?: string;
  tags: GitTag[];
}

/** Everything Galley knows about one recipe, read once. */
export interface Recipe {
  /** `recipe`: a recipe folder or repo; `compose-file`: one compose file linted alone. */
  kind: 'recipe' | 'compose-file';
  name: string;
  source: RecipeSource;
  /** Every file of the recipe (POSIX paths relative to its root). */
  files: string[];
  /** Compose files by path: `compose.yml`, `compose.*.yml`, also one folder deep. */
  composeFiles: Map<string, ComposeFile>;
  envSample?: EnvFile;
  /** For a compose project (`kind: 'compose-file'`): the `.env` beside its first file, which docker compose reads. */
  dotEnv?: EnvFile;
  abraSh?: AbraSh;
  readme?: RecipeReadme;
  /** Release notes by version, from `release/<version>`. */
  releaseNotes: Map<string, string>;
  git?: RecipeGitInfo;
  /** Problems reading files (missing or oversized files; syntax errors are on each file). */
  diagnostics: Diagnostic[];
}

const COMPOSE_NAME = /^(?:docker-)?compose(?:\.[^/]+)?\.ya?ml$/;
const MAX_TEXT_BYTES = MAX_YAML_BYTES;

/** Whether a recipe path is one of its compose files (root, or one folder deep). */
export function isComposePath(file: string): boolean {
  const parts = file.split('/');
  return parts.length <= 2 && COMPOSE_NAME.test(parts[parts.length - 1]!);
}

export interface LoadOptions {
  /** The recipe's name; default: the folder or repository name. */
  name?: string;
  /** Read git tags when the folder is a repository's root (default true). */
  git?: boolean;
}

/** Loads a recipe from a folder (its work tree, with tags when it is a git repository). */
export async function loadRecipe(dir: string, options: LoadOptions = {}): Promise<Recipe> {
  const root = path.resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new GalleyError('not-found', `${dir} does not exist: give a recipe folder, a compose file or a git-url#ref`);
  if (!info.isDirectory()) throw new GalleyError('not-a-folder', `${dir} is not a folder`);
  const source = new DirectorySource(root);
  let gitInfo: RecipeGitInfo | undefined;
  if (options.git !== false) {
    const gitDir = await findGitDir(root);
    if (gitDir) {
      const repository = new GitRepository(gitDir);
      gitInfo = { repository, tags: await repository.tags() };
    }
  }
  return readRecipe(source, options.name ?? path.basename(root), gitInfo);
}

/** Loads a recipe as it is at a git ref (tag, branch or commit) without checking it out. */
export async function loadRecipeAtRef(repoPath: string, ref: string, options: LoadOptions = {}): Promise<Recipe> {
  const gitDir = (await findGitDir(repoPath)) ?? repoPath;
  const repository = new GitRepository(gitDir);
  const commit = await repository.resolveCommit(ref);
  const tags = options.git === false ? [] : await repository.tags();
  const name = options.name ?? repoName(repoPath);
  const source = new GitTreeSource(repository, commit, `${repoPath}#${ref}`);
  return readRecipe(source, name, { repository, ref, commit, tags });
}

/** The names docker compose looks for in a project folder (base files; an `override` next to one completes it). */
export const COMPOSE_BASE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

/** Whether a file name is a compose file by docker compose's naming (`compose.yml`, `docker-compose.prod.yaml`, …). */
export function isComposeFileName(name: string): boolean {
  return COMPOSE_NAME.test(name);
}

/**
 * A compose project that is no recipe: one compose file, or several merged
 * in order (`docker compose -f base -f overlay`). Paths are relative to the
 * first file's folder, whose `.env` (read by docker compose) gives values to
 * `${VAR}`s; variables it does not set are unknown, not empty.
 */
export function composeProject(dir: string, files: { path: string; text: string }[], dotEnvText?: string): Recipe {
  const source = new DirectorySource(dir);
  const recipe: Recipe = {
    kind: 'compose-file',
    name: files[0]?.path ?? 'compose.yml',
    source,
    files: files.map((f) => f.path),
    composeFiles: new Map(files.map((f) => [f.path, parseYaml(f.text, f.path)])),
    releaseNotes: new Map(),
    diagnostics: [],
  };
  if (dotEnvText !== undefined) recipe.dotEnv = parseEnvFile(dotEnvText, '.env');
  return recipe;
}

/** Loads compose files as one project (for linting compose files that are no recipe); see `composeProject`. */
export async function loadComposeProject(paths: readonly string[]): Promise<Recipe> {
  const full = paths.map((p) => path.resolve(p));
  const dir = path.dirname(full[0]!);
  const source = new DirectorySource(dir);
  const files: { path: string; text: string }[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of full) {
    const info = await stat(file).catch(() => undefined);
    if (!info) throw new GalleyError('not-found', `${file} does not exist`);
    const rel = path.relative(dir, file).split(path.sep).join('/');
    const text = await readText(source, rel, diagnostics);
    if (text !== undefined) files.push({ path: rel, text });
  }
  const dotEnv = await readText(source, '.env', diagnostics);
  const recipe = composeProject(dir, files, dotEnv);
  recipe.diagnostics.push(...diagnostics);
  return recipe;
}

/** Loads one compose file on its own; see `loadComposeProject`. */
export function loadComposeFile(file: string): Promise<Recipe> {
  return loadComposeProject([file]);
}

/** Reads every part of a recipe from a source. */
export async function readRecipe(source: RecipeSource, name: string, gitInfo?: RecipeGitInfo): Promise<Recipe> {
  const files = await source.list();
  const recipe: Recipe = { kind: 'recipe', name, source, files, composeFiles: new Map(), releaseNotes: new Map(), diagnostics: [] };
  if (gitInfo) recipe.git = gitInfo;

  const composePaths = files.filter(isComposePath);
  const parsed = await Promise.all(composePaths.map((f) => readCompose(source, f, recipe.diagnostics)));
  composePaths.forEach((f, i) => {
    const file = parsed[i];
    if (file) recipe.composeFiles.set(f, file);
  });

  if (files.includes('.env.sample')) {
    const text = await readText(source, '.env.sample', recipe.diagnostics);
    if (text !== undefined) recipe.envSample = parseEnvFile(text, '.env.sample');
  }
  if (files.includes('abra.sh')) {
    const text = await readText(source, 'abra.sh', recipe.diagnostics);
    if (text !== undefined) recipe.abraSh = parseAbraSh(text, 'abra.sh');
  }
  const readmeFile = files.find((f) => /^readme\.md$/i.test(f));
  if (readmeFile) {
    const text = await readText(source, readmeFile, recipe.diagnostics);
    if (text !== undefined) recipe.readme = { file: readmeFile, text, ...parseReadme(text, readmeFile) };
  }
  for (const file of files) {
    const m = /^release\/([^/]+)$/.exec(file);
    if (m) recipe.releaseNotes.set(m[1]!, file);
  }
  return recipe;
}

/** Parsed compose files by content id and path, per content scope (a repository): parse trees are never changed, so versions share them. */
const parsedByContent = new WeakMap<object, Map<string, ParsedYaml>>();

async function readCompose(source: RecipeSource, file: string, diagnostics: Diagnostic[]): Promise<ParsedYaml | undefined> {
  const scope = source.contentScope;
  const id = scope && source.contentId ? await source.contentId(file) : undefined;
  let cache: Map<string, ParsedYaml> | undefined;
  if (scope && id) {
    cache = parsedByContent.get(scope) ?? new Map<string, ParsedYaml>();
    parsedByContent.set(scope, cache);
    const known = cache.get(`${id}:${file}`);
    if (known) return known;
  }
  const text = await readText(source, file, diagnostics);
  if (text === undefined) return undefined;
  const parsed = parseYaml(text, file);
  cache?.set(`${id}:${file}`, parsed);
  return parsed;
}

async function readText(source: RecipeSource, file: string, diagnostics: Diagnostic[]): Promise<string | undefined> {
  const size = await source.size(file);
  if (size === undefined) return undefined;
  if (size > MAX_TEXT_BYTES) {
    diagnostics.push({
      code: 'file-too-large',
      severity: 'error',
      message: `${file} is ${formatBytes(size)}; galley reads recipe text files up to ${formatBytes(MAX_TEXT_BYTES)}`,
      span: { file, line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 },
    });
    return undefined;
  }
  return source.read(file);
}

/** All problems found while reading: oversized files, YAML and env syntax, README block. */
export function recipeDiagnostics(recipe: Recipe): Diagnostic[] {
  const out = [...recipe.diagnostics];
  for (const file of recipe.composeFiles.values()) out.push(...file.diagnostics);
  if (recipe.envSample) out.push(...recipe.envSample.diagnostics);
  if (recipe.readme) out.push(...recipe.readme.diagnostics);
  return out;
}

/** Releases the git processes a recipe holds. */
export function closeRecipe(recipe: Recipe): void {
  recipe.git?.repository.close();
}

/** A recipe's name from its folder or repository URL: `…/forum.git#1.0.0` → `forum`. */
export function repoName(spec: string): string {
  const clean = spec.replace(/[#?].*$/, '').replace(/\/+$/, '');
  return path.basename(clean).replace(/\.git$/, '');
}

/** `git://host/repo.git#1.0.0+2.3`, `https://…`, `/path/to/repo#main`, or a folder. */
export interface RecipeSpec {
  kind: 'folder' | 'git';
  location: string;
  ref?: string;
}

export function parseRecipeSpec(spec: string): RecipeSpec {
  const hash = spec.lastIndexOf('#');
  const isUrl = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i.test(spec);
  if (hash !== -1) {
    const out: RecipeSpec = { kind: 'git', location: spec.slice(0, hash) };
    const ref = spec.slice(hash + 1);
    if (ref) out.ref = ref;
    return out;
  }
  if (isUrl) return { kind: 'git', location: spec };
  return { kind: 'folder', location: spec };
}

/**
 * Opens a recipe from a CLI argument: a folder, a compose file, a local repository with
 * `#ref`, or a remote git URL (`#ref` optional; default: its HEAD), which is
 * cloned bare into a temporary folder removed by `dispose()`.
 */
export async function openRecipe(spec: string, options: LoadOptions = {}): Promise<{ recipe: Recipe; dispose: () => Promise<void> }> {
  const parsed = parseRecipeSpec(spec);
  if (parsed.kind === 'folder') {
    const isFile = await stat(parsed.location).then(
      (s) => s.isFile(),
      () => false,
    );
    const recipe = isFile ? await loadComposeFile(parsed.location) : await loadRecipe(parsed.location, options);
    return { recipe, dispose: async () => closeRecipe(recipe) };
  }
  const local = await stat(parsed.location).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (local) {
    const recipe = await loadRecipeAtRef(parsed.location, parsed.ref ?? 'HEAD', { ...options, name: options.name ?? repoName(parsed.location) });
    return { recipe, dispose: async () => closeRecipe(recipe) };
  }
  const clone = await cloneRecipeRepository(parsed.location);
  try {
    const recipe = await loadRecipeAtRef(clone.dir, parsed.ref ?? 'HEAD', { ...options, name: options.name ?? repoName(parsed.location) });
    return {
      recipe,
      dispose: async () => {
        closeRecipe(recipe);
        await clone.dispose();
      },
    };
  } catch (error) {
    await clone.dispose();
    throw error;
  }
}

/** Clones a remote recipe repository bare into a temporary folder, removed by `dispose()`. */
export async function cloneRecipeRepository(url: string): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-clone-'));
  const dispose = async () => {
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await git(['clone', '--bare', '--quiet', url, dir]).catch((error: unknown) => {
      throw new GalleyError(
        'git-clone-failed',
        `cannot clone ${url}: ${(error as Error).message.replace(/^git clone failed: /, '')}. Check the URL and that the host is reachable.`,
      );
    });
    return { dir, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
