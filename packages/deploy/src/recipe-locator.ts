import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { git } from '@galley/platform/git';
import { closeRecipe, latestRecipeVersion, loadRecipe, loadRecipeAtRef, openRecipe, type Recipe, sortRecipeVersions } from '@galley/recipe';
import type { AppEnv } from './app-env.js';

/**
 * Which recipe, at which version, an app deploys:
 *
 * - `--repo URL`: a release tag of that repository (`--version`, the env
 *   file's `RECIPE=name:version`, or the newest release);
 * - `--recipe DIR`, or by default `~/.abra/recipes/<recipe>` as abra keeps
 *   them: the tag asked for, else the newest release tag (read from git,
 *   never checked out, whatever the work tree holds): galley deploys
 *   releases;
 * - `--chaos`: the folder's work tree, whatever its state, labelled with its
 *   commit and `+U` when it has uncommitted changes.
 */
export interface RecipeLocation {
  recipeDir?: string;
  repo?: string;
  version?: string;
  chaos?: boolean;
  /** abra's home (default `$ABRA_DIR` or `~/.abra`): recipes are in `<abraDir>/recipes/<name>`. */
  abraDir?: string;
}

export interface LocatedRecipe {
  recipe: Recipe;
  /** The release deployed (a tag); absent in chaos mode. */
  version?: string;
  chaos: boolean;
  /** Chaos mode: `<short commit>` plus `+U` for uncommitted changes (`unknown` outside git). */
  chaosVersion?: string;
  /** Where it came from, for messages: a folder, `folder#tag` or `url#tag`. */
  label: string;
  /** The folder whose files the recipe's relative paths point at, when the recipe is a work tree. */
  workTree?: string;
  /** What a person should know about the choice (the work tree differs from the release deployed). */
  note?: string;
  dispose(): Promise<void>;
}

export function defaultAbraDir(): string {
  return process.env.ABRA_DIR || path.join(os.homedir(), '.abra');
}

export async function locateRecipe(app: AppEnv, options: RecipeLocation = {}): Promise<LocatedRecipe> {
  if (options.chaos && options.version) {
    throw new GalleyError('chaos-and-version', '--chaos deploys the work tree as it is and --version a release: give one of them');
  }
  const version = options.version ?? app.recipeVersion;
  if (options.repo) {
    if (options.chaos) throw new GalleyError('chaos-needs-folder', '--chaos deploys a local work tree: use it with --recipe DIR, not --repo');
    return fromRepository(app, options.repo, version);
  }
  const dir = path.resolve(options.recipeDir ?? path.join(options.abraDir ?? defaultAbraDir(), 'recipes', app.recipe));
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    const hint = options.recipeDir
      ? 'check the path given to --recipe'
      : `clone the ${app.recipe} recipe repository there, or pass --recipe DIR (a local folder) or --repo URL (a git repository)`;
    throw new GalleyError('recipe-not-found', `recipe ${app.recipe} not found: ${dir} ${info ? 'is not a folder' : 'does not exist'}; ${hint}`);
  }
  if (options.chaos) return chaos(app, dir);
  const repo = await workTreeInfo(dir);
  if (version) {
    if (!repo)
      throw new GalleyError(
        'recipe-not-git',
        `${dir} is not a git repository, so it has no version ${version}: deploy it with --chaos, or point --recipe at a clone`,
      );
    await ensureTag(dir, version, app.recipe);
    const recipe = await loadRecipeAtRef(dir, version, { name: app.recipe });
    return { recipe, version, chaos: false, label: `${dir}#${version}`, dispose: async () => closeRecipe(recipe) };
  }
  if (!repo) {
    throw new GalleyError(
      'release-required',
      `${dir} is not a git repository, so it has no releases: deploy its work tree with --chaos, or point --recipe at a clone of the recipe`,
    );
  }
  const tags = (await git(['tag', '--list'], { cwd: dir })).split('\n').filter(Boolean);
  const release = latestRecipeVersion(tags);
  if (!release) {
    throw new GalleyError(
      'release-required',
      `recipe ${app.recipe} (${dir}) has no release tag: deploy its work tree with --chaos (unreleased code), or tag a release (galley deploys releases)`,
    );
  }
  const recipe = await loadRecipeAtRef(dir, release, { name: app.recipe });
  const located: LocatedRecipe = { recipe, version: release, chaos: false, label: `${dir}#${release}`, dispose: async () => closeRecipe(recipe) };
  if (repo.dirty || !repo.headTags.includes(release)) {
    const state = repo.dirty ? 'has uncommitted changes' : `is at ${repo.commit}, not at ${release}`;
    located.note = `${dir} ${state}: deploying the release ${release} from git, not the work tree (--chaos deploys the work tree)`;
  }
  return located;
}

interface WorkTreeInfo {
  commit: string;
  dirty: boolean;
  headTags: string[];
}

async function workTreeInfo(dir: string): Promise<WorkTreeInfo | undefined> {
  let commit: string;
  try {
    await git(['rev-parse', '--show-toplevel'], { cwd: dir });
  } catch {
    return undefined;
  }
  try {
    commit = (await git(['rev-parse', '--short', 'HEAD'], { cwd: dir })).trim();
  } catch {
    return { commit: 'no-commit', dirty: true, headTags: [] };
  }
  const status = await git(['status', '--porcelain', '--untracked-files=normal', '--', '.'], { cwd: dir });
  const tags = (await git(['tag', '--points-at', 'HEAD'], { cwd: dir })).split('\n').filter(Boolean);
  return { commit, dirty: status.trim() !== '', headTags: tags };
}

async function chaos(app: AppEnv, dir: string, known?: WorkTreeInfo): Promise<LocatedRecipe> {
  const repo = known ?? (await workTreeInfo(dir));
  const recipe = await loadRecipe(dir, { name: app.recipe });
  const chaosVersion = repo ? `${repo.commit}${repo.dirty ? '+U' : ''}` : 'unknown';
  return { recipe, chaos: true, chaosVersion, label: dir, workTree: dir, dispose: async () => closeRecipe(recipe) };
}

async function ensureTag(dir: string, version: string, name: string): Promise<void> {
  const tags = (await git(['tag', '--list'], { cwd: dir })).split('\n').filter(Boolean);
  if (tags.includes(version)) return;
  throw unknownVersion(name, version, tags, dir);
}

function unknownVersion(name: string, version: string, tags: string[], where: string): GalleyError {
  const releases = sortRecipeVersions(tags);
  const known = releases.length ? `its releases: ${releases.slice(-8).join(', ')}` : 'it has no release tags';
  return new GalleyError('recipe-unknown-version', `recipe ${name} has no version ${version} (${where}); ${known}`);
}

async function fromRepository(app: AppEnv, url: string, version: string | undefined): Promise<LocatedRecipe> {
  const { recipe: head, dispose } = await openRecipe(url, { name: app.recipe });
  try {
    const tags = (head.git?.tags ?? []).map((t) => t.name);
    const wanted = version ?? latestRecipeVersion(tags);
    if (!wanted) {
      throw new GalleyError('recipe-no-release', `${url} has no release tags: give --version <tag>, or deploy a local clone with --recipe DIR --chaos`);
    }
    if (!tags.includes(wanted)) throw unknownVersion(app.recipe, wanted, tags, url);
    const gitDir = head.git!.repository.gitDir;
    const recipe = await loadRecipeAtRef(gitDir, wanted, { name: app.recipe });
    return {
      recipe,
      version: wanted,
      chaos: false,
      label: `${url}#${wanted}`,
      dispose: async () => {
        closeRecipe(recipe);
        await dispose();
      },
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
