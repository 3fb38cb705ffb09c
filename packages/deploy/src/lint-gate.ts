import os from 'node:os';
import { type Finding, LintSession, type PresetName } from '@galley/linter';
import { GalleyError, indentedList, visible } from '@galley/platform';
import { formatDiagnostic, recipeDiagnostics } from '@galley/recipe';
import { allRules } from '@galley/rules';
import type { LintLevel, RuleLevel } from './operator-config.js';
import type { LocatedRecipe } from './recipe-locator.js';

/** The presets whose rules gate a deploy. */
export const GATE_PRESETS: PresetName[] = ['recommended', 'coop-cloud'];

export interface LintGateOptions {
  /** `error` (default): error-level findings block; `warning`: warnings too; `off`: no lint. */
  level?: LintLevel;
  /**
   * The files the app deploys (its COMPOSE_FILE, the files they read,
   * abra.sh): findings elsewhere (overlays it does not use, the README)
   * never block it. Absent: every file counts.
   */
  files?: readonly string[];
  /** The operator's rule levels (`off`, `warning`, `error`), winning over the recipe's. */
  rules?: Readonly<Record<string, RuleLevel>>;
}

export interface LintGateResult {
  /** Findings that block the deploy. */
  blocking: Finding[];
  /** Findings in files the app does not deploy (not blocking). */
  elsewhere: number;
  /** Rules that crashed (reported, never blocking). */
  crashes: { ruleId: string; message: string }[];
}

/**
 * Runs the lint engine (recipe configuration and inline suppressions
 * honoured) with the `recommended` and `coop-cloud` presets over the recipe
 * at the version being deployed, and keeps what blocks: findings at or
 * above the level, in the files the app deploys, after the operator's rule
 * levels.
 */
export async function lintGate(located: LocatedRecipe, options: LintGateOptions = {}): Promise<LintGateResult> {
  const { recipe } = located;
  const hash = located.label.lastIndexOf('#');
  const target = located.workTree
    ? { kind: 'folder' as const, spec: located.workTree, dir: located.workTree }
    : {
        kind: 'git' as const,
        spec: located.label,
        ...(hash > 0 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(located.label) ? { dir: located.label.slice(0, hash) } : {}),
      };
  // A remote recipe has no folder: look for no configuration in the operator's working directory either.
  const session = new LintSession({ rules: allRules, presets: GATE_PRESETS, ...(target.dir ? {} : { cwd: os.tmpdir() }) });
  const result = await session.lintRecipe(recipe, target);
  const deployed = options.files ? new Set(options.files) : undefined;
  const blocks = new Set(options.level === 'warning' ? ['error', 'warning'] : ['error']);
  let elsewhere = 0;
  const blocking: Finding[] = [];
  for (const finding of result.findings) {
    const severity = options.rules?.[finding.ruleId] ?? finding.severity;
    if (severity === 'off' || !blocks.has(severity)) continue;
    if (deployed && finding.file && !deployed.has(finding.file)) {
      elsewhere++;
      continue;
    }
    blocking.push(severity === finding.severity ? finding : { ...finding, severity });
  }
  return { blocking, elsewhere, crashes: result.crashes };
}

/** Refuses to go on when the recipe has unreadable files or blocking findings, naming each one. */
export async function assertLintClean(located: LocatedRecipe, options: LintGateOptions = {}): Promise<LintGateResult> {
  const unreadable = recipeDiagnostics(located.recipe).filter((d) => d.severity === 'error');
  if (unreadable.length) {
    const lines = indentedList(unreadable.map((d) => formatDiagnostic(d)));
    throw new GalleyError('recipe-unreadable', `recipe ${visible(located.recipe.name)} (${visible(located.label)}) cannot be read:\n${lines}`, { exitCode: 2 });
  }
  if (options.level === 'off') return { blocking: [], elsewhere: 0, crashes: [] };
  const gate = await lintGate(located, options);
  if (gate.blocking.length) {
    const lines = indentedList(gate.blocking.map(formatFinding));
    const n = gate.blocking.length;
    const what = options.level === 'warning' ? 'lint error or warning' : 'lint error';
    throw new GalleyError(
      'lint-errors',
      `recipe ${visible(located.recipe.name)} (${visible(located.label)}) has ${n} ${what}${n === 1 ? '' : 's'} in what this app deploys; fix ${n === 1 ? 'it' : 'them'} before deploying (galley lint shows details), or, as the operator, turn a rule off in your deploy config (galley help: --lint-level, ~/.config/galley/deploy.yml):\n${lines}`,
      { exitCode: 2 },
    );
  }
  return gate;
}

export function formatFinding(f: Finding): string {
  return `${f.file || '.'}:${f.line}:${f.col} ${f.ruleId} ${f.message}`;
}
