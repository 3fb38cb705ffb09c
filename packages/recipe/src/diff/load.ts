import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError, indentedList, visible } from '@galley/platform';
import { findGitDir, GitRepository } from '@galley/platform/git';
import { formatDiagnostic } from '../diagnostics.js';
import type { EnvFile } from '../env-file.js';
import { cloneRecipeRepository, loadRecipe, parseRecipeSpec, type Recipe, readRecipe, repoName } from '../recipe.js';
import { DirectorySource, GitTreeSource } from '../source.js';
import { diffSnapshots, type RecipeDiff } from './diff.js';
import { type RecipeSnapshot, snapshotRecipe } from './snapshot.js';

export interface CompareOptions {
  /** Resolve both versions with this app env (its values and `COMPOSE_FILE`) instead of `.env.sample`. */
  appEnv?: EnvFile;
  fromLabel?: string;
  toLabel?: string;
}

/**
 * Compares two versions of a recipe (older first): snapshots both, diffs
 * them, and reads the release notes in between from the newer one. A
 * version whose files cannot be read (YAML or env syntax, oversized files)
 * is unusable input (exit 2), named with each problem.
 */
export async function compareRecipes(from: Recipe, to: Recipe, options: CompareOptions = {}): Promise<RecipeDiff> {
  const [a, b] = await Promise.all([
    snapshotRecipe(from, { ...(options.appEnv ? { appEnv: options.appEnv } : {}), ...(options.fromLabel ? { label: options.fromLabel } : {}) }),
    snapshotRecipe(to, { ...(options.appEnv ? { appEnv: options.appEnv } : {}), ...(options.toLabel ? { label: options.toLabel } : {}) }),
  ]);
  for (const snapshot of [a, b]) assertReadable(snapshot);
  const diff = diffSnapshots(a, b);
  await Promise.all(
    diff.releaseNotes.map(async (note) => {
      const text = await to.source.read(note.file);
      if (text !== undefined) note.text = text;
    }),
  );
  return diff;
}

function assertReadable(snapshot: RecipeSnapshot): void {
  if (!snapshot.problems.length) return;
  const lines = indentedList(snapshot.problems.map((d) => formatDiagnostic(d)));
  throw new GalleyError('recipe-unreadable', `${visible(snapshot.name)} at ${visible(snapshot.label)} cannot be read, so it cannot be compared:\n${lines}`);
}

export interface RecipeVersions {
  from: Recipe;
  to: Recipe;
  dispose: () => Promise<void>;
}

const isFolder = (p: string) =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );

/**
 * Opens two versions of a recipe for `recipe diff`: `recipe` is a folder,
 * a repository or a git URL; `from` and `to` are each a folder (a version
 * checked out elsewhere) or a ref of that repository (a release tag, a
 * branch, a commit). Without `to`: the folder's work tree, or the remote's
 * HEAD. Both refs are read through one `git cat-file` process, without a
 * checkout.
 */
export async function openRecipeVersions(recipe: string, from: string, to?: string): Promise<RecipeVersions> {
  const spec = parseRecipeSpec(recipe);
  if (spec.ref) throw new GalleyError('bad-flag', `give the versions as arguments, not as ${recipe}: galley recipe diff ${spec.location} ${spec.ref}`);
  const local = await isFolder(spec.location);
  if (!local && spec.kind === 'folder') throw new GalleyError('not-found', `${recipe} does not exist: give a recipe folder, a repository or a git URL`);
  const name = repoName(spec.location);
  const cleanups: (() => Promise<void> | void)[] = [];
  const dispose = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const gitDir = local ? await findGitDir(spec.location) : undefined;
    // A bare repository has no work tree: its HEAD stands for it.
    const bare = gitDir !== undefined && path.resolve(gitDir) === path.resolve(spec.location);
    let repository: GitRepository | undefined;
    const repo = async (): Promise<GitRepository> => {
      if (repository) return repository;
      let dir = gitDir;
      if (!local) {
        const clone = await cloneRecipeRepository(spec.location);
        cleanups.push(clone.dispose);
        dir = clone.dir;
      }
      if (!dir) throw new GalleyError('recipe-not-git', `${spec.location} is no git repository: give the versions as folders`);
      const opened = new GitRepository(dir);
      cleanups.push(() => opened.close());
      repository = opened;
      return opened;
    };
    const open = async (version: string | undefined): Promise<Recipe> => {
      if (version === undefined && local && !bare) return loadRecipe(spec.location, { name, git: false });
      const ref = version ?? 'HEAD';
      if (version !== undefined && (await isFolder(version))) return readRecipe(new DirectorySource(path.resolve(version)), name);
      const repository = await repo();
      const commit = await repository.resolveCommit(ref).catch((error: unknown) => {
        throw new GalleyError(
          'git-unknown-ref',
          `${ref} is neither a folder nor a tag, branch or commit of ${spec.location}: check the name with git tag --list`,
          {
            cause: error,
          },
        );
      });
      return readRecipe(new GitTreeSource(repository, commit, `${spec.location}#${ref}`), name, { repository, ref, commit, tags: [] });
    };
    // One after the other: both share the repository (and its one cat-file process).
    const a = await open(from);
    const b = await open(to);
    return { from: a, to: b, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
