import { mergeComposeTrees } from './compose/merge.js';
import type { Diagnostic, Span } from './diagnostics.js';
import { type EnvFile, envEntry, envValues } from './env-file.js';
import { type InterpolatedTree, interpolateTree, type TreeVariableRef } from './interpolation/tree.js';
import type { Recipe } from './recipe.js';
import type { LineIndex } from './text.js';
import type { YMap, YNode } from './yaml/nodes.js';
import { isMap } from './yaml/nodes.js';

/** abra truncates stack names to this many characters. */
export const MAX_STACK_NAME_LENGTH = 45;

export interface StackOptions {
  /** The app's env file; default: the recipe's `.env.sample`. */
  env?: EnvFile;
  /** Overrides the stack name derived from `DOMAIN`. */
  stackName?: string;
  /** Overrides `COMPOSE_FILE`. */
  composeFiles?: string[];
  /** Extra variables, winning over the env file. */
  vars?: Record<string, string>;
  /** Files already interpolated with the very same variables (another stack of the recipe): reused, not redone. */
  interpolated?: ReadonlyMap<string, InterpolatedTree>;
}

/** The compose files a recipe uses, merged and interpolated: what would be deployed. */
export interface Stack {
  stackName: string;
  env?: EnvFile;
  /** Compose files in use, in merge order. */
  composeFiles: string[];
  /** Where `COMPOSE_FILE` was set, if it was. */
  composeFileSpan?: Span;
  /** Files named in `COMPOSE_FILE` that the recipe does not have. */
  missingComposeFiles: string[];
  /** Each file in use, interpolated on its own. */
  files: Map<string, InterpolatedTree>;
  /** The merged, interpolated stack. */
  root: YMap | null;
  /** Every variable reference in the files in use. */
  refs: TreeVariableRef[];
  /** The variables interpolation saw (abra.sh exports, env file, `STACK_NAME`, extra vars). */
  variables: Map<string, string>;
  diagnostics: Diagnostic[];
}

/**
 * The last interpolation of each parsed tree, with the variables it saw:
 * two versions of a recipe that share a compose file and its variables (the
 * usual case for `recipe diff`) interpolate it once. Trees are never changed
 * after interpolation (merging copies), so sharing one is safe.
 */
const lastInterpolation = new WeakMap<YNode, { key: string; tree: InterpolatedTree }>();

function interpolate(root: YNode | null, variables: Map<string, string>, lines: Map<string, LineIndex>): InterpolatedTree {
  if (!root) return interpolateTree(root, { lookup: (name) => variables.get(name), files: lines });
  const key = [...variables].map(([k, v]) => `${k}\0${v}`).join('\u0001');
  const known = lastInterpolation.get(root);
  if (known?.key === key) return known.tree;
  const tree = interpolateTree(root, { lookup: (name) => variables.get(name), files: lines });
  lastInterpolation.set(root, { key, tree });
  return tree;
}

/** `DOMAIN` → stack name, as abra derives it (`.` → `_`, at most 45 characters). */
export function stackNameFromDomain(domain: string): string {
  return domain.replace(/\./g, '_').slice(0, MAX_STACK_NAME_LENGTH);
}

/** The compose files an env file selects (`COMPOSE_FILE`, colon-separated; default `compose.yml`). */
export function composeFilesOf(env: EnvFile | undefined): { files: string[]; span?: Span } {
  const entry = env ? envEntry(env, 'COMPOSE_FILE') : undefined;
  if (!entry) return { files: ['compose.yml'] };
  const files = entry.value
    .split(':')
    .map((f) => f.trim().replace(/^\.\//, ''))
    .filter(Boolean);
  return { files: files.length ? files : ['compose.yml'], span: entry.span };
}

/**
 * Every compose file of a recipe in merge order: the base (`compose.yml`)
 * first, then every overlay by path. Merged, they are the "full stack":
 * everything any combination of overlays could define.
 */
export function everyComposeFile(recipe: Recipe): string[] {
  const files = [...recipe.composeFiles.keys()].sort();
  const base = ['compose.yml', 'compose.yaml', 'docker-compose.yml', 'docker-compose.yaml'].find((f) => files.includes(f));
  return base ? [base, ...files.filter((f) => f !== base)] : files;
}

/**
 * Resolves a recipe's stack: picks the compose files (`COMPOSE_FILE`),
 * interpolates each with the abra.sh exports, the env file and `STACK_NAME`
 * (later ones winning), and merges them by
 * the compose-spec rules. A compose file alone (`kind: 'compose-file'`) is
 * its own stack.
 */
export function resolveStack(recipe: Recipe, options: StackOptions = {}): Stack {
  const project = recipe.kind === 'compose-file';
  const env = options.env ?? (project ? recipe.dotEnv : recipe.envSample);
  // abra reads the `export X_VERSION=…` lines of abra.sh into the environment.
  const variables = new Map<string, string>((recipe.abraSh?.exports ?? []).map((e) => [e.name, e.value]));
  if (env) for (const [k, v] of envValues(env)) variables.set(k, v);
  const domain = variables.get('DOMAIN') ?? `${recipe.name}.example.com`;
  const stackName = options.stackName ?? stackNameFromDomain(domain);
  // abra sets STACK_NAME for recipes; a compose project's shell may set anything.
  if (!project) variables.set('STACK_NAME', stackName);
  for (const [k, v] of Object.entries(options.vars ?? {})) variables.set(k, v);

  let composeFiles: string[];
  let composeFileSpan: Span | undefined;
  if (options.composeFiles) composeFiles = options.composeFiles;
  else if (recipe.kind === 'compose-file') composeFiles = [...recipe.composeFiles.keys()];
  else {
    const selected = composeFilesOf(env);
    composeFiles = selected.files;
    composeFileSpan = selected.span;
  }

  const lines = new Map<string, LineIndex>();
  for (const [file, parsed] of recipe.composeFiles) lines.set(file, parsed.lines);
  const files = new Map<string, InterpolatedTree>();
  const missing: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const refs: TreeVariableRef[] = [];
  for (const file of composeFiles) {
    const parsed = recipe.composeFiles.get(file);
    if (!parsed) {
      missing.push(file);
      continue;
    }
    const tree = options.interpolated?.get(file) ?? interpolate(parsed.root, variables, lines);
    files.set(file, tree);
    refs.push(...tree.refs);
    for (const d of tree.diagnostics) {
      // Without the app's env file (a recipe without one), or for a variable a compose
      // project's .env does not set (its shell may), a required variable is the
      // deployer's to set, not a defect.
      if (d.code === 'interpolation-required' && (!env || (project && !variables.has(d.subject ?? '')))) {
        diagnostics.push({ ...d, severity: 'warning', message: `${d.message} (it must be set when deploying)` });
      } else diagnostics.push(d);
    }
  }
  const merged = mergeComposeTrees([...files.values()].map((t) => t.root));
  const stack: Stack = {
    stackName,
    composeFiles: composeFiles.filter((f) => !missing.includes(f)),
    missingComposeFiles: missing,
    files,
    root: isMap(merged) ? merged : null,
    refs,
    variables,
    diagnostics,
  };
  if (env) stack.env = env;
  if (composeFileSpan) stack.composeFileSpan = composeFileSpan;
  return stack;
}
