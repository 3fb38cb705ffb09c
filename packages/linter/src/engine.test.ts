import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { envEntry, getIn, isMap } from '@galley/recipe';
import { afterAll, describe, expect, it } from '@jest/globals';
import { lint, lintWithFixes } from './engine.js';
import { MAX_FIX_PASSES } from './fixes.js';
import { exitCodeFor, unifiedDiff } from './outcome.js';
import type { Rule, RuleMeta } from './rule.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'galley-engine-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function tree(files: Record<string, string>): string {
  const dir = path.join(root, `t${n++}`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function meta(id: string, extra: Partial<RuleMeta> = {}): RuleMeta {
  return {
    id,
    severity: 'error',
    category: 'correctness',
    description: id,
    docs: { why: 'why', fix: 'fix it', wrong: '', right: '' },
    messages: { m: '{{what}}' },
    fixable: false,
    presets: ['recommended'],
    appliesToComposeFiles: true,
    ...extra,
  };
}

/** Reports every service without `image`. */
const needsImage: Rule = {
  meta: meta('t/needs-image'),
  check(ctx) {
    const services = getIn(ctx.fullStack.root, 'services');
    if (!isMap(services)) return;
    for (const pair of services.pairs)
      if (!getIn(pair.value, 'image')) ctx.report({ messageId: 'm', data: { what: `${pair.key.value} has no image` }, node: pair.key });
  },
};

const crashing: Rule = {
  meta: meta('t/crash'),
  check() {
    throw new Error('boom');
  },
};

/** Two-step fixes: A=1 must exist in .env.sample; once it does, B=1 must follow. */
const envChain: Rule = {
  meta: meta('t/env-chain', { fixable: true }),
  check(ctx) {
    const env = ctx.recipe.envSample;
    if (!env) return;
    const end = env.text.length;
    const span = env.lines.span(env.file, 0, 0);
    if (!envEntry(env, 'A'))
      ctx.report({
        messageId: 'm',
        data: { what: 'A missing' },
        span,
        fix: { description: 'add A', edits: [{ file: env.file, offset: end, endOffset: end, text: 'A=1\n' }] },
      });
    else if (!envEntry(env, 'B'))
      ctx.report({
        messageId: 'm',
        data: { what: 'B missing' },
        span,
        fix: { description: 'add B', edits: [{ file: env.file, offset: end, endOffset: end, text: 'B=1\n' }] },
      });
  },
};

/** Two overlapping edits on the same text: only one applies per pass. */
const overlapping: Rule = {
  meta: meta('t/overlap', { fixable: true }),
  check(ctx) {
    const env = ctx.recipe.envSample;
    const i = env?.text.indexOf('X=old') ?? -1;
    if (!env || i < 0) return;
    const span = env.lines.span(env.file, i, i + 5);
    ctx.report({
      messageId: 'm',
      data: { what: 'old 1' },
      span,
      fix: { description: 'new', edits: [{ file: env.file, offset: i, endOffset: i + 5, text: 'X=new' }] },
    });
    ctx.report({
      messageId: 'm',
      data: { what: 'old 2' },
      span,
      fix: { description: 'newer', edits: [{ file: env.file, offset: i + 2, endOffset: i + 5, text: 'newer' }] },
    });
  },
};

/** A fix that never converges (always inserts): stopped after MAX_FIX_PASSES. */
const endless: Rule = {
  meta: meta('t/endless', { fixable: true }),
  check(ctx) {
    const env = ctx.recipe.envSample;
    if (!env) return;
    ctx.report({
      messageId: 'm',
      data: { what: 'more' },
      span: env.lines.span(env.file, 0, 0),
      fix: { description: 'more', edits: [{ file: env.file, offset: 0, endOffset: 0, text: '#\n' }] },
    });
  },
};

const recipe = (compose: string, env = 'DOMAIN=x.example.com\n') => ({ 'compose.yml': compose, '.env.sample': env });

describe('lint', () => {
  it('reports findings with paths relative to cwd, in a stable order, and a summary', async () => {
    const dir = tree(recipe('services:\n  web: {}\n  app: {}\n'));
    const report = await lint([dir], { rules: [needsImage], cwd: root });
    const target = report.targets[0]!;
    expect(target.kind).toBe('recipe');
    expect(target.base).toBe(`${path.basename(dir)}/`);
    expect(target.findings.map((f) => [f.line, f.message])).toEqual([
      [2, 'web has no image'],
      [3, 'app has no image'],
    ]);
    expect(report.summary).toMatchObject({ targets: 1, errors: 2, warnings: 0, crashes: 0 });
    expect(exitCodeFor(report)).toBe(1);
  });

  it('a crashing rule is recorded; the other rules still run; exit 4 only when nothing else fails', async () => {
    const dir = tree(recipe('services:\n  app: {}\n'));
    const report = await lint([dir], { rules: [crashing, needsImage], cwd: root });
    expect(report.targets[0]!.crashes).toEqual([{ ruleId: 't/crash', message: 'boom' }]);
    expect(report.targets[0]!.findings).toHaveLength(1);
    expect(exitCodeFor(report)).toBe(1);
    const clean = await lint([tree(recipe('services:\n  app:\n    image: a:1\n'))], { rules: [crashing, needsImage], cwd: root });
    expect(exitCodeFor(clean)).toBe(4);
  });

  it('--fail-on and --max-warnings', async () => {
    const dir = tree({ ...recipe('services:\n  app: {}\n'), '.galley.yml': 'rules:\n  t/needs-image: warning\n' });
    const report = await lint([dir], { rules: [needsImage], cwd: root });
    expect(report.summary.warnings).toBe(1);
    expect(exitCodeFor(report)).toBe(0);
    expect(exitCodeFor(report, { failOn: 'warning' })).toBe(1);
    expect(exitCodeFor(report, { maxWarnings: 0 })).toBe(1);
    expect(exitCodeFor(report, { maxWarnings: 1 })).toBe(0);
  });

  it('presets choose the rules; the configuration turns rules off and ignores files', async () => {
    const swarmOnly: Rule = { ...needsImage, meta: { ...needsImage.meta, id: 't/swarm-only', presets: ['swarm'] } };
    const dir = tree(recipe('services:\n  app: {}\n'));
    expect((await lint([dir], { rules: [swarmOnly], cwd: root })).summary.errors).toBe(0);
    expect((await lint([dir], { rules: [swarmOnly], cwd: root, presets: ['swarm'] })).summary.errors).toBe(1);
    const ignored = tree({ ...recipe('services:\n  app: {}\n'), '.galley.yml': 'ignore: ["compose.yml"]\n' });
    expect((await lint([ignored], { rules: [needsImage], cwd: root })).summary.errors).toBe(0);
    const off = tree({ ...recipe('services:\n  app: {}\n'), '.galley.yml': 'rules:\n  t/needs-image: off\n' });
    expect((await lint([off], { rules: [needsImage], cwd: root })).summary.errors).toBe(0);
  });

  it('after a YAML syntax error, only syntax rules and rules that read no compose file run', async () => {
    const syntax: Rule = {
      meta: meta('t/syntax', { category: 'syntax' }),
      check(ctx) {
        for (const f of ctx.recipe.composeFiles.values())
          for (const d of f.diagnostics) ctx.report({ messageId: 'm', data: { what: d.message }, span: d.span! });
      },
    };
    const readme: Rule = {
      meta: meta('t/readme', { composeIndependent: true }),
      check(ctx) {
        ctx.report({ messageId: 'm', data: { what: 'readme' }, span: { file: 'README.md', line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 } });
      },
    };
    // compose.yml is broken; the overlay alone would have a service without image.
    const dir = tree({ ...recipe('services:\n  app: [\n'), 'compose.extra.yml': 'services:\n  worker: {}\n' });
    const report = await lint([dir], { rules: [needsImage, syntax, readme], cwd: root });
    expect(report.targets[0]!.findings.map((f) => f.ruleId).sort()).toEqual(['t/readme', 't/syntax']);
  });

  it('a finding without a fix promises none: the --fix sentence of the how-to-fix goes', async () => {
    const sometimes: Rule = {
      meta: meta('t/sometimes', { fixable: true, docs: { why: 'w', fix: 'Remove the key. `--fix` removes it in recipes.', wrong: '', right: '' } }),
      check(ctx) {
        const span = { file: 'compose.yml', line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };
        ctx.report({ messageId: 'm', data: { what: 'no fix here' }, span });
        ctx.report({
          messageId: 'm',
          data: { what: 'a fix' },
          span: { ...span, line: 2, offset: 5, endOffset: 5 },
          fix: { description: 'f', edits: [{ file: 'compose.yml', offset: 0, endOffset: 0, text: '#' }] },
        });
      },
    };
    const report = await lint([tree(recipe('services: {}\n'))], { rules: [sometimes], cwd: root });
    expect(report.targets[0]!.findings.map((f) => [f.message, f.remediation])).toEqual([
      ['no fix here', 'Remove the key.'],
      ['a fix', 'Remove the key. `--fix` removes it in recipes.'],
    ]);
  });

  it('online rules run only with online', async () => {
    const online: Rule = { ...needsImage, meta: { ...needsImage.meta, id: 't/online', requires: ['online'] } };
    const dir = tree(recipe('services:\n  app: {}\n'));
    expect((await lint([dir], { rules: [online], cwd: root })).summary.errors).toBe(0);
    expect((await lint([dir], { rules: [online], cwd: root, online: true })).summary.errors).toBe(1);
  });

  it('a folder of recipes and compose projects expands to each of them; nothing to lint is an error', async () => {
    const dir = tree({
      'one/compose.yml': 'services:\n  app: {}\n',
      'one/.env.sample': 'DOMAIN=one.example.com\n',
      'two/compose.yaml': 'services:\n  app: {}\n',
      'two/compose.override.yaml': 'services:\n  app: {}\n',
      'two/compose.prod.yaml': 'services:\n  app: {}\n',
      'two/.drone.yml': 'kind: pipeline\n',
      'two/mkdocs.yml': 'site_name: x\n',
      'notes.txt': '',
    });
    const report = await lint([dir], { rules: [needsImage], cwd: dir });
    expect(report.targets.map((t) => [t.target, t.kind])).toEqual([
      ['one', 'recipe'],
      ['two/compose.yaml + two/compose.override.yaml', 'compose-file'],
      ['two/compose.prod.yaml', 'compose-file'],
    ]);
    // a compose file named on the command line is linted whatever its name; -f files form one project
    const named = await lint([path.join(dir, 'two/mkdocs.yml')], { rules: [], cwd: dir });
    expect(named.targets.map((t) => t.target)).toEqual(['two/mkdocs.yml']);
    const project = await lint([], { rules: [needsImage], cwd: dir, composeFiles: ['two/compose.yaml', 'two/compose.prod.yaml'] });
    expect(project.targets.map((t) => [t.target, [...t.files.keys()]])).toEqual([
      ['two/compose.yaml + two/compose.prod.yaml', ['compose.yaml', 'compose.prod.yaml']],
    ]);
    await expect(lint([tree({ 'a.txt': '' })], { rules: [], cwd: root })).rejects.toBeInstanceOf(GalleyError);
    await expect(lint([path.join(root, 'missing')], { rules: [], cwd: root })).rejects.toThrow(/does not exist/);
  });

  it('ignore globs skip whole targets; an explicit configuration file wins over the nearest one', async () => {
    const dir = tree({
      '.galley.yml': 'ignore: ["vendor/**"]\n',
      'mine/compose.yml': 'services:\n  app: {}\n',
      'mine/abra.sh': '',
      'vendor/theirs/compose.yml': 'services:\n  app: {}\n',
      'vendor/theirs/abra.sh': '',
    });
    const report = await lint([path.join(dir, 'mine'), path.join(dir, 'vendor/theirs')], { rules: [needsImage], cwd: dir });
    expect(report.targets.map((t) => t.target)).toEqual(['mine']);
    const explicit = path.join(tree({ 'strict.yml': 'rules:\n  t/needs-image: warning\n' }), 'strict.yml');
    const withExplicit = await lint([path.join(dir, 'mine'), path.join(dir, 'vendor/theirs')], { rules: [needsImage], cwd: dir, configFile: explicit });
    expect(withExplicit.targets.map((t) => [t.target, t.findings[0]?.severity])).toEqual([
      ['mine', 'warning'],
      ['vendor/theirs', 'warning'],
    ]);
  });

  it('keeps the order of the targets given, whatever finishes first', async () => {
    const dirs = Array.from({ length: 12 }, (_, i) => tree({ 'compose.yml': `services:\n  app${i}: {}\n` }));
    const report = await lint([...dirs].reverse(), { rules: [needsImage], cwd: root });
    expect(report.targets.map((t) => t.findings[0]!.message)).toEqual(dirs.map((_, i) => `app${i} has no image`).reverse());
  });

  it('a bad configuration is a GalleyError naming file:line:col', async () => {
    const dir = tree({ ...recipe('services: {}\n'), '.galley.yml': 'rules:\n  t/needs-image: loud\n' });
    const error = await lint([dir], { rules: [needsImage], cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GalleyError);
    expect((error as GalleyError).span).toMatchObject({ file: '.galley.yml', line: 2, col: 18 });
  });
});

describe('lintWithFixes', () => {
  it('applies fixes in passes until none applies, without writing', async () => {
    const dir = tree(recipe('services: {}\n', 'DOMAIN=x\n'));
    const outcome = await lintWithFixes([dir], { rules: [envChain], cwd: dir });
    expect(outcome.passes).toBe(2);
    expect(outcome.changes.map((c) => [c.display, c.before, c.after])).toEqual([['.env.sample', 'DOMAIN=x\n', 'DOMAIN=x\nA=1\nB=1\n']]);
    expect(outcome.report.summary.errors).toBe(0);
    expect(readFileSync(path.join(dir, '.env.sample'), 'utf8')).toBe('DOMAIN=x\n');
    expect(unifiedDiff(outcome.changes)).toBe('--- a/.env.sample\n+++ b/.env.sample\n@@ -1,1 +1,3 @@\n DOMAIN=x\n+A=1\n+B=1\n');
  });

  it('overlapping edits: the first applies, the other is left for a later pass', async () => {
    const dir = tree(recipe('services: {}\n', 'X=old\n'));
    const outcome = await lintWithFixes([dir], { rules: [overlapping], cwd: dir });
    expect(outcome.changes[0]!.after).toBe('X=new\n');
    expect(outcome.passes).toBe(1);
  });

  it('stops after MAX_FIX_PASSES passes', async () => {
    const dir = tree(recipe('services: {}\n', 'A=1\n'));
    const outcome = await lintWithFixes([dir], { rules: [endless], cwd: dir });
    expect(outcome.passes).toBe(MAX_FIX_PASSES);
    expect(outcome.changes[0]!.after).toBe(`${'#\n'.repeat(MAX_FIX_PASSES)}A=1\n`);
  });
});
