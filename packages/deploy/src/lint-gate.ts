import os from 'node:os';
import { type Finding, LintSession, type PresetName } from '@galley/linter';
import { GalleyError } from '@galley/platform';
import { formatDiagnostic, recipeDiagnostics } from '@galley/recipe';
import { allRules } from '@galley/rules';
import type { LocatedRecipe } from './recipe-locator.js';

/** The presets whose error-level rules gate a deploy. */
export const GATE_PRESETS: PresetName[] = ['recommended', 'coop-cloud'];

export interface LintGateResult {
  /** Error-level findings: any of them blocks the deploy. */
  errors: Finding[];
  /** Rules that crashed (reported, never blocking). */
  crashes: { ruleId: string; message: string }[];
}

/**
 * Runs the lint engine (recipe configuration and inline suppressions
 * honoured) with the `recommended` and `coop-cloud` presets over the recipe
 * at the version being deployed, and keeps the error-level findings.
 */
export async function lintGate(located: LocatedRecipe): Promise<LintGateResult> {
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
  return { errors: result.findings.filter((f) => f.severity === 'error'), crashes: result.crashes };
}

/** Refuses to go on when the recipe has unreadable files or error-level findings, naming each one. */
export async function assertLintClean(located: LocatedRecipe): Promise<LintGateResult> {
  const unreadable = recipeDiagnostics(located.recipe).filter((d) => d.severity === 'error');
  if (unreadable.length) {
    const lines = unreadable.map((d) => `  ${formatDiagnostic(d)}`).join('\n');
    throw new GalleyError('recipe-unreadable', `recipe ${located.recipe.name} (${located.label}) cannot be read:\n${lines}`, { exitCode: 2 });
  }
  const gate = await lintGate(located);
  if (gate.errors.length) {
    const lines = gate.errors.map((f) => `  ${formatFinding(f)}`).join('\n');
    const n = gate.errors.length;
    throw new GalleyError(
      'lint-errors',
      `recipe ${located.recipe.name} (${located.label}) has ${n} lint error${n === 1 ? '' : 's'}; fix ${n === 1 ? 'it' : 'them'} before deploying (galley lint shows details):\n${lines}`,
      { exitCode: 2 },
    );
  }
  return gate;
}

export function formatFinding(f: Finding): string {
  return `${f.file || '.'}:${f.line}:${f.col} ${f.ruleId} ${f.message}`;
}
