import {
  appendStepSummary,
  exitCodeFor,
  explainRule,
  type FormatName,
  formatReport,
  isPresetName,
  knownRules,
  type LintReport,
  lint,
  lintWithFixes,
  listRules,
  onlyErrors,
  PRESETS,
  type PresetName,
  type Severity,
  unifiedDiff,
  writeFixes,
  writeReport,
} from '@galley/linter';
import { EXIT, GalleyError, visible } from '@galley/platform';
import { closestName } from '@galley/recipe';
import { allRules } from '@galley/rules';
import { reportError } from '../errors.js';

export interface LintCommandOptions {
  file?: string[];
  preset?: string[];
  format?: FormatName;
  output?: string;
  quiet?: boolean;
  fix?: boolean;
  fixDryRun?: boolean;
  maxWarnings?: number;
  failOn?: Severity;
  dockerVersion?: string;
  online?: boolean;
  explain?: string;
  listRules?: boolean;
  config?: string;
}

/** Formats a program reads from stdout: nothing else may be written there. */
const MACHINE_FORMATS = new Set<FormatName>(['json', 'sarif', 'gitlab', 'junit']);

function usage(message: string): GalleyError {
  return new GalleyError('usage', message);
}

function presetsOf(values: string[] | undefined): PresetName[] | undefined {
  if (!values?.length) return undefined;
  const names = values
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
  for (const name of names) if (!isPresetName(name)) throw usage(`unknown preset "${name}": choose from ${PRESETS.join(', ')}`);
  return [...new Set(names)] as PresetName[];
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
    if (options.fix && options.fixDryRun) throw usage('--fix and --fix-dry-run exclude each other: choose one');
    if (options.dockerVersion !== undefined && !/^\d+\.\d+$/.test(options.dockerVersion)) {
      throw usage(`--docker-version takes major.minor, e.g. 24.0, not "${options.dockerVersion}"`);
    }
    const presets = presetsOf(options.preset);
    const format = options.format ?? 'stylish';
    const engineOptions = {
      rules: allRules,
      online: options.online ?? false,
      ...(presets ? { presets } : {}),
      ...(options.config ? { configFile: options.config } : {}),
      ...(options.file?.length ? { composeFiles: options.file } : {}),
      ...(options.dockerVersion ? { dockerVersion: options.dockerVersion } : {}),
    };
    let report: LintReport;
    if (options.fix || options.fixDryRun) {
      const outcome = await lintWithFixes(paths, engineOptions);
      report = outcome.report;
      // A machine-readable report owns stdout: the diff then goes to stderr.
      if (options.fixDryRun) (MACHINE_FORMATS.has(format) ? process.stderr : process.stdout).write(unifiedDiff(outcome.changes));
      else {
        await writeFixes(outcome.changes);
        const written = outcome.changes.filter((c) => c.path).map((c) => c.display);
        if (written.length) process.stderr.write(`galley: fixed ${written.length} file${written.length === 1 ? '' : 's'} (${visible(written.join(', '))})\n`);
      }
    } else {
      report = await lint(paths, engineOptions);
    }
    if (options.quiet) report = onlyErrors(report);
    const color = format === 'stylish' && !options.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
    const text = formatReport(report, format, { color });
    if (options.output) await writeReport(options.output, text);
    else process.stdout.write(text);
    if (format === 'github' && process.env.GITHUB_STEP_SUMMARY) await appendStepSummary(report, process.env.GITHUB_STEP_SUMMARY);
    for (const target of report.targets) {
      for (const crash of target.crashes) {
        process.stderr.write(`galley: internal error: ${visible(`rule ${crash.ruleId} crashed on ${target.target}: ${crash.message}`)}\n`);
      }
    }
    if (report.summary.crashes) process.stderr.write('galley: this is a bug; the other rules ran. Please report it with the output above.\n');
    return exitCodeFor(report, {
      failOn: options.failOn ?? 'error',
      ...(options.maxWarnings !== undefined ? { maxWarnings: options.maxWarnings } : {}),
    });
  } catch (error) {
    return reportError(error);
  }
}
