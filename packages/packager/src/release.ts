import { rm } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, GalleyError, indentedList, visible } from '@galley/platform';
import { writeFilesAtomic } from '@galley/platform/fs';
import { findGitDir, git } from '@galley/platform/git';
import {
  closeRecipe,
  compareRecipes,
  formatReleaseNotesDraft,
  latestRecipeVersion,
  loadRecipe,
  loadRecipeAtRef,
  nextRecipeVersion,
  type Recipe,
  type RecipeBump,
  type RecipeDiff,
  recipeDiagnostics,
  resolveStack,
  serviceImage,
  services,
} from '@galley/recipe';
import { releaseBlockers } from './lint-gate.js';
import { findVersionLabel, setVersionLabel } from './version-label.js';

export interface ReleaseOptions {
  /** Force the bump instead of taking it from the diff. */
  bump?: RecipeBump;
  /** Show everything; change nothing. */
  dryRun?: boolean;
  /** Push the release commit and tag (default: keep them local). */
  push?: boolean;
  /** The remote to push to (default `origin`). */
  remote?: string;
}

export interface ReleasePlan {
  recipe: string;
  dir: string;
  /** The latest release tag before this one. */
  previous?: string;
  version: string;
  bump: RecipeBump;
  /** Why this bump. */
  reason: string;
  /** The changes since `previous` (none for a first release). */
  diff?: RecipeDiff;
  label: { file: string; line: number; before: string; after: string };
  notes: { file: string; text: string; origin: 'kept' | 'release/next' | 'drafted' };
  message: string;
  /** Error-level lint findings: a release is refused while there are any. */
  blockers: string[];
  dryRun: boolean;
  /** Set once made. */
  commit?: string;
  tag?: string;
  pushed?: { remote: string; branch: string };
}

/**
 * `galley recipe release`: Co-op Cloud's packager workflow, done from the
 * diff against the last release. Proposes the next version (major when
 * anything is breaking, minor on a minor image jump or a new optional
 * setting, patch otherwise; `+<tag of the app image>`), sets the version
 * label, writes `release/<version>` from the diff (an existing file is kept;
 * `release/next` is renamed), refuses on error-level lint findings, commits
 * the label and the notes, tags that commit with an annotated tag
 * `chore: publish <version> release`, and pushes only when asked. A dry run
 * returns the plan and changes nothing. A failure before the commit puts
 * the files back as they were.
 */
export async function releaseRecipe(dir: string, options: ReleaseOptions = {}): Promise<ReleasePlan> {
  const root = path.resolve(dir);
  const gitDir = await findGitDir(root);
  if (!gitDir || path.resolve(gitDir) === root) {
    throw new GalleyError('recipe-not-git', `${dir} is not the top of a git work tree: a release is a commit and a tag of the recipe's repository`);
  }
  const recipe = await loadRecipe(root);
  try {
    const unreadable = recipeDiagnostics(recipe).filter((d) => d.severity === 'error');
    if (unreadable.length) {
      throw new GalleyError(
        'recipe-unreadable',
        `${visible(dir)} cannot be read:\n${indentedList(unreadable.map((d) => `${d.span?.file}:${d.span?.line}:${d.span?.col}: ${d.message}`))}`,
      );
    }
    await assertClean(root);
    const plan = await planRelease(recipe, root, options);
    if (options.dryRun) return plan;
    if (plan.blockers.length) throw blockedError(plan);
    await applyRelease(recipe, plan, options);
    return plan;
  } finally {
    closeRecipe(recipe);
  }
}

export function blockedError(plan: ReleasePlan): GalleyError {
  const n = plan.blockers.length;
  return new GalleyError(
    'lint-errors',
    `${visible(plan.recipe)} has ${n} lint error${n === 1 ? '' : 's'}: fix ${n === 1 ? 'it' : 'them'} before releasing (galley lint ${visible(plan.dir)} shows details):\n${indentedList(plan.blockers)}`,
  );
}

/** Uncommitted work would not be in the release: refuse it (notes under release/ aside). */
async function assertClean(root: string): Promise<void> {
  const status = await git(['status', '--porcelain', '--untracked-files=all'], { cwd: root });
  const dirty = status
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3).replace(/^"|"$/g, ''))
    .filter((f) => !f.startsWith('release/'));
  if (dirty.length) {
    throw new GalleyError(
      'release-dirty',
      `${root} has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}): commit or stash them first; a release tags committed work`,
    );
  }
}

function appImageTag(recipe: Recipe): string | undefined {
  const app = services(resolveStack(recipe).root).find((s) => s.name === 'app');
  const image = app && serviceImage(app);
  return image?.parsed.ok ? image.parsed.ref.tag : undefined;
}

function bumpReason(diff: RecipeDiff | undefined, bump: RecipeBump, forced: boolean): string {
  if (forced) return `--${bump} was given`;
  if (!diff) return 'the first release';
  if (bump === 'major') return `${diff.changes.filter((c) => c.breaking).length} breaking change(s)`;
  if (bump === 'minor') return 'a minor image jump or a new optional setting';
  return diff.changes.length ? 'no breaking change, no minor image jump, no new optional setting' : 'no change an operator sees';
}

async function planRelease(recipe: Recipe, root: string, options: ReleaseOptions): Promise<ReleasePlan> {
  const tags = recipe.git?.tags ?? [];
  const previous = latestRecipeVersion(tags.map((t) => t.name));
  let diff: RecipeDiff | undefined;
  if (previous) {
    const before = await loadRecipeAtRef(root, previous, { name: recipe.name, git: false });
    try {
      diff = await compareRecipes(before, recipe, { fromLabel: previous, toLabel: 'work tree' });
    } finally {
      closeRecipe(before);
    }
  }
  const bump: RecipeBump = options.bump ?? diff?.level ?? (previous ? 'patch' : 'minor');
  const version = nextRecipeVersion(previous, bump, appImageTag(recipe));
  if (tags.some((t) => t.name === version)) {
    throw new GalleyError('release-tag-exists', `the tag ${version} exists already: give a bigger bump (--minor, --major) or delete the tag`);
  }

  const label = findVersionLabel(recipe);
  if (!label) {
    throw new GalleyError(
      'release-no-version-label',
      `the app service has no version label: add - "coop-cloud.\${STACK_NAME}.version=${version}" to its deploy.labels (galley lint --fix adds it once a release exists)`,
    );
  }
  const notesFile = `release/${version}`;
  const kept = recipe.files.includes(notesFile) ? await recipe.source.read(notesFile) : undefined;
  const next = kept === undefined && recipe.files.includes('release/next') ? await recipe.source.read('release/next') : undefined;
  const notes: ReleasePlan['notes'] =
    kept !== undefined
      ? { file: notesFile, text: kept, origin: 'kept' }
      : next !== undefined
        ? { file: notesFile, text: next, origin: 'release/next' }
        : {
            file: notesFile,
            text: diff ? formatReleaseNotesDraft(diff, version) : `${recipe.name} ${version}\n\nThe first release.\n`,
            origin: 'drafted',
          };
  const plan: ReleasePlan = {
    recipe: recipe.name,
    dir: root,
    version,
    bump,
    reason: bumpReason(diff, bump, Boolean(options.bump)),
    label: { file: label.file, line: label.span.line, before: label.value, after: version },
    notes,
    message: `chore: publish ${version} release`,
    blockers: await releaseBlockers(recipe, root),
    dryRun: Boolean(options.dryRun),
  };
  if (previous) plan.previous = previous;
  if (diff) plan.diff = diff;
  return plan;
}

async function applyRelease(recipe: Recipe, plan: ReleasePlan, options: ReleaseOptions): Promise<void> {
  const root = plan.dir;
  const label = findVersionLabel(recipe)!;
  const composeText = (await recipe.source.read(label.file)) ?? '';
  const writes = [{ file: path.join(root, label.file), data: setVersionLabel(composeText, label, plan.version) }];
  if (plan.notes.origin !== 'kept') writes.push({ file: path.join(root, plan.notes.file), data: plan.notes.text });
  const nextText = plan.notes.origin === 'release/next' ? await recipe.source.read('release/next') : undefined;

  await writesAtomic(writes);
  const files = [label.file, plan.notes.file];
  try {
    if (nextText !== undefined) {
      await git(['rm', '--quiet', '--', 'release/next'], { cwd: root });
      files.push('release/next');
    }
    await git(['add', '--', label.file, plan.notes.file], { cwd: root });
    await git(['commit', '--quiet', '-m', plan.message, '--', ...files], { cwd: root, what: 'git commit' });
  } catch (error) {
    // Nothing committed: put the files back as they were, then report.
    await git(['reset', '--quiet', '--', ...files], { cwd: root }).catch(() => undefined);
    const restore = [{ file: path.join(root, label.file), data: composeText }];
    if (nextText !== undefined) restore.push({ file: path.join(root, 'release/next'), data: nextText });
    await writesAtomic(restore);
    if (plan.notes.origin !== 'kept') await rm(path.join(root, plan.notes.file), { force: true });
    throw error;
  }
  plan.commit = (await git(['rev-parse', 'HEAD'], { cwd: root })).trim();
  await git(['tag', '--annotate', '--message', plan.message, plan.version, plan.commit], { cwd: root, what: 'git tag' }).catch((error: unknown) => {
    throw new GalleyError(
      'git-failed',
      `the release commit ${plan.commit!.slice(0, 12)} is made, but tagging it failed: ${(error as Error).message}. Tag it with: git tag -a ${plan.version} -m "${plan.message}" ${plan.commit!.slice(0, 12)}`,
      { exitCode: EXIT.FAILED, cause: error },
    );
  });
  plan.tag = plan.version;
  if (!options.push) return;
  const remote = options.remote ?? 'origin';
  const branch = (await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: root }).catch(() => '')).trim();
  if (!branch)
    throw new GalleyError('git-failed', `the release ${plan.version} is tagged, but HEAD is on no branch: push it by hand`, { exitCode: EXIT.FAILED });
  await git(['push', '--atomic', '--quiet', remote, `HEAD:refs/heads/${branch}`, `refs/tags/${plan.version}`], { cwd: root, what: 'git push' }).catch(
    (error: unknown) => {
      throw new GalleyError(
        'git-failed',
        `the release ${plan.version} is committed and tagged here, but pushing it failed: ${(error as Error).message}. Push it with: git push --atomic ${remote} ${branch} ${plan.version}`,
        { exitCode: EXIT.FAILED, cause: error },
      );
    },
  );
  plan.pushed = { remote, branch };
}

function writesAtomic(writes: { file: string; data: string }[]): Promise<void> {
  return writeFilesAtomic(writes.map((w) => ({ ...w, createFolder: true })));
}

/** The plan (or what was done) for a terminal. */
export function formatRelease(plan: ReleasePlan): string {
  const lines: string[] = [];
  const made = !plan.dryRun && plan.tag;
  lines.push(`${plan.recipe}: ${plan.dryRun ? 'would release' : made ? 'released' : 'releasing'} ${plan.version} (${plan.bump}: ${plan.reason})`);
  lines.push(plan.previous ? `previous release: ${plan.previous}` : 'no release before');
  lines.push(`${plan.label.file}:${plan.label.line}: version label ${plan.label.before} → ${plan.label.after}`);
  const origin =
    plan.notes.origin === 'kept'
      ? 'kept as written'
      : plan.notes.origin === 'release/next'
        ? 'renamed from release/next'
        : `drafted${plan.diff ? ' from the diff' : ''}: edit it`;
  lines.push(`${plan.notes.file} (${origin}):`);
  for (const l of plan.notes.text.trimEnd().split('\n')) lines.push(`  ${l}`.trimEnd());
  if (plan.blockers.length) {
    lines.push(`lint: ${plan.blockers.length} error${plan.blockers.length === 1 ? '' : 's'} refuse the release:`);
    for (const b of plan.blockers) lines.push(`  ${b}`);
  } else lines.push('lint: no errors');
  if (plan.dryRun) {
    lines.push(`would commit "${plan.message}" with ${plan.label.file} and ${plan.notes.file}`);
    lines.push(`would tag that commit: git tag -a ${plan.version} -m "${plan.message}"`);
    lines.push('dry run: nothing was written');
  } else if (made) {
    lines.push(`committed ${plan.commit?.slice(0, 12)} "${plan.message}"`);
    lines.push(`tagged ${plan.version} (annotated)`);
    lines.push(
      plan.pushed
        ? `pushed ${plan.pushed.branch} and ${plan.version} to ${plan.pushed.remote}`
        : `not pushed: git push --atomic origin HEAD ${plan.version} (or run with --push)`,
    );
  }
  return `${indentedList(lines, '')}\n`;
}
