import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { afterAll, describe, expect, it } from '@jest/globals';
import { findConfigFile, loadConfigFile, parseConfig } from './config.js';
import type { Rule } from './rule.js';
import { defaultPresets, resolveSettings } from './settings.js';

const rule = (id: string, extra: Partial<Rule['meta']> = {}): Rule => ({
  meta: {
    id,
    severity: 'warning',
    category: 'correctness',
    description: id,
    docs: { why: '', fix: '', wrong: '', right: '' },
    messages: { m: 'm' },
    fixable: false,
    presets: ['recommended'],
    ...extra,
  },
  check() {},
});

const rules = [
  rule('a/one'),
  rule('a/two', { presets: ['swarm'] }),
  rule('a/opts', { options: { type: 'object', properties: { max: { type: 'integer' } }, additionalProperties: false }, defaultOptions: { max: 3 } }),
];

function thrown(fn: () => unknown): GalleyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GalleyError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

async function rejected(promise: Promise<unknown>): Promise<GalleyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GalleyError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('parseConfig', () => {
  it('reads preset, rules (level or [level, options]) and ignore', () => {
    const config = parseConfig('preset: swarm\nrules:\n  a/one: off\n  a/opts: [error, { max: 5 }]\nignore:\n  - "compose.dev.yml"\n', '/x/.galley.yml');
    expect(config.preset).toEqual(['swarm']);
    expect(config.ignore).toEqual(['compose.dev.yml']);
    expect(config.rules.get('a/one')?.level).toBe('off');
    expect(config.rules.get('a/opts')).toMatchObject({ level: 'error', options: { max: 5 }, span: { line: 4, col: 3 } });
  });

  it('reads JSON too', () => {
    const config = parseConfig('{"preset": ["recommended", "coop-cloud"], "rules": {"a/one": "error"}}', '/x/.galley.json');
    expect(config.preset).toEqual(['recommended', 'coop-cloud']);
    expect(config.rules.get('a/one')?.level).toBe('error');
  });

  it('an empty file is the default configuration', () => {
    expect(parseConfig('', '/x/.galley.yml').rules.size).toBe(0);
  });

  it('names file:line:col of an unknown key, with did you mean', () => {
    const error = thrown(() => parseConfig('preset: swarm\nrulez:\n  a/one: off\n', path.join(process.cwd(), '.galley.yml')));
    expect(error.code).toBe('bad-config');
    expect(error.exitCode).toBe(2);
    expect(error.span).toMatchObject({ file: '.galley.yml', line: 2, col: 1, endLine: 2, endCol: 6 });
    expect(error.message).toBe('invalid configuration: unknown key "rulez" at the top level: did you mean "rules"?');
  });

  it('names the position of a bad severity', () => {
    const error = thrown(() => parseConfig('rules:\n  a/one: loud\n', '/x/.galley.yml'));
    expect(error.span).toMatchObject({ line: 2, col: 10 });
    expect(error.message).toMatch(/rules\.a\/one must be/);
  });

  it('names the position of a YAML syntax error', () => {
    const error = thrown(() => parseConfig('rules:\n  a/one: "off\n', '/x/.galley.yml'));
    expect(error.message).toMatch(/^invalid configuration: /);
    expect(error.span?.line).toBe(3);
  });
});

describe('findConfigFile', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the nearest configuration upward, .yml before .json', async () => {
    mkdirSync(path.join(dir, 'a/b/c'), { recursive: true });
    writeFileSync(path.join(dir, 'a/.galley.json'), '{}');
    writeFileSync(path.join(dir, 'a/.galley.yml'), 'preset: swarm\n');
    expect(await findConfigFile(path.join(dir, 'a/b/c'))).toBe(path.join(dir, 'a/.galley.yml'));
    expect((await loadConfigFile(path.join(dir, 'a/.galley.yml'))).preset).toEqual(['swarm']);
  });

  it('a missing explicit file is a configuration error', async () => {
    const error = await rejected(loadConfigFile(path.join(dir, 'nope.yml')));
    expect(error.message).toMatch(/does not exist/);
    expect(error.exitCode).toBe(2);
  });
});

describe('resolveSettings', () => {
  it('runs the rules of the chosen presets, with overrides', async () => {
    const config = parseConfig('rules:\n  a/two: error\n  a/one: off\n', '/x/.galley.yml');
    const settings = await resolveSettings(rules, config, ['recommended']);
    expect(settings.map((s) => [s.rule.meta.id, s.severity, s.options])).toEqual([
      ['a/two', 'error', {}],
      ['a/opts', 'warning', { max: 3 }],
    ]);
  });

  it('validates options against the rule options schema, at their position', async () => {
    const config = parseConfig('rules:\n  a/opts:\n    - warning\n    - max: many\n', '/x/.galley.yml');
    const error = await rejected(resolveSettings(rules, config, ['recommended']));
    expect(error.message).toBe('invalid options for rule a/opts: max must be an integer, not the string "many"');
    expect(error.span).toMatchObject({ line: 4, col: 12 });
  });

  it('an unknown rule id is an error with did you mean', async () => {
    const config = parseConfig('rules:\n  a/tow: off\n', '/x/.galley.yml');
    const error = await rejected(resolveSettings(rules, config, ['recommended']));
    expect(error.message).toBe('unknown rule "a/tow": did you mean "a/two"?');
    expect(error.span).toMatchObject({ line: 2, col: 3 });
  });

  it('recipes default to recommended + coop-cloud, compose files to recommended', () => {
    expect(defaultPresets('recipe')).toEqual(['recommended', 'coop-cloud']);
    expect(defaultPresets('compose-file')).toEqual(['recommended']);
  });
});
