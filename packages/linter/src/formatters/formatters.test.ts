import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allRules } from '@galley/rules';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type LintReport, lint } from '../engine.js';
import { onlyErrors } from '../output.js';
import type { Finding } from '../rule.js';
import { escapeData, escapeProperty, formatReport, githubStepSummary } from './index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let report: LintReport;
beforeAll(async () => {
  writeFileSync(
    path.join(dir, 'compose.yml'),
    [
      'services:',
      '  app:',
      '    image: nginx:1.27.3',
      '    lables: x',
      '    environment: 5 # galley-disable-line compose/schema -- kept on purpose',
      '    ports: 80 # galley-disable-line compose/yaml-syntax',
      'foo: 1',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'other.yml'), 'services:\n  app:\n    image: nginx:1.27.3\n');
  report = await lint([path.join(dir, 'compose.yml'), path.join(dir, 'other.yml')], { rules: allRules, cwd: dir });
});

// CommonJS packages: their `default` export is the class / plugin itself.
const Ajv04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

/** The SARIF 2.1.0 schema, vendored and pinned in schemas/vendor (see its README for the source). */
const SARIF_SCHEMA = path.resolve(import.meta.dirname, '../../../../schemas/vendor/sarif-schema-2.1.0.json');
const SARIF_SHA256 = 'c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e';

function sarifValidator() {
  const text = readFileSync(SARIF_SCHEMA);
  expect(createHash('sha256').update(text).digest('hex')).toBe(SARIF_SHA256);
  const schema = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
  const ajv = new Ajv04({ allErrors: true, strict: false });
  // uri, uri-reference, date-time are checked too.
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('sarif', () => {
  // The OASIS SARIF 2.1.0 errata01 schema (draft-04), vendored in schemas/vendor.
  it('validates against the SARIF 2.1.0 schema', () => {
    const log = JSON.parse(formatReport(report, 'sarif'));
    const validate = sarifValidator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('has rule metadata, regions, fingerprints, fixes and in-source suppressions', () => {
    const log = JSON.parse(formatReport(report, 'sarif'));
    const run = log.runs[0];
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toContain('compose/schema');
    const schemaRule = run.tool.driver.rules[ids.indexOf('compose/schema')];
    expect(schemaRule).toMatchObject({ defaultConfiguration: { level: 'error' }, properties: { category: 'schema' } });
    expect(schemaRule.helpUri).toMatch(/docs\/rules\/compose\/schema\.md$/);
    const unknown = run.results.find((r: { message: { text: string } }) => r.message.text.startsWith('unknown key "lables"'));
    expect(unknown).toMatchObject({
      ruleId: 'compose/schema',
      ruleIndex: ids.indexOf('compose/schema'),
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'compose.yml', uriBaseId: 'SRCROOT' },
            region: { startLine: 4, startColumn: 5, endLine: 4, endColumn: 11 },
          },
        },
      ],
    });
    expect(unknown.fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe('labels');
    const suppressed = run.results.filter((r: { suppressions?: unknown }) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppressions).toEqual([{ kind: 'inSource', justification: 'kept on purpose' }]);
    const unused = run.results.find((r: { ruleId: string }) => r.ruleId === 'galley/unused-disable');
    expect(unused.fixes[0].artifactChanges[0].replacements[0].deletedRegion.charLength).toBeGreaterThan(0);
  });

  it('fingerprints do not depend on line numbers', async () => {
    const before = JSON.parse(formatReport(report, 'sarif')).runs[0].results.map(
      (r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['galley/v1'],
    );
    const shifted = mkdtempSync(path.join(os.tmpdir(), 'galley-format-'));
    try {
      const text = readFileSync(path.join(dir, 'compose.yml'), 'utf8');
      writeFileSync(path.join(shifted, 'compose.yml'), `# a comment\n\n${text}`);
      writeFileSync(path.join(shifted, 'other.yml'), readFileSync(path.join(dir, 'other.yml'), 'utf8'));
      const moved = await lint([path.join(shifted, 'compose.yml'), path.join(shifted, 'other.yml')], { rules: allRules, cwd: shifted });
      const after = JSON.parse(formatReport(moved, 'sarif')).runs[0].results.map(
        (r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['galley/v1'],
      );
      expect(after).toEqual(before);
      expect(new Set(before).size).toBe(before.length);
    } finally {
      rmSync(shifted, { recursive: true, force: true });
    }
  });
});

describe('github', () => {
  it('escapes messages and properties', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('prints one annotation per finding with the exact range, then a summary', () => {
    const text = formatReport(report, 'github');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^::error file=compose\.yml,line=4,col=5,endLine=4,endColumn=11,title=compose\/schema \(galley\)::unknown key "lables"/);
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(report.summary.errors + report.summary.warnings + report.summary.infos);
    expect(lines[lines.length - 1]).toMatch(/^galley lint: \d+ problems/);
    for (const line of lines.filter((l) => l.startsWith('::'))) expect(line.split('::')[2]).not.toMatch(/[\r\n]/);
  });

  it('says when GitHub caps annotations, and writes a markdown step summary', () => {
    const many: Finding[] = Array.from({ length: 12 }, (_, i) => ({
      ruleId: 'a/b',
      messageId: 'm',
      severity: 'error',
      message: `p|${i}`,
      file: 'c.yml',
      line: i + 1,
      col: 1,
      endLine: i + 1,
      endCol: 2,
    }));
    const big: LintReport = {
      ...report,
      targets: [{ ...report.targets[1]!, findings: many }],
      summary: { ...report.summary, errors: 12, warnings: 0, infos: 0 },
    };
    expect(formatReport(big, 'github')).toMatch(/GitHub shows only the first 10 annotations of each type/);
    const summary = githubStepSummary(big);
    expect(summary).toMatch(/^### galley lint/);
    expect(summary.split('\n').filter((l) => l.startsWith('| error'))).toHaveLength(12);
    expect(summary).toContain('p&#124;3');
  });
});

describe('gitlab', () => {
  it('is Code Quality JSON with unique fingerprints', () => {
    const issues = JSON.parse(formatReport(report, 'gitlab')) as {
      fingerprint: string;
      severity: string;
      check_name: string;
      description: string;
      location: { path: string; lines: { begin: number } };
    }[];
    expect(issues.length).toBe(report.summary.errors + report.summary.warnings + report.summary.infos);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    for (const issue of issues) {
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(issue.severity);
      expect(issue.location.path).toMatch(/\.yml$/);
      expect(issue.location.lines.begin).toBeGreaterThan(0);
      expect(issue.check_name).toMatch(/\//);
    }
  });
});

describe('junit', () => {
  it('is well-formed XML: a suite per file, a failing case per finding, a passing case per clean file', () => {
    const xml = formatReport(report, 'junit');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml);
    const suites = doc.testsuites.testsuite as { '@_name': string; testcase: { failure?: unknown }[] }[];
    const byName = new Map(suites.map((s) => [s['@_name'], s]));
    expect(byName.get('compose.yml')!.testcase.every((c) => c.failure)).toBe(true);
    expect(byName.get('compose.yml')!.testcase).toHaveLength(report.targets[0]!.findings.length);
    expect(byName.get('other.yml')!.testcase).toEqual([{ '@_classname': 'other.yml', '@_name': 'galley lint' }]);
  });
});

describe('compact and --quiet', () => {
  it('prints file:line:col: severity message [rule], one line each, then the summary', () => {
    const lines = formatReport(report, 'compact').trimEnd().split('\n');
    expect(lines[0]).toBe('compose.yml:4:5: error unknown key "lables" in services.app: did you mean "labels"? [compose/schema]');
    expect(lines).toHaveLength(report.summary.errors + report.summary.warnings + report.summary.infos + 1);
    expect(lines[lines.length - 1]).toMatch(/^\d+ problems/);
  });

  it('--quiet keeps the errors only, in the findings and the counts', () => {
    const quiet = onlyErrors(report);
    expect(quiet.targets.flatMap((t) => t.findings).every((f) => f.severity === 'error')).toBe(true);
    expect(quiet.summary).toMatchObject({ errors: report.summary.errors, warnings: 0, infos: 0 });
  });
});

describe('stylish and json', () => {
  it('stylish shows a code frame with the caret under the exact columns, no colours unless asked', () => {
    const text = formatReport(report, 'stylish');
    expect(text).not.toMatch(/\x1b\[/);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('unknown key "lables"'));
    expect(lines[at]).toMatch(/^ {2}4:5 +error +unknown key "lables" in services\.app: did you mean "labels"\? +compose\/schema$/);
    expect(lines[at + 1]).toBe('    4 |     lables: x');
    expect(lines[at + 2]).toBe(`${' '.repeat(4 + 4 + 4)}~~~~~~`);
    expect(formatReport(report, 'stylish', { color: true })).toMatch(/\x1b\[/);
  });

  it('json has every finding with its path, and the summary', () => {
    const out = JSON.parse(formatReport(report, 'json'));
    expect(out.summary).toEqual(report.summary);
    expect(out.targets[0].findings[0]).toMatchObject({ path: 'compose.yml', ruleId: expect.any(String), line: expect.any(Number) });
  });
});
