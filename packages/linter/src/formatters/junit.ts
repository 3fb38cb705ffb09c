import { displayPath, type LintReport } from '../engine.js';
import type { Finding } from '../rule.js';
import { ruleLabel } from './common.js';

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * JUnit XML (Jenkins, GitLab test reports): a testsuite per linted file, a
 * failing testcase per finding, and one passing testcase for a clean file.
 */
export function formatJunit(report: LintReport): string {
  const suites: { name: string; findings: Finding[] }[] = [];
  for (const result of report.targets) {
    const byFile = new Map<string, Finding[]>();
    for (const file of [...result.files.keys()].sort()) byFile.set(file, []);
    for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const [file, findings] of byFile) suites.push({ name: displayPath(result, file), findings });
  }
  const failures = suites.reduce((n, s) => n + s.findings.length, 0);
  const tests = suites.reduce((n, s) => n + Math.max(1, s.findings.length), 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="galley lint" tests="${tests}" failures="${failures}" errors="0">`];
  for (const suite of suites) {
    const name = xmlEscape(suite.name);
    out.push(`  <testsuite name="${name}" tests="${Math.max(1, suite.findings.length)}" failures="${suite.findings.length}" errors="0" skipped="0">`);
    if (!suite.findings.length) out.push(`    <testcase classname="${name}" name="galley lint" />`);
    for (const f of suite.findings) {
      const title = xmlEscape(`${ruleLabel(f)} at ${f.line}:${f.col}`);
      const body = xmlEscape(`${suite.name}:${f.line}:${f.col} ${f.severity} ${f.message}${f.remediation ? `\nHow to fix: ${f.remediation}` : ''}`);
      out.push(`    <testcase classname="${name}" name="${title}">`);
      out.push(`      <failure message="${xmlEscape(f.message)}" type="${f.severity}">${body}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
