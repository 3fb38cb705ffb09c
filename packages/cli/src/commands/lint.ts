import { appendFile } from 'node:fs/promises';
import {
  closestName,
  exitCodeFor,
  explainRule,
  FORMATS,
  formatReport,
  githubStepSummary,
  isFormatName,
  isPresetName,
  knownRules,
  type LintReport,
  lint,
  lintWithFixes,
  listRules,
  PRESETS,
  type PresetName,
  type Severity,
  unifiedDiff,
  writeFixes,
} from '@galley/linter';
import { EXIT, GalleyError } from '@galley/platform';
import { writeFileAtomic } from '@galley/platform/fs';
import { allRules } from '@galley/rules';
import { reportError } from '../errors.js';

export interface LintCommandOptions {
  preset?: string[];
  format?: string;
  output?: string;
  fix?: boolean;
  fixDryRun?: boolean;
  maxWarnings?: string;
  failOn?: string;
  online?: boolean;
  explain?: string;
  listRules?: boolean;
  config?: string;
}

function usage(message: string): GalleyError {
  return new GalleyError('usage', message);
}

function parseFlags(options: LintCommandOptions): { presets?: PresetName[]; failOn: Severity; maxWarnings?: number } {
  const format = options.format ?? 'stylish';
  if (!isFormatName(format)) throw usage(`unknown format "${format}": choose one of ${FORMATS.join(', ')}`);
  if (options.fix && options.fixDryRun) throw usage('--fix and --fix-dry-run exclude each other: choose one');
  const failOn = options.failOn ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'info') throw usage(`--fail-on must be error, warning or info, not "${failOn}"`);
  const out: { presets?: PresetName[]; failOn: Severity; maxWarnings?: number } = { failOn };
  if (options.maxWarnings !== undefined) {
    if (!/^\d+$/.test(options.maxWarnings)) throw usage(`--max-warnings must be a whole number (0 or more), not "${options.maxWarnings}"`);
    out.maxWarnings = Number(options.maxWarnings);
  }
  if (options.preset?.length) {
    const names = options.preset
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter(Boolean);
    for (const name of names) if (!isPresetName(name)) throw usage(`unknown preset "${name}": choose from ${PRESETS.join(', ')}`);
    out.presets = [...new Set(names)] as PresetName[];
  }
  return out;
}

/** `galley lint`: flags in, engine, formatted report out; returns the exit code. */
export async function lintCommand(paths: string[], options: LintCommandOptions): Promise<number> {
  const rules = knownRules(allRules);
  if (options.listRules) {
    process.stdout.write(listRules(rules));
    return EXIT.OK;
  }
  if (options.explain !== undefined) {
    const rule = rules.find((r) => r.meta.id === options.explain);
    if (!rule) {
      const suggestion = closestName(
        options.explain,
        rules.map((r) => r.meta.id),
      );
      process.stderr.write(
        `galley: unknown rule "${options.explain}"${suggestion ? `: did you mean "${suggestion}"?` : ''} (galley lint --list-rules lists them)\n`,
      );
      return EXIT.USAGE;
    }
    process.stdout.write(explainRule(rule));
    return EXIT.OK;
  }
  try {
    const flags = parseFlags(options);
    const format = (options.format ?? 'stylish') as Parameters<typeof formatReport>[1];
    const engineOptions = {
      rules: allRules,
      online: options.online ?? false,
      ...(flags.presets ? { presets: flags.presets } : {}),
      ...(options.config ? { configFile: options.config } : {}),
    };
    let report: LintReport;
    if (options.fix || options.fixDryRun) {
      const outcome = await lintWithFixes(paths, engineOptions);
      report = outcome.report;
      if (options.fixDryRun) {
        process.stdout.write(unifiedDiff(outcome.changes));
      } else {
        await writeFixes(outcome.changes);
        if (outcome.changes.length) {
          process.stderr.write(
            `galley: fixed ${outcome.changes.length} file${outcome.changes.length === 1 ? '' : 's'} (${outcome.changes.map((c) => c.display).join(', ')})\n`,
          );
        }
      }
    } else {
      report = await lint(paths, engineOptions);
    }
    const color = format === 'stylish' && !options.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
    const text = formatReport(report, format, { color });
    if (options.output) {
      const output = options.output;
      await writeFileAtomic(output, text);
    } else process.stdout.write(text);
    if (format === 'github' && process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, githubStepSummary(report));
    for (const target of report.targets) {
      for (const crash of target.crashes) {
        process.stderr.write(`galley: internal error: rule ${crash.ruleId} crashed on ${target.target}: ${crash.message}\n`);
      }
    }
    if (report.summary.crashes) process.stderr.write('galley: this is a bug; the other rules ran. Please report it with the output above.\n');
    const policy = { failOn: flags.failOn, ...(flags.maxWarnings !== undefined ? { maxWarnings: flags.maxWarnings } : {}) };
    return exitCodeFor(report, policy);
  } catch (error) {
    return reportError(error);
  }
}
