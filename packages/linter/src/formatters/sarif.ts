import { pathToFileURL } from 'node:url';
import type { LintReport } from '../engine.js';
import { frameWindow } from '../limits.js';
import type { Finding, Severity, TextEdit } from '../rule.js';
import { firstParagraph } from '../runner.js';
import { fingerprints, type Located, locatedFindings, locatedSuppressed, ruleDocsUrl, sourceLine } from './common.js';

declare const GALLEY_VERSION: string;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const BASE_ID = 'SRCROOT';

function encodePath(p: string): string {
  return p
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function region(f: { line: number; col: number; endLine: number; endCol: number }): Record<string, number> {
  const out: Record<string, number> = { startLine: f.line, startColumn: f.col };
  if (f.endLine > f.line || (f.endLine === f.line && f.endCol > f.col)) {
    out.endLine = f.endLine;
    out.endColumn = f.endCol;
  }
  return out;
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers: one run, the rules
 * that ran (with docs links, default level, category and presets), each
 * finding with its exact region, a line-independent fingerprint, and its fix
 * as replacements. Findings suppressed by comments are included with an
 * in-source suppression, as SARIF expects.
 */
export function formatSarif(report: LintReport): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.meta.id, i]));
  const rules = report.rules.map((r) => ({
    id: r.meta.id,
    name: r.meta.id.replace(/[/-](\w)/g, (_m, ch: string) => ch.toUpperCase()).replace(/^\w/, (ch) => ch.toUpperCase()),
    shortDescription: { text: r.meta.abra ? `${r.meta.description} (abra ${r.meta.abra})` : r.meta.description },
    fullDescription: { text: firstParagraph(r.meta.docs.why) || r.meta.description },
    help: { text: r.meta.docs.fix, markdown: `${r.meta.docs.why}\n\n**How to fix:** ${r.meta.docs.fix}` },
    helpUri: ruleDocsUrl(r.meta.id),
    defaultConfiguration: { level: LEVEL[r.meta.severity] },
    properties: {
      category: r.meta.category,
      presets: r.meta.presets,
      tags: [...new Set([r.meta.category, ...r.meta.presets])],
      fixable: r.meta.fixable,
      ...(r.meta.abra ? { abra: r.meta.abra } : {}),
    },
  }));

  const active = locatedFindings(report);
  const suppressed = locatedSuppressed(report);
  const all = [...active, ...suppressed];
  const prints = fingerprints(all);
  const results = all.map((item, i) => result(item, prints[i]!, ruleIndex));

  const notifications = report.targets.flatMap((t) =>
    t.crashes.map((c) => ({
      level: 'error' as const,
      message: { text: `rule ${c.ruleId} crashed on ${t.target}: ${c.message}` },
      associatedRule: { id: c.ruleId },
    })),
  );
  const log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'galley',
            informationUri: ruleDocsUrl('README').replace(/README\.md$/, ''),
            version: typeof GALLEY_VERSION === 'string' ? GALLEY_VERSION : '0.0.0-dev',
            rules,
          },
        },
        originalUriBaseIds: { [BASE_ID]: { uri: pathToFileURL(report.cwd.endsWith('/') ? report.cwd : `${report.cwd}/`).href } },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function result(item: Located, fingerprint: string, ruleIndex: Map<string, number>): Record<string, unknown> {
  const { finding: f, path } = item;
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    level: LEVEL[f.severity],
    message: { text: f.remediation ? `${f.message}\nHow to fix: ${f.remediation}` : f.message },
    locations: [location(path, f)],
    partialFingerprints: { 'galley/v1': fingerprint },
    ...(f.abra ? { properties: { abra: f.abra } } : {}),
  };
  const index = ruleIndex.get(f.ruleId);
  if (index !== undefined) out.ruleIndex = index;
  // A bounded window of the line: a one-line 100 KB file must not be copied into every result.
  const line = sourceLine(item.result, f.file, f.line);
  const snippet = line && frameWindow(line, f.col, f.endLine === f.line ? f.endCol : line.length + 1).text;
  if (snippet)
    (out.locations as Record<string, Record<string, unknown>>[])[0]!.physicalLocation!.contextRegion = { startLine: f.line, snippet: { text: snippet } };
  if (f.related?.length) {
    out.relatedLocations = f.related.map((r, i) => ({
      id: i,
      message: { text: r.message },
      physicalLocation: { artifactLocation: { uri: encodePath(`${item.result.base}${r.span.file}`), uriBaseId: BASE_ID }, region: region(r.span) },
    }));
  }
  const fixes = [...(f.fix ? [f.fix] : []), ...(f.suggestions ?? [])].map((fix) => ({
    description: { text: fix.description },
    artifactChanges: changes(item, fix.edits),
  }));
  if (fixes.length) out.fixes = fixes;
  if (item.suppressed) {
    out.suppressions = [{ kind: 'inSource', ...(item.suppressed.justification ? { justification: item.suppressed.justification } : {}) }];
  }
  return out;
}

function location(path: string, f: Finding): { physicalLocation: Record<string, unknown> } {
  return { physicalLocation: { artifactLocation: { uri: encodePath(path), uriBaseId: BASE_ID }, region: region(f) } };
}

function changes(item: Located, edits: readonly TextEdit[]): Record<string, unknown>[] {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return [...byFile].map(([file, list]) => ({
    artifactLocation: { uri: encodePath(`${item.result.base}${file}`), uriBaseId: BASE_ID },
    replacements: list.map((e) => ({
      deletedRegion: { charOffset: e.offset, charLength: e.endOffset - e.offset },
      ...(e.text ? { insertedContent: { text: e.text } } : {}),
    })),
  }));
}
