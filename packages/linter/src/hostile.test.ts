import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_ENV_VALUE_LENGTH, MAX_YAML_ALIASES, MAX_YAML_SYNTAX_ERRORS, MemorySource, readRecipe } from '@galley/recipe';
import { allRules } from '@galley/rules';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type LintReport, LintSession, summarize, type TargetResult } from './engine.js';
import { FORMATS, formatReport } from './formatters/index.js';
import { MAX_FINDINGS_PER_RULE_AND_FILE, MAX_FRAME_WIDTH, MAX_MESSAGE_LENGTH } from './limits.js';

/**
 * Hostile input through the whole lint pipeline and every format: one case
 * for each class of issue 16 that lives in a recipe's text (expansion bombs,
 * nesting, alias floods, error floods, long lines, many ports, secrets,
 * services and depends_on edges), then a seeded, count-bounded fuzz over
 * mutations of fixtures written here. Each input must give a bounded report:
 * no rule crash, messages and code frames of bounded width, at most
 * MAX_FINDINGS_PER_RULE_AND_FILE (+1) findings per rule and file, output
 * proportional to the findings. Time is not asserted (shared machines).
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-hostile-'));
const config = path.join(dir, '.galley.yml');
writeFileSync(config, '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const session = new LintSession({ rules: allRules, configFile: config, cwd: dir });

async function lintTexts(files: Record<string, string>): Promise<{ result: TargetResult; report: LintReport }> {
  const recipe = await readRecipe(new MemorySource(files), 'hostile');
  const result = await session.lintRecipe(recipe, { kind: 'folder', spec: dir, dir });
  const report: LintReport = { cwd: dir, targets: [result], rules: session.rules, available: session.rules, summary: summarize([result]) };
  return { result, report };
}

/** What every hostile input must give: checked for each format. */
function expectBounded({ result, report }: { result: TargetResult; report: LintReport }): void {
  expect(result.crashes).toEqual([]);
  const perRuleAndFile = new Map<string, number>();
  for (const f of result.findings) {
    expect(f.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    const key = `${f.file}\0${f.ruleId}`;
    perRuleAndFile.set(key, (perRuleAndFile.get(key) ?? 0) + 1);
  }
  for (const n of perRuleAndFile.values()) expect(n).toBeLessThanOrEqual(MAX_FINDINGS_PER_RULE_AND_FILE + 1);
  // Per finding: its message, a frame of bounded width, the remediation and the format's own markup.
  const budget = 8192 + result.findings.length * (2 * MAX_MESSAGE_LENGTH + 3 * MAX_FRAME_WIDTH + 2048);
  for (const format of FORMATS) {
    const out = formatReport(report, format);
    expect(out.length).toBeLessThanOrEqual(budget + report.rules.length * 4096);
    if (format === 'stylish') {
      for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH + MAX_FRAME_WIDTH + 400);
    }
  }
}

const BASE = 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n';
const SAMPLE = 'TYPE=hostile\nDOMAIN=hostile.example.com\n';

function doublingEnv(lines: number): string {
  let text = 'A0=0123456789abcdef\n';
  for (let i = 1; i <= lines; i++) text += `A${i}=$A${i - 1}$A${i - 1}\n`;
  return text;
}

const nested = (depth: number) => `${'${A:-'.repeat(depth)}x${'}'.repeat(depth)}`;

function aliases(count: number): string {
  return `x-a: &a {k: v}\n${BASE}x-many:\n${Array.from({ length: count }, () => '  - *a\n').join('')}`;
}

function list(key: string, count: number, item: (i: number) => string, tail = ''): string {
  return `${BASE}    ${key}:\n${Array.from({ length: count }, (_, i) => `      - ${item(i)}\n`).join('')}${tail}`;
}

function manyServices(count: number): string {
  const lines = ['version: "3.8"', 'services:'];
  for (let i = 0; i < count; i++) lines.push(`  s${i}:`, '    image: nginx:1.27.3', `    depends_on: [s${(i + 1) % count}]`, `    ports: ["${10000 + i}:80"]`);
  return `${lines.join('\n')}\n`;
}

describe('hostile input, one case per class of issue 16', () => {
  it('a .env.sample whose $VAR expansion doubles stops at the value limit, with a finding on that line', async () => {
    const out = await lintTexts({ 'compose.yml': BASE, '.env.sample': `${SAMPLE}${doublingEnv(40)}` });
    expectBounded(out);
    const limit = out.result.findings.find((f) => f.ruleId === 'recipe/env-sample' && f.messageId === 'limit');
    expect(limit).toBeDefined();
    expect(limit!.message).toContain(String(MAX_ENV_VALUE_LENGTH));
    expect(limit!.file).toBe('.env.sample');
    // 16 characters doubled: line n holds 16·2^n; the first over 64 Ki is A13, on line 3 + 13.
    expect(limit!.line).toBe(16);
  });

  it('3000 nested ${A:-…} give one interpolation finding naming the depth limit', async () => {
    const out = await lintTexts({ 'compose.yml': `${BASE}    environment:\n      - X=${nested(3000)}\n`, '.env.sample': SAMPLE });
    expectBounded(out);
    expect(out.result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'compose/interpolation',
        file: 'compose.yml',
        line: 6,
        message: expect.stringMatching(/nested deeper than \d+ levels/),
      }),
    );
  });

  it('more aliases than the limit are refused with one finding at the first alias over it', async () => {
    const out = await lintTexts({ 'compose.yml': aliases(MAX_YAML_ALIASES + 5), '.env.sample': SAMPLE });
    expectBounded(out);
    const syntax = out.result.findings.filter((f) => f.ruleId === 'compose/yaml-syntax');
    expect(syntax).toEqual([expect.objectContaining({ message: expect.stringContaining(`more than ${MAX_YAML_ALIASES} aliases`) })]);
    // x-a, four lines of services, x-many, then one alias a line: the first over the limit.
    expect(syntax[0]!.line).toBe(6 + MAX_YAML_ALIASES + 1);
  });

  it('a long chain of aliases to anchors holding aliases is refused, naming the limit', async () => {
    // Anchors in complex keys are not converted where they are written: each alias then follows the whole chain.
    const keys = ['  ? &a0 {k: v}\n  : 0'];
    for (let i = 1; i <= 100; i++) keys.push(`  ? &a${i} {k: *a${i - 1}}\n  : ${i}`);
    const text = `x-chain:\n${keys.join('\n')}\n${BASE}x-use: *a100\n`;
    const out = await lintTexts({ 'compose.yml': text, '.env.sample': SAMPLE });
    expectBounded(out);
    expect(out.result.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'compose/yaml-syntax', message: expect.stringMatching(/chain of more than \d+ aliases/) }),
    );
  });

  it('a flood of broken YAML tokens gives the first few syntax errors and a count', async () => {
    const text = `${BASE}${'x: a: b\n'.repeat(13_000)}`;
    const out = await lintTexts({ 'compose.yml': text, '.env.sample': SAMPLE });
    expectBounded(out);
    const syntax = out.result.findings.filter((f) => f.ruleId === 'compose/yaml-syntax');
    expect(syntax.length).toBe(MAX_YAML_SYNTAX_ERRORS + 1);
    expect(syntax.at(-1)!.message).toMatch(/: and (at least )?\d+ more syntax errors from here on, not shown/);
  });

  it('a flood of "]" and "}" that close nothing is refused before parsing', async () => {
    const out = await lintTexts({ 'compose.yml': `${BASE}${': - ] }\n'.repeat(2000)}`, '.env.sample': SAMPLE });
    expectBounded(out);
    const syntax = out.result.findings.filter((f) => f.ruleId === 'compose/yaml-syntax');
    // One stray closer a line from line 5 (the "}" follows the "]", where no value starts): the 201st is on line 205.
    expect(syntax).toEqual([expect.objectContaining({ message: expect.stringContaining('more than 200 "]" or "}" that close nothing'), line: 205, col: 5 })]);
  });

  it('unclosed "[ {" nested a hundred thousand deep are refused before parsing, at the bracket over the limit', async () => {
    const text = `${BASE}${'  - : [ {\n'.repeat(50_000)}`;
    const out = await lintTexts({ 'compose.yml': text, '.env.sample': SAMPLE });
    expectBounded(out);
    const syntax = out.result.findings.filter((f) => f.ruleId === 'compose/yaml-syntax');
    // Line 5 opens levels 1 and 2, line 5 + k levels 2k + 1 and 2k + 2: level 201 is the "[" of line 105.
    expect(syntax).toEqual([expect.objectContaining({ message: expect.stringContaining('nested deeper than 200 levels'), line: 5 + 100, col: 7 })]);
  });

  it('a 99 KB one-line file gets code frames cut around the column', async () => {
    const text = `${BASE}    command: ${JSON.stringify('a'.repeat(99_000))} ] ] ]\n`;
    const out = await lintTexts({ 'compose.yml': text, '.env.sample': SAMPLE });
    expectBounded(out);
    const stylish = formatReport(out.report, 'stylish');
    expect(stylish).toContain('…');
    expect(stylish.length).toBeLessThan(20_000);
  });

  it('many ports, secrets, depends_on edges and services give bounded reports', async () => {
    // Linear cost is measured in bench/hostile.bench.mjs; here: every rule finishes and the report stays bounded.
    const ports = list('ports', 10_000, (i) => `"${1000 + (i % 8_000)}:80"`);
    expectBounded(await lintTexts({ 'compose.yml': ports, '.env.sample': SAMPLE }));
    const secrets = list('secrets', 5_000, (i) => `s${i}`, `secrets:\n${Array.from({ length: 5_000 }, (_, i) => `  s${i}:\n    external: true\n`).join('')}`);
    const out = await lintTexts({ 'compose.yml': secrets, '.env.sample': SAMPLE });
    expectBounded(out);
    // Every secret lacks a version variable: capped at the per-rule limit plus one "and N more".
    const names = out.result.findings.filter((f) => f.ruleId === 'recipe/secret-name-length' || f.ruleId === 'recipe/secret-version-env');
    expect(names.some((f) => /and \d+ more .* not shown/.test(f.message)) || names.length <= MAX_FINDINGS_PER_RULE_AND_FILE).toBe(true);
    expectBounded(await lintTexts({ 'compose.yml': manyServices(2_000), '.env.sample': SAMPLE }));
  });

  it('a flood of one rule is collapsed into the first findings and a count', async () => {
    // 300 services without a healthcheck: swarm/healthcheck reports each (coop-cloud preset).
    const out = await lintTexts({ 'compose.yml': manyServices(300), '.env.sample': SAMPLE });
    expectBounded(out);
    const health = out.result.findings.filter((f) => f.ruleId === 'swarm/healthcheck');
    expect(health).toHaveLength(MAX_FINDINGS_PER_RULE_AND_FILE + 1);
    expect(health.at(-1)!.message).toBe(
      `and 200 more swarm/healthcheck findings in compose.yml from here on, not shown (galley shows the first ${MAX_FINDINGS_PER_RULE_AND_FILE} of a rule per file)`,
    );
  });
});

// ---- seeded fuzz ------------------------------------------------------------

const FIXTURES = [
  `${BASE}    environment:\n      - DOMAIN=\${DOMAIN}\n      - HOME=\${HOME:-/srv/\${USER:-app}}\n    ports:\n      - "8080:80"\n      - target: 443\n        published: 8443\n        mode: host\n    secrets: [db_password]\n    depends_on: [db]\n  db:\n    image: postgres:16.4\n    healthcheck:\n      test: ["CMD", "pg_isready"]\nsecrets:\n  db_password:\n    external: true\n    name: \${STACK_NAME}_db_password_\${SECRET_DB_PASSWORD_VERSION}\n`,
  'x-base: &base\n  image: nginx:1.27.3\n  deploy:\n    labels: ["traefik.enable=true"]\nservices:\n  app:\n    <<: *base\n    configs:\n      - source: conf\n        target: /etc/app.conf\n  worker:\n    <<: *base\n    command: ["run", "$${JOB}"]\nconfigs:\n  conf:\n    file: app.conf\n    name: ${STACK_NAME}_conf_${CONF_VERSION}\n',
];
const ENVS = [SAMPLE, `${SAMPLE}SECRET_DB_PASSWORD_VERSION=v1 # length=32\nCONF_VERSION=v1\nHOME="\${DOMAIN}/$DOMAIN"\n`];

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('token' as const),
    at: fc.nat(),
    token: fc.constantFrom(':', '- ', '[', '{', ']', '}', '"', "'", '&a ', '*a', '<<: ', '${', '$', '\t', '\n', '#', '\0', '\r', '\u001b[2J', '\u202e'),
  }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }), times: fc.integer({ min: 2, max: 3000 }) }),
  fc.record({ kind: fc.constant('nestVars' as const), depth: fc.integer({ min: 10, max: 4000 }) }),
  fc.record({ kind: fc.constant('doubleEnv' as const), lines: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('aliases' as const), count: fc.integer({ min: 1, max: 12_000 }) }),
  fc.record({
    kind: fc.constant('items' as const),
    key: fc.constantFrom('ports', 'secrets', 'depends_on', 'volumes', 'labels', 'environment'),
    count: fc.integer({ min: 1, max: 3000 }),
  }),
  fc.record({ kind: fc.constant('longLine' as const), length: fc.integer({ min: 1000, max: 120_000 }) }),
  fc.record({ kind: fc.constant('duplicates' as const), count: fc.integer({ min: 2, max: 3000 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(files: { compose: string; env: string }, m: Mutation): { compose: string; env: string } {
  const { compose, env } = files;
  switch (m.kind) {
    case 'token': {
      const at = m.at % (compose.length + 1);
      return { compose: compose.slice(0, at) + m.token + compose.slice(at), env };
    }
    case 'repeat': {
      const at = m.at % (compose.length + 1);
      const piece = compose.slice(at, at + m.length);
      return { compose: compose.slice(0, at) + piece.repeat(m.times) + compose.slice(at), env };
    }
    case 'nestVars':
      return { compose: `${compose}x-nested: "${nested(m.depth)}"\n`, env };
    case 'doubleEnv':
      return { compose, env: env + doublingEnv(m.lines) };
    case 'aliases':
      return { compose: `x-a: &a {k: v}\n${compose}x-many: [${Array.from({ length: m.count }, () => '*a').join(', ')}]\n`, env };
    case 'items': {
      const item = (i: number) => (m.key === 'ports' ? `"${1 + (i % 65_000)}:80"` : m.key === 'labels' || m.key === 'environment' ? `K${i}=v` : `n${i}`);
      return {
        compose: `${compose}  extra:\n    image: nginx:1.27.3\n    ${m.key}:\n${Array.from({ length: m.count }, (_, i) => `      - ${item(i)}\n`).join('')}`,
        env,
      };
    }
    case 'longLine':
      return { compose: `${compose}x-long: ${'ab$'.repeat(Math.ceil(m.length / 3))}\n`, env };
    case 'duplicates':
      return { compose: `${compose}x-dup:\n${'  k: v\n'.repeat(m.count)}`, env };
  }
}

describe('seeded fuzz over hostile mutations', () => {
  const durations: number[] = [];
  afterAll(() => {
    durations.sort((a, b) => a - b);
    const p = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]?.toFixed(0);
    process.stdout.write(`hostile fuzz: ${durations.length} inputs, per-input ms median ${p(0.5)}, p95 ${p(0.95)}, max ${p(1)}\n`);
  });

  it('every mutated recipe gives a bounded report in every format, without a rule crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: FIXTURES.length - 1 }),
        fc.nat({ max: ENVS.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (c, e, mutations) => {
          const files = mutations.reduce(mutate, { compose: FIXTURES[c]!, env: ENVS[e]! });
          const started = performance.now();
          expectBounded(await lintTexts({ 'compose.yml': files.compose, '.env.sample': files.env, 'app.conf': 'x\n' }));
          durations.push(performance.now() - started);
        },
      ),
      // Count-bounded and seeded: the same 60 inputs every run.
      { numRuns: 60, seed: 16_2026, endOnFailure: true },
    );
  }, 600_000);
});
