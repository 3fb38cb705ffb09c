// Runs a composite action's steps the way GitHub's runner does, on this
// machine: the `run:` steps in `bash --noprofile --norc -eo pipefail` with
// the environment the runner sets (GITHUB_* variables, a fresh
// GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH / GITHUB_STEP_SUMMARY file per
// step, the event payload in GITHUB_EVENT_PATH), `${{ }}` expressions over
// the inputs, github, steps, env and runner contexts, `if:` with the status
// functions, and `continue-on-error`. `uses:` steps (setup-node, the SARIF
// upload) cannot run here: they are recorded with their evaluated `with:`.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { run } from '../support/index.js';

interface StepSpec {
  name?: string;
  id?: string;
  if?: string;
  run?: string;
  shell?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean | string;
}

interface ActionSpec {
  inputs?: Record<string, { default?: string }>;
  outputs?: Record<string, { value: string }>;
  runs: { using: string; steps: StepSpec[] };
}

export interface StepRecord {
  name: string;
  id?: string;
  uses?: string;
  /** What the runner would do with it: ran (a run step), planned (a uses step it would start), skipped (its `if:` is false). */
  state: 'ran' | 'planned' | 'skipped';
  outcome: 'success' | 'failure' | 'skipped';
  with?: Record<string, string>;
  continueOnError: boolean;
  exitCode?: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface Annotation {
  level: string;
  properties: string;
  message: string;
}

export interface ActionRun {
  steps: StepRecord[];
  /** The action's outputs. */
  outputs: Record<string, string>;
  /** Whether the action failed (a failed step without continue-on-error). */
  failed: boolean;
  annotations: Annotation[];
  /** Folders steps added to PATH (GITHUB_PATH), first added first. */
  pathAdded: string[];
  /** The job summary (GITHUB_STEP_SUMMARY of every step). */
  summary: string;
  /** Runs a shell command as a later step of the same job would (with PATH and env the action left). */
  laterStep(script: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

export interface ActionRunOptions {
  /** The action's folder (github.action_path). */
  actionPath: string;
  /** The checked-out repository (GITHUB_WORKSPACE, the steps' working directory). */
  workspace: string;
  /** A scratch folder for the runner's files (RUNNER_TEMP, the command files, the event payload). */
  runnerTemp: string;
  inputs?: Record<string, string>;
  event: { name: string; payload: Record<string, unknown> };
  repository: string;
  actor?: string;
  /** The runner's PATH (what setup-node would leave: a folder with node). */
  path: string;
}

export async function runCompositeAction(options: ActionRunOptions): Promise<ActionRun> {
  const action = parse(await readFile(path.join(options.actionPath, 'action.yml'), 'utf8')) as ActionSpec;
  if (action.runs.using !== 'composite') throw new Error(`not a composite action: runs.using is ${action.runs.using}`);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs ?? {})) inputs[name] = options.inputs?.[name] ?? spec.default ?? '';
  for (const name of Object.keys(options.inputs ?? {})) if (!(name in inputs)) throw new Error(`the action has no input "${name}"`);

  const temp = options.runnerTemp;
  await mkdir(path.join(temp, '_runner_file_commands'), { recursive: true });
  const eventPath = path.join(temp, 'event.json');
  await writeFile(eventPath, JSON.stringify(options.event.payload));
  const owner = options.repository.split('/')[0]!;
  const env: Record<string, string> = {
    HOME: path.join(temp, 'home'),
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_REPOSITORY: options.repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_ACTOR: options.actor ?? owner,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: options.event.name.startsWith('pull_request') ? 'refs/pull/7/merge' : 'refs/heads/main',
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_ACTION_PATH: options.actionPath,
    GITHUB_ACTION_REPOSITORY: 'coop-cloud/galley',
    GITHUB_ACTION_REF: 'v0',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: path.join(temp, 'toolcache'),
  };
  await mkdir(env.HOME!, { recursive: true });
  const pathAdded: string[] = [];
  const currentPath = () => [...[...pathAdded].reverse(), options.path].join(':');
  const github = {
    action_path: options.actionPath,
    workspace: options.workspace,
    event_name: options.event.name,
    event: options.event.payload,
    repository: options.repository,
    actor: env.GITHUB_ACTOR,
    token: 'ghs_not-a-real-token',
  };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const records: StepRecord[] = [];
  const annotations: Annotation[] = [];
  let summary = '';
  let failed = false;

  for (const [index, step] of action.runs.steps.entries()) {
    const context: Context = { inputs, github, steps, env, runner: { os: 'Linux', temp }, failed };
    const name = step.name ?? step.uses ?? `step ${index + 1}`;
    const condition = step.if === undefined ? 'success()' : stripDelimiters(step.if);
    const runs = truthy(evaluate(/\b(success|failure|always|cancelled)\(/.test(condition) ? condition : `success() && (${condition})`, context));
    const continueOnError = truthy(
      typeof step['continue-on-error'] === 'string' ? interpolateValue(step['continue-on-error'], context) : (step['continue-on-error'] ?? false),
    );
    const record: StepRecord = {
      name,
      ...(step.id ? { id: step.id } : {}),
      ...(step.uses ? { uses: step.uses } : {}),
      state: 'skipped',
      outcome: 'skipped',
      continueOnError,
      stdout: '',
      stderr: '',
      outputs: {},
    };
    records.push(record);
    if (step.id) steps[step.id] = { outputs: record.outputs, outcome: 'skipped', conclusion: 'skipped' };
    if (!runs) continue;
    if (step.uses) {
      record.state = 'planned';
      record.outcome = 'success';
      record.with = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]));
      if (step.id) steps[step.id] = { outputs: {}, outcome: 'success', conclusion: 'success' };
      continue;
    }
    if (step.shell !== 'bash') throw new Error(`${name}: only bash run steps are supported here, not ${step.shell}`);
    const files = {
      GITHUB_OUTPUT: path.join(temp, '_runner_file_commands', `set_output_${index}`),
      GITHUB_ENV: path.join(temp, '_runner_file_commands', `set_env_${index}`),
      GITHUB_PATH: path.join(temp, '_runner_file_commands', `add_path_${index}`),
      GITHUB_STEP_SUMMARY: path.join(temp, '_runner_file_commands', `step_summary_${index}`),
      GITHUB_STATE: path.join(temp, '_runner_file_commands', `save_state_${index}`),
    };
    for (const file of Object.values(files)) await writeFile(file, '');
    const script = path.join(temp, `step_${index}.sh`);
    await writeFile(script, interpolate(step.run ?? '', context));
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]));
    const result = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: options.workspace,
      env: { ...env, PATH: currentPath(), ...files, ...stepEnv },
      allowFailure: true,
      timeoutMs: 120_000,
    });
    record.state = 'ran';
    record.exitCode = result.code;
    record.stdout = result.stdout;
    record.stderr = result.stderr;
    annotations.push(...parseAnnotations(result.stdout));
    Object.assign(record.outputs, parseKeyValues(await readFile(files.GITHUB_OUTPUT, 'utf8')));
    Object.assign(env, parseKeyValues(await readFile(files.GITHUB_ENV, 'utf8')));
    pathAdded.push(...(await readFile(files.GITHUB_PATH, 'utf8')).split('\n').filter(Boolean));
    summary += await readFile(files.GITHUB_STEP_SUMMARY, 'utf8');
    const outcome = result.code === 0 ? 'success' : 'failure';
    record.outcome = outcome;
    if (step.id) steps[step.id] = { outputs: record.outputs, outcome, conclusion: outcome === 'failure' && continueOnError ? 'success' : outcome };
    if (outcome === 'failure' && !continueOnError) failed = true;
  }

  const finalContext: Context = { inputs, github, steps, env, runner: { os: 'Linux', temp }, failed };
  const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([name, spec]) => [name, interpolate(spec.value, finalContext)]));
  return {
    steps: records,
    outputs,
    failed,
    annotations,
    pathAdded,
    summary,
    laterStep: (script) =>
      run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        cwd: options.workspace,
        env: { ...env, PATH: currentPath() },
        allowFailure: true,
      }),
  };
}

/** `::level key=value,…::message` lines (workflow commands). */
function parseAnnotations(stdout: string): Annotation[] {
  return [...stdout.matchAll(/^::(error|warning|notice)( [^:]*)?::(.*)$/gm)].map((m) => ({
    level: m[1]!,
    properties: (m[2] ?? '').trim(),
    message: m[3]!,
  }));
}

/** GITHUB_OUTPUT / GITHUB_ENV: `name=value` lines and `name<<DELIMITER` blocks. */
function parseKeyValues(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      if (end < 0) throw new Error(`unterminated ${block[1]}<<${block[2]} block`);
      values[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    } else if (line.trim()) {
      throw new Error(`not a name=value line: ${line}`);
    }
  }
  return values;
}

// ── expressions: the subset of GitHub's expression language an action uses ──

type Value = string | number | boolean | null | Record<string, unknown> | unknown[];

interface Context {
  inputs: Record<string, string>;
  github: Record<string, unknown>;
  steps: Record<string, unknown>;
  env: Record<string, string>;
  runner: Record<string, string>;
  /** Whether an earlier step failed (for success() and failure()). */
  failed: boolean;
}

function stripDelimiters(text: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  return m ? m[1]! : text;
}

/** Replaces every `${{ expr }}` in a string with its value as text. */
function interpolate(text: string, context: Context): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => toText(evaluate(expr, context)));
}

/** A whole-value `${{ expr }}` keeps its type (continue-on-error: a boolean). */
function interpolateValue(text: string, context: Context): Value {
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  return whole ? evaluate(whole[1]!, context) : text;
}

function toText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function truthy(value: Value): boolean {
  return !(value === false || value === null || value === 0 || value === '' || Number.isNaN(value));
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return Number.NaN;
}

/** GitHub's loose equality: strings compare case-insensitively, other mixed types as numbers. */
function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b && typeof a !== 'object') return a === b;
  if (typeof a === 'object' || typeof b === 'object') return a === b;
  return toNumber(a) === toNumber(b);
}

export function evaluate(expression: string, context: Context): Value {
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`expression "${expression}": expected ${t}`);
  };
  const orExpr = (): Value => {
    let left = andExpr();
    while (peek() === '||') {
      next();
      const right = andExpr();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const andExpr = (): Value => {
    let left = eqExpr();
    while (peek() === '&&') {
      next();
      const right = eqExpr();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const eqExpr = (): Value => {
    let left = unary();
    while (peek() === '==' || peek() === '!=') {
      const op = next();
      const right = unary();
      left = op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const unary = (): Value => {
    if (peek() === '!') {
      next();
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const token = next();
    if (token === undefined) throw new Error(`expression "${expression}" ends early`);
    if (token === '(') {
      const value = orExpr();
      expect(')');
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (peek() === '(') {
      next();
      expect(')');
      if (token === 'success') return !context.failed;
      if (token === 'failure') return context.failed;
      if (token === 'always') return true;
      if (token === 'cancelled') return false;
      throw new Error(`expression "${expression}": unknown function ${token}()`);
    }
    let value: unknown = (context as unknown as Record<string, unknown>)[token];
    if (value === undefined) throw new Error(`expression "${expression}": unknown context ${token}`);
    while (peek() === '.') {
      next();
      const key = next()!;
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    return (value ?? null) as Value;
  };
  const value = orExpr();
  if (pos !== tokens.length) throw new Error(`expression "${expression}": unexpected ${peek()}`);
  return value;
}

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  const re = /\s*('(?:[^']|'')*'|==|!=|&&|\|\||[!().]|[A-Za-z_][A-Za-z0-9_-]*|\d+(?:\.\d+)?)/y;
  let m: RegExpExecArray | null;
  let at = 0;
  for (;;) {
    re.lastIndex = at;
    m = re.exec(expression);
    if (!m) break;
    tokens.push(m[1]!);
    at = re.lastIndex;
  }
  if (expression.slice(at).trim()) throw new Error(`expression "${expression}": cannot read "${expression.slice(at)}"`);
  return tokens;
}
