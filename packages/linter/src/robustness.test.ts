import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemorySource, readRecipe } from '@galley/recipe';
import { allRules } from '@galley/rules';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LintSession } from './engine.js';

/**
 * Property test: mutated compose files (truncations, swapped indentation,
 * random bytes, deep nesting, huge scalars, alias bombs) go through the whole
 * pipeline with every rule. It never throws, no rule crashes, and every
 * finding has a position; an unreadable file always yields a syntax finding.
 * Per-input time is measured and printed, not asserted (shared machines).
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-robust-'));
const config = path.join(dir, '.galley.yml');
writeFileSync(config, '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASES = [
  'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - DOMAIN=${DOMAIN}\n    deploy:\n      labels:\n        - "traefik.enable=true"\n    secrets:\n      - db_password\n    networks:\n      - proxy\nsecrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\nnetworks:\n  proxy:\n    external: true\n',
  'x-env: &env\n  A: 1\nservices:\n  app:\n    image: "git.coopcloud.tech/coop-cloud/app:1.2.3"\n    environment: *env\n    ports: ["80:80", "${PORT}:443"]\n  db:\n    <<: &db\n      image: postgres:16\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data: {}\n',
];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), indent: fc.constantFrom('', ' ', '\t', '   ', '        ') }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 40 }) }),
  fc.record({ kind: fc.constant('unicode' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 30 }) }),
  fc.record({ kind: fc.constant('nest' as const), depth: fc.integer({ min: 50, max: 5000 }), flow: fc.boolean() }),
  fc.record({ kind: fc.constant('huge' as const), size: fc.integer({ min: 10_000, max: 300_000 }) }),
  fc.record({ kind: fc.constant('bomb' as const), levels: fc.integer({ min: 3, max: 12 }), width: fc.integer({ min: 2, max: 10 }) }),
  fc.record({
    kind: fc.constant('token' as const),
    at: fc.nat(),
    token: fc.constantFrom(':', '- ', '[', '{', '"', "'", '&a', '*a', '<<: ', '!reset ', '${', '\n', '#'),
  }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'indent': {
      const lines = text.split('\n');
      const i = m.line % lines.length;
      lines[i] = m.indent + lines[i]!.trimStart();
      return lines.join('\n');
    }
    case 'bytes': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + Buffer.from(m.bytes).toString('latin1') + text.slice(at);
    }
    case 'unicode': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'nest':
      return m.flow
        ? `services:\n  app:\n    x-deep: ${'['.repeat(m.depth)}1${']'.repeat(m.depth)}\n`
        : `services:\n  app:\n${Array.from({ length: m.depth }, (_, i) => `${'  '.repeat(i + 2)}k${i}:`).join('\n')} 1\n`;
    case 'huge':
      return `${text}x-huge: "${'x'.repeat(m.size)}"\n`;
    case 'bomb': {
      const lines = [`l0: &l0 [${Array.from({ length: m.width }, () => '"lol"').join(', ')}]`];
      for (let i = 1; i < m.levels; i++) lines.push(`l${i}: &l${i} [${Array.from({ length: m.width }, () => `*l${i - 1}`).join(', ')}]`);
      return `${lines.join('\n')}\n${text}`;
    }
    case 'token': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.token + text.slice(at);
    }
  }
}

describe('lint pipeline robustness', () => {
  const session = new LintSession({ rules: allRules, configFile: config, cwd: dir });
  const durations: number[] = [];
  afterAll(() => {
    durations.sort((a, b) => a - b);
    const p = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]?.toFixed(1);
    process.stdout.write(`robustness: ${durations.length} inputs, per-input ms median ${p(0.5)}, p95 ${p(0.95)}, max ${p(1)}\n`);
  });

  it('never throws; every finding has a position; unreadable YAML yields a syntax finding', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BASES), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (base, mutations) => {
        const text = mutations.reduce(apply, base);
        const started = performance.now();
        const recipe = await readRecipe(new MemorySource({ 'compose.yml': text, '.env.sample': 'DOMAIN=app.example.com\n' }), 'robust');
        const result = await session.lintRecipe(recipe, { kind: 'folder', spec: dir, dir });
        durations.push(performance.now() - started);
        expect(result.crashes).toEqual([]);
        for (const f of [...result.findings, ...result.suppressed]) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.col).toBeGreaterThanOrEqual(1);
          expect(f.endLine).toBeGreaterThanOrEqual(f.line);
          expect(typeof f.message).toBe('string');
        }
        // Too large to read (no parsed file) or parsed with errors: either way a syntax finding.
        const parsed = recipe.composeFiles.get('compose.yml');
        if (!parsed || parsed.diagnostics.some((d) => d.severity === 'error')) {
          expect(result.findings.some((f) => f.ruleId === 'compose/yaml-syntax' && f.file === 'compose.yml' && f.severity === 'error')).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
