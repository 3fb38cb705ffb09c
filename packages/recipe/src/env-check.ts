import { indentedList } from '@galley/platform';
import type { Span } from './diagnostics.js';
import { type EnvEntry, type EnvFile, firstEnvEntry } from './env-file.js';
import { requiredEnvVars } from './env-requirements.js';
import { closestName } from './names.js';
import type { Recipe } from './recipe.js';
import { everyComposeFile, resolveStack, type Stack } from './stack.js';

/**
 * An app's env file against its recipe, as abra's `app check` does and
 * more: keys the recipe does not know (typos, with "did you mean"), keys it
 * requires that are missing, and secret modifiers that are not modifiers.
 * Pure: the recipe model and the env file in, problems out.
 */

export type EnvProblemKind = 'unknown-key' | 'missing-key' | 'bad-modifier';

export interface EnvProblem {
  kind: EnvProblemKind;
  key: string;
  message: string;
  span?: Span;
  suggestion?: string;
}

export interface EnvCheck {
  errors: EnvProblem[];
  warnings: EnvProblem[];
}

/** Keys abra and galley read from every app env file, whatever the recipe. */
export const APP_ENV_KEYS = [
  'TYPE',
  'RECIPE',
  'DOMAIN',
  'COMPOSE_FILE',
  'LETS_ENCRYPT_ENV',
  'TIMEOUT',
  'POST_DEPLOY_CMDS',
  'POST_UPGRADE_CMDS',
  'ENABLE_AUTO_UPDATE',
  'ENABLE_BACKUPS',
] as const;

/** The modifiers a secret's version line may carry (`SECRET_X_VERSION=v1 # length=32`). */
export const SECRET_MODIFIERS = ['length', 'charset', 'generate'] as const;

/**
 * The keys an app must set, sorted: those `.env.sample` sets (uncommented)
 * and that the compose files the app uses (`stack`, or the recipe's default
 * ones) read without a default (`${KEY}`, `$KEY`, `${KEY:?…}`, `${KEY?…}`;
 * not `${KEY:-…}`, `${KEY-…}`, `${KEY:+…}`, `${KEY+…}`) or pass through
 * (`environment: [KEY]`: `docker stack deploy` takes its value from the
 * deployer's environment, where abra, and galley, put the app env). One
 * definition with `envRequirements`, which the recipe diff uses.
 */
export function requiredEnvKeys(recipe: Recipe, stack: Stack = resolveStack(recipe)): string[] {
  return requiredEnvVars(recipe.envSample, stack)
    .map((r) => r.name)
    .sort();
}

/** Every key the recipe knows: `.env.sample` (commented ones too), any compose file's variables, and abra's own. */
export function knownEnvKeys(recipe: Recipe): Set<string> {
  const known = new Set<string>(APP_ENV_KEYS);
  for (const e of recipe.envSample?.entries ?? []) known.add(e.name);
  const all = resolveStack(recipe, { composeFiles: everyComposeFile(recipe) });
  for (const ref of all.refs) known.add(ref.name);
  for (const e of recipe.abraSh?.exports ?? []) known.add(e.name);
  return known;
}

export function checkAppEnv(recipe: Recipe, env: EnvFile, stack?: Stack): EnvCheck {
  const check: EnvCheck = { errors: [], warnings: [] };
  const known = knownEnvKeys(recipe);
  const active = env.entries.filter((e) => !e.commented);
  const present = new Set(active.map((e) => e.name));
  for (const entry of active) {
    if (!known.has(entry.name)) {
      const suggestion = closestName(entry.name, [...known]);
      const problem: EnvProblem = {
        kind: 'unknown-key',
        key: entry.name,
        message: `${entry.name} is not a setting of recipe ${recipe.name}${suggestion ? `: did you mean ${suggestion}?` : ' (not in its .env.sample nor used by its compose files)'}`,
        span: entry.nameSpan,
      };
      if (suggestion) problem.suggestion = suggestion;
      check.errors.push(problem);
    }
    check.errors.push(...modifierProblems(entry));
  }
  for (const key of requiredEnvKeys(recipe, stack ?? resolveStack(recipe, { env }))) {
    if (present.has(key)) continue;
    const sample = recipe.envSample ? firstEnvEntry(recipe.envSample, key) : undefined;
    check.errors.push({
      kind: 'missing-key',
      key,
      message: `${key} is missing: the recipe's compose files need it and .env.sample sets it (${key}=${sample?.raw ?? ''})`,
    });
  }
  return check;
}

function modifierProblems(entry: EnvEntry): EnvProblem[] {
  if (!/^SECRET_\w+_VERSION$/.test(entry.name)) return [];
  const out: EnvProblem[] = [];
  const span = entry.commentSpan ?? entry.span;
  for (const [name, value] of Object.entries(entry.modifiers)) {
    if (!(SECRET_MODIFIERS as readonly string[]).includes(name)) {
      const suggestion = closestName(name, SECRET_MODIFIERS);
      const problem: EnvProblem = {
        kind: 'bad-modifier',
        key: entry.name,
        message: `${entry.name}: "${name}=" is not a secret modifier${suggestion ? `: did you mean ${suggestion}=?` : ` (known: ${SECRET_MODIFIERS.join(', ')})`}`,
        span,
      };
      if (suggestion) problem.suggestion = suggestion;
      out.push(problem);
    } else if (name === 'length' && !/^[1-9]\d*$/.test(value)) {
      out.push({ kind: 'bad-modifier', key: entry.name, message: `${entry.name}: length=${value} is not a whole number above 0`, span });
    } else if (name === 'generate' && !/^(true|false|yes|no|0|1)$/i.test(value)) {
      out.push({ kind: 'bad-modifier', key: entry.name, message: `${entry.name}: generate=${value} is neither true nor false`, span });
    }
  }
  return out;
}

/** `  file:line:col: message`, one a line. */
export function formatEnvProblems(problems: readonly EnvProblem[]): string {
  return indentedList(problems.map((p) => `${p.span ? `${p.span.file}:${p.span.line}:${p.span.col}: ` : ''}${p.message}`));
}
