import { displayPath, type LintReport } from '../engine.js';

/** Machine-readable output: every target with its findings (paths relative to cwd), and the summary. */
export function formatJson(report: LintReport): string {
  const out = {
    version: 1,
    summary: report.summary,
    targets: report.targets.map((r) => ({
      target: r.target,
      kind: r.kind,
      name: r.name,
      presets: r.presets,
      ...(r.configFile ? { configFile: r.configFile } : {}),
      findings: r.findings.map((f) => ({ ...f, path: displayPath(r, f.file) })),
      suppressed: r.suppressed.map((f) => ({ ...f, path: displayPath(r, f.file) })),
      crashes: r.crashes,
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
