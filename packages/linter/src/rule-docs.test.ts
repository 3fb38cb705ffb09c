import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { allRules } from '@galley/rules';
import { describe, expect, it } from '@jest/globals';
import { knownRules } from './engine.js';
import { explainRule, listRules, ruleDocFiles } from './rule-docs.js';

const docs = path.resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../../docs/rules');

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(path.join(dir, name)).isDirectory() ? walk(path.join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`],
  );
}

describe('docs/rules', () => {
  const expected = ruleDocFiles(knownRules(allRules));

  it('holds exactly one page per rule and the index (run `npm run docs` after changing rules)', () => {
    expect(walk(docs).sort()).toEqual([...expected.keys()].sort());
  });

  it.each([...expected.keys()])('%s is up to date (run `npm run docs`)', (file) => {
    expect(readFileSync(path.join(docs, file), 'utf8')).toBe(expected.get(file));
  });
});

describe('--explain and --list-rules text', () => {
  const rules = knownRules(allRules);
  it('explains a rule with why, how to fix, wrong and right examples', () => {
    const rule = rules.find((r) => r.meta.id === 'compose/schema')!;
    const text = explainRule(rule);
    expect(text).toMatch(/^compose\/schema — /);
    for (const part of ['Why it matters', 'How to fix', 'Wrong (compose.yml)', 'Right (compose.yml)', rule.meta.docs.why]) expect(text).toContain(part);
  });

  it('lists every rule with severity, presets and fixability', () => {
    const lines = listRules(rules).trimEnd().split('\n');
    expect(lines).toHaveLength(rules.length + 1);
    expect(lines.find((l) => l.startsWith('galley/unused-disable'))).toMatch(/warning +recommended,swarm,coop-cloud +fix +A `# galley-disable…`/);
  });
});
