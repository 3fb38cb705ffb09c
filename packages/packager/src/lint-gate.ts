import { LintSession, type PresetName } from '@galley/linter';
import type { Recipe } from '@galley/recipe';
import { allRules } from '@galley/rules';

/** The presets a release must pass at error level (the ones a deploy checks too). */
export const RELEASE_PRESETS: PresetName[] = ['recommended', 'coop-cloud'];

/**
 * The error-level lint findings of a recipe folder, as `file:line:col rule
 * message` lines (its `.galley.yml` and inline suppressions honoured).
 */
export async function releaseBlockers(recipe: Recipe, dir: string): Promise<string[]> {
  const session = new LintSession({ rules: allRules, presets: RELEASE_PRESETS, cwd: dir });
  const result = await session.lintRecipe(recipe, { kind: 'folder', spec: dir, dir });
  return result.findings.filter((f) => f.severity === 'error').map((f) => `${f.file || '.'}:${f.line}:${f.col} ${f.ruleId}: ${f.message}`);
}
