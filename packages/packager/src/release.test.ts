import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MemorySource, readRecipe } from '@galley/recipe';
import { afterAll, describe, expect, it } from '@jest/globals';
import { commitAll, removeTree, writeTree } from '../../../test/support/recipe-fixtures.js';
import { blockedError, formatRelease, type ReleasePlan, releaseRecipe } from './release.js';
import { scaffoldFiles } from './scaffold.js';
import { findVersionLabel, setVersionLabel } from './version-label.js';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Galley Tests',
  GIT_AUTHOR_EMAIL: 'tests@galley.invalid',
  GIT_COMMITTER_NAME: 'Galley Tests',
  GIT_COMMITTER_EMAIL: 'tests@galley.invalid',
};
Object.assign(process.env, IDENTITY);

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...IDENTITY } });

/** A recipe repository: the scaffold, released once as 0.1.0+1.27.3. */
function released(): string {
  const files = scaffoldFiles('kettle');
  const dir = writeTree({});
  commitAll(dir, [
    {
      files: { ...files, 'compose.yml': files['compose.yml']!.replace('version=0.0.0', 'version=0.1.0+1.27.3'), 'release/0.1.0+1.27.3': 'First.\n' },
      tags: [{ name: '0.1.0+1.27.3', annotated: true }],
    },
  ]);
  return dir;
}

describe('releaseRecipe', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeTree));

  it('renames release/next to the notes of the release', async () => {
    const dir = released();
    dirs.push(dir);
    commitAll(dir, [{ files: { 'release/next': 'Tea is served hotter.\n' } }]);
    const plan = await releaseRecipe(dir);
    expect(plan).toMatchObject({ version: '0.1.1+1.27.3', bump: 'patch', notes: { origin: 'release/next', text: 'Tea is served hotter.\n' } });
    expect(existsSync(path.join(dir, 'release/next'))).toBe(false);
    expect(git(dir, 'show', 'HEAD:release/0.1.1+1.27.3')).toBe('Tea is served hotter.\n');
    expect(git(dir, 'show', '--name-status', '--no-renames', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
      'A\trelease/0.1.1+1.27.3',
      'D\trelease/next',
      'M\tcompose.yml',
    ]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  }, 60_000);

  it('takes the bump from the diff: a new optional setting is minor', async () => {
    const dir = released();
    dirs.push(dir);
    commitAll(dir, [{ files: { '.env.sample': `${readFileSync(path.join(dir, '.env.sample'), 'utf8')}#KETTLE_COLOUR=blue\n` } }]);
    const plan = await releaseRecipe(dir, { dryRun: true });
    expect(plan).toMatchObject({ version: '0.2.0+1.27.3', bump: 'minor', reason: 'a minor image jump or a new optional setting' });
    expect(plan.notes.text).toBe(`${path.basename(dir)} 0.2.0+1.27.3\n\nChanges:\n- KETTLE_COLOUR added, optional (commented out)\n`);
  }, 60_000);

  it('puts everything back when the commit fails (a hook refuses it)', async () => {
    const dir = released();
    dirs.push(dir);
    commitAll(dir, [{ files: { 'release/next': 'Notes.\n' } }]);
    const hook = path.join(dir, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\necho "no commits today" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const compose = readFileSync(path.join(dir, 'compose.yml'), 'utf8');
    const head = git(dir, 'rev-parse', 'HEAD');
    await expect(releaseRecipe(dir)).rejects.toMatchObject({ code: 'git-failed', message: expect.stringContaining('no commits today') });
    expect(readFileSync(path.join(dir, 'compose.yml'), 'utf8')).toBe(compose);
    expect(readFileSync(path.join(dir, 'release/next'), 'utf8')).toBe('Notes.\n');
    expect(existsSync(path.join(dir, 'release/0.1.1+1.27.3'))).toBe(false);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'tag', '--list')).toBe('0.1.0+1.27.3\n');
  }, 60_000);

  it('needs a version label and a git work tree', async () => {
    const dir = released();
    dirs.push(dir);
    const compose = readFileSync(path.join(dir, 'compose.yml'), 'utf8').replace(/ *- "coop-cloud\.\$\{STACK_NAME\}\.version=.*\n/, '');
    commitAll(dir, [{ files: { 'compose.yml': compose } }]);
    await expect(releaseRecipe(dir, { dryRun: true })).rejects.toMatchObject({
      code: 'release-no-version-label',
      message: expect.stringContaining('coop-cloud.${STACK_NAME}.version=0.1.1+1.27.3'),
    });
    const plain = writeTree(scaffoldFiles('plain'));
    dirs.push(plain);
    await expect(releaseRecipe(plain)).rejects.toMatchObject({ code: 'recipe-not-git' });
  }, 60_000);
});

describe('setVersionLabel', () => {
  const edit = async (compose: string, version: string) => {
    const recipe = await readRecipe(new MemorySource({ 'compose.yml': compose }), 'x');
    const label = findVersionLabel(recipe);
    if (!label) throw new Error('no label');
    return setVersionLabel(compose, label, version);
  };

  it.each([
    [
      'a quoted list item',
      '      - "coop-cloud.${STACK_NAME}.version=1.0.0+1.2"  # the release\n',
      '      - "coop-cloud.${STACK_NAME}.version=1.1.0+1.3"  # the release\n',
    ],
    ['a plain list item', '      - coop-cloud.${STACK_NAME}.version=1.0.0+1.2\n', '      - coop-cloud.${STACK_NAME}.version=1.1.0+1.3\n'],
    ['a map entry', '        coop-cloud.${STACK_NAME}.version: 1.0.0+1.2\n', '        coop-cloud.${STACK_NAME}.version: 1.1.0+1.3\n'],
    ['a single-quoted map entry', "        coop-cloud.${STACK_NAME}.version: '1.0.0+1.2'\n", "        coop-cloud.${STACK_NAME}.version: '1.1.0+1.3'\n"],
  ])('edits only the version of %s', async (_name, label, expected) => {
    const head = 'services:\n  app:\n    image: nginx:1.3\n    deploy:\n      labels:\n';
    expect(await edit(`${head}${label}`, '1.1.0+1.3')).toBe(`${head}${expected}`);
  });

  it('refuses a label that is no plain version', async () => {
    await expect(
      edit('services:\n  app:\n    image: nginx:1.3\n    deploy:\n      labels:\n        - "coop-cloud.${STACK_NAME}.version=${VERSION}"\n', '1.0.0'),
    ).rejects.toMatchObject({
      code: 'release-no-version-label',
    });
  });
});

describe('release output with hostile text', () => {
  it('lint findings, notes and names print one line each: no forged line, no control reaches the terminal', () => {
    const hostile = 'x\ngalley: released 9.9.9\r\u001b[2J\n::error::forged';
    const plan: ReleasePlan = {
      recipe: hostile,
      dir: '.',
      version: '1.0.0+1',
      bump: 'minor',
      reason: hostile,
      label: { file: 'compose.yml', line: 3, before: '0.1.0+1', after: '1.0.0+1' },
      // Notes keep their lines (indented), with controls shown and no workflow command.
      notes: { file: 'release/1.0.0+1', text: 'fine\r\u001b[2J\n::error::forged\n', origin: 'kept' },
      message: 'chore: publish 1.0.0+1 release',
      blockers: [`compose.yml:3:5 compose/schema ${hostile}`],
      dryRun: true,
    };
    for (const text of [formatRelease(plan), blockedError(plan).message]) {
      expect(text).toContain('galley: released 9.9.9\\u000d\\u001b[2J');
      expect(text).not.toMatch(/[\r\u001b]/);
      for (const line of text.split('\n')) expect(line).not.toMatch(/^\s*(galley: released|::error)/);
    }
  });
});
