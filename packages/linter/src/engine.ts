import path from 'node:path';
import { GalleyError, isGalleyError } from '@galley/platform';
import { isMissingFile, readTextFileSync } from '@galley/platform/fs';
import { composeProject, DirectorySource, MAX_YAML_BYTES, openRecipe, type Recipe, type RecipeSource, readRecipe } from '@galley/recipe';
import pLimit from 'p-limit';
import picomatch from 'picomatch';
import { defaultConfig, findConfigFile, type GalleyConfig, loadConfigFile } from './config.js';
import { engineRules } from './engine-rules.js';
import { runFixPasses } from './fixes.js';
import { capFindings } from './limits.js';
import { DEFAULT_DOCKER_VERSION, type Finding, type PresetName, type Rule, type Severity } from './rule.js';
import { compareFindings, type RuleSetting, type RunResult, runRules, stacksOf } from './runner.js';
import { defaultPresets, resolveSettings } from './settings.js';
import { applySuppressions, commentFiles, parseDirectives, type SuppressedFinding } from './suppressions.js';
import { type ExpandOptions, expandTargets, type LintTarget } from './targets.js';

export interface LintOptions {
  /** The rules galley knows (e.g. `allRules` of @galley/rules); the engine adds its own `galley/*` rules. */
  rules: readonly Rule[];
  /** Presets to run instead of the configuration's or the default ones. */
  presets?: PresetName[];
  /** Let rules that need the network run. */
  online?: boolean;
  /** A configuration file to use instead of looking for `.galley.yml` upward. */
  configFile?: string;
  /** Folder paths are shown relative to (default: the process's). */
  cwd?: string;
  /** The Docker version of the swarm (`--docker-version`); default: the configuration's, else DEFAULT_DOCKER_VERSION. */
  dockerVersion?: string;
  /** Compose files linted together as one project, merged in this order (`galley lint -f base -f overlay`). */
  composeFiles?: readonly string[];
}

export interface TargetResult {
  /** What was linted, as shown to people (relative to cwd). */
  target: string;
  kind: Recipe['kind'];
  name: string;
  /** Absolute folder holding the files (absent for remote git refs). */
  root?: string;
  /** Prefix that makes a finding's `file` relative to cwd (POSIX, '' or ending in '/'). */
  base: string;
  /** Whether fixes can be written (a folder or file, not a git ref). */
  writable: boolean;
  presets: PresetName[];
  configFile?: string;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  crashes: RunResult['crashes'];
  /** Ids of the rules that ran. */
  ruleIds: string[];
  /** The configured severity of every enabled rule, by id. */
  severities?: Record<string, Severity>;
  /** Files read, with their text (code frames, fingerprints, fixes). */
  files: Map<string, string>;
}

export interface LintSummary {
  targets: number;
  files: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Findings `--fix` can fix. */
  fixable: number;
  suppressed: number;
  crashes: number;
}

export interface LintReport {
  cwd: string;
  targets: TargetResult[];
  /** Every rule that ran somewhere, by id. */
  rules: Rule[];
  /** Every rule the run knew (also those that ran nowhere), by id. */
  available: Rule[];
  summary: LintSummary;
}

/** The rules a run knows: the given ones and the engine's own, by id. */
export function knownRules(rules: readonly Rule[]): Rule[] {
  const byId = new Map<string, Rule>();
  for (const rule of [...rules, ...engineRules]) byId.set(rule.meta.id, rule);
  return [...byId.values()].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
}

/** Shared state of one run: configurations read once, rules. */
export class LintSession {
  readonly rules: Rule[];
  readonly cwd: string;
  private readonly configs = new Map<string, Promise<GalleyConfig>>();
  private readonly settings = new WeakMap<GalleyConfig, Map<string, Promise<RuleSetting[]>>>();
  private readonly dotEnvs = new Map<string, string | undefined>();

  constructor(readonly options: LintOptions) {
    this.rules = knownRules(options.rules);
    this.cwd = path.resolve(options.cwd ?? process.cwd());
  }

  config(dir: string): Promise<GalleyConfig> {
    const key = this.options.configFile ? `explicit:${this.options.configFile}` : dir;
    let known = this.configs.get(key);
    if (!known) {
      known = this.options.configFile
        ? loadConfigFile(path.resolve(this.cwd, this.options.configFile), this.cwd)
        : findConfigFile(dir).then((file) => (file ? loadConfigFile(file, this.cwd, { discovered: true }) : defaultConfig(dir)));
      this.configs.set(key, known);
    }
    return known;
  }

  /** Rule settings, resolved once per configuration and presets. */
  private settingsFor(config: GalleyConfig, presets: readonly PresetName[]): Promise<RuleSetting[]> {
    let byPresets = this.settings.get(config);
    if (!byPresets) {
      byPresets = new Map();
      this.settings.set(config, byPresets);
    }
    const key = [...presets].sort().join(',');
    let known = byPresets.get(key);
    if (!known) {
      known = resolveSettings(this.rules, config, presets);
      byPresets.set(key, known);
    }
    return known;
  }

  /** Whether the configuration's `ignore` globs exclude a target. */
  async ignored(target: LintTarget): Promise<boolean> {
    if (!target.dir) return false;
    const config = await this.config(target.dir);
    if (!config.ignore.length) return false;
    const rel = toPosix(path.relative(config.dir, target.spec));
    if (!rel || rel.startsWith('..')) return false;
    const match = picomatch(config.ignore, { dot: true });
    return match(rel) || match(`${rel}/`);
  }

  /** Lints one loaded recipe. */
  async lintRecipe(recipe: Recipe, target: LintTarget): Promise<TargetResult> {
    const config = await this.config(target.dir ?? this.cwd);
    const presets = this.options.presets ?? config.preset ?? defaultPresets(recipe.kind);
    const settings = await this.settingsFor(config, presets);
    const stacks = stacksOf(recipe);
    const ruleSettings = settings.filter((s) => !s.rule.meta.id.startsWith('galley/'));
    const run = await runRules(recipe, ruleSettings, {
      online: this.options.online ?? false,
      ...stacks,
      settings: {
        dockerVersion: this.options.dockerVersion ?? config.dockerVersion ?? DEFAULT_DOCKER_VERSION,
        swarm: presets.some((p) => p === 'swarm' || p === 'coop-cloud'),
      },
    });
    const ran = new Set(run.ran);

    const root = target.kind === 'git' ? target.dir : target.kind === 'file' ? path.dirname(target.spec) : target.spec;
    const ignore = config.ignore.length ? picomatch(config.ignore, { dot: true }) : undefined;
    const keep = (f: Finding) => {
      if (!ignore || !root) return true;
      const rel = toPosix(path.relative(config.dir, path.join(root, f.file)));
      return rel.startsWith('..') || !ignore(rel);
    };
    const visible = run.findings.filter(keep);

    const files = commentFiles(recipe);
    const directives = [...files].flatMap(([file, { text, root: tree }]) => parseDirectives(file, text, tree));
    const severityOf = (id: string): Severity | undefined => settings.find((s) => s.rule.meta.id === id)?.severity;
    const unused = severityOf('galley/unused-disable');
    const reason = severityOf('galley/disable-reason');
    const outcome = applySuppressions(visible, directives, {
      ran,
      known: new Set(this.rules.map((r) => r.meta.id)),
      ...(unused ? { unused } : {}),
      ...(reason ? { reason } : {}),
    });
    const findings = capFindings([...outcome.findings, ...outcome.directiveFindings.filter(keep)].sort(compareFindings));
    const suppressed = capFindings(outcome.suppressed);

    const texts = new Map<string, string>();
    for (const [file, { text }] of files) texts.set(file, text);
    if (recipe.readme) texts.set(recipe.readme.file, recipe.readme.text);
    // Code frames of other files: each read once, and only when small enough (a file over the limit is never read whole for a frame).
    const tried = new Set<string>();
    for (const f of [...findings, ...suppressed]) {
      if (f.file && !texts.has(f.file) && !tried.has(f.file) && recipe.files.includes(f.file)) {
        tried.add(f.file);
        const size = await recipe.source.size(f.file).catch(() => undefined);
        const text = size !== undefined && size <= MAX_YAML_BYTES ? await recipe.source.read(f.file).catch(() => undefined) : undefined;
        if (text !== undefined) texts.set(f.file, text);
      }
    }

    const shown = root ? toPosix(path.relative(this.cwd, root)) : target.spec;
    const result: TargetResult = {
      target:
        target.kind === 'file'
          ? (target.files ?? [target.spec]).map((f) => toPosix(path.relative(this.cwd, f))).join(' + ')
          : target.kind === 'git' && root
            ? `${shown || '.'}#${target.spec.slice(target.spec.lastIndexOf('#') + 1)}`
            : shown || '.',
      kind: recipe.kind,
      name: recipe.name,
      base: shown && root ? `${shown}/` : target.kind === 'git' && !root ? `${target.spec}:` : '',
      writable: target.kind !== 'git',
      presets,
      findings,
      suppressed,
      crashes: run.crashes,
      ruleIds: [...ran, ...settings.filter((s) => s.rule.meta.id.startsWith('galley/')).map((s) => s.rule.meta.id)],
      severities: Object.fromEntries(settings.map((s) => [s.rule.meta.id, s.severity])),
      files: texts,
    };
    if (root) result.root = root;
    if (config.file) result.configFile = config.file;
    return result;
  }

  /** The `.env` of a folder (read once per run), or undefined. */
  private dotEnv(dir: string): string | undefined {
    if (!this.dotEnvs.has(dir)) {
      let text: string | undefined;
      try {
        text = readTextFileSync(path.join(dir, '.env'), { what: 'env file', within: dir, maxBytes: MAX_YAML_BYTES });
      } catch (error) {
        // No .env is the usual case; one galley may not read (a FIFO, a link leaving the folder, too large) is refused.
        if (!isGalleyError(error) || !isMissingFile(error.cause)) throw error;
        text = undefined;
      }
      this.dotEnvs.set(dir, text);
    }
    return this.dotEnvs.get(dir);
  }

  /** Opens a target: a compose project is read here (small files, read synchronously), anything else by @galley/recipe. */
  async open(target: LintTarget): Promise<{ recipe: Recipe; dispose: () => Promise<void> }> {
    if (target.kind === 'file' && (target.size === undefined || target.size <= MAX_YAML_BYTES)) {
      const files = target.files ?? [target.spec];
      const dir = path.dirname(files[0]!);
      // Compose files are small: a synchronous read costs a fraction of the
      // thread-pool round trips of an async one.
      const texts = files.map((file) => ({ path: toPosix(path.relative(dir, file)), text: readComposeFile(file) }));
      return { recipe: composeProject(dir, texts, this.dotEnv(dir)), dispose: async () => {} };
    }
    return openRecipe(target.spec);
  }

  /** Opens and lints one target. */
  async lintTarget(target: LintTarget): Promise<TargetResult> {
    const { recipe, dispose } = await this.open(target);
    try {
      return await this.lintRecipe(recipe, target);
    } finally {
      await dispose();
    }
  }

  targets(paths: readonly string[]): Promise<LintTarget[]> {
    const options: ExpandOptions = this.options.composeFiles ? { composeFiles: this.options.composeFiles } : {};
    return expandTargets(paths, this.cwd, options);
  }

  report(results: TargetResult[]): LintReport {
    const ran = new Set(results.flatMap((r) => r.ruleIds));
    return { cwd: this.cwd, targets: results, rules: this.rules.filter((r) => ran.has(r.meta.id)), available: this.rules, summary: summarize(results) };
  }
}

/**
 * Lints recipe folders, compose files and `repo#ref`s. Findings come in a
 * stable order (target, file, line, column, rule). A rule that throws is
 * recorded in `crashes`; the other rules still run. Unusable input or
 * configuration throws a GalleyError (exit code 2).
 */
export async function lint(paths: readonly string[], options: LintOptions): Promise<LintReport> {
  const session = new LintSession(options);
  const targets = await session.targets(paths);
  // A few targets in flight at once, so reading files overlaps checking them; results keep the targets' order.
  const limit = pLimit(LINT_CONCURRENCY);
  const results = await Promise.all(targets.map((target) => limit(async () => ((await session.ignored(target)) ? undefined : session.lintTarget(target)))));
  return session.report(results.filter((r): r is TargetResult => r !== undefined));
}

/** How many targets are linted at once. */
const LINT_CONCURRENCY = 8;

/** A compose file linted on its own: a regular file, inside its folder (a symlink may not lead out of it), of at most MAX_YAML_BYTES. */
function readComposeFile(file: string): string {
  return readTextFileSync(file, { what: 'compose file', within: path.dirname(file), maxBytes: MAX_YAML_BYTES });
}

export function summarize(results: readonly TargetResult[]): LintSummary {
  const summary: LintSummary = { targets: results.length, files: 0, errors: 0, warnings: 0, infos: 0, fixable: 0, suppressed: 0, crashes: 0 };
  for (const r of results) {
    summary.files += r.files.size;
    summary.suppressed += r.suppressed.length;
    summary.crashes += r.crashes.length;
    for (const f of r.findings) {
      if (f.severity === 'error') summary.errors++;
      else if (f.severity === 'warning') summary.warnings++;
      else summary.infos++;
      if (f.fix) summary.fixable++;
    }
  }
  return summary;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** A finding's path relative to the working folder (what people and CI see). */
export function displayPath(result: TargetResult, file: string): string {
  return `${result.base}${file}`;
}

// ---- fixes ---------------------------------------------------------------

/** A recipe source with some files replaced (fixes being previewed or applied). */
class OverlaySource implements RecipeSource {
  constructor(
    private readonly base: RecipeSource,
    private readonly overrides: ReadonlyMap<string, string>,
  ) {}
  get label(): string {
    return this.base.label;
  }
  async list(): Promise<string[]> {
    const files = new Set(await this.base.list());
    for (const file of this.overrides.keys()) files.add(file);
    return [...files].sort();
  }
  async read(file: string): Promise<string | undefined> {
    return this.overrides.has(file) ? this.overrides.get(file) : this.base.read(file);
  }
  async size(file: string): Promise<number | undefined> {
    const text = this.overrides.get(file);
    return text === undefined ? this.base.size(file) : Buffer.byteLength(text, 'utf8');
  }
}

async function withTexts(recipe: Recipe, overrides: ReadonlyMap<string, string>): Promise<Recipe> {
  if (recipe.kind === 'compose-file') {
    const files = [...recipe.composeFiles].map(([file, parsed]) => ({ path: file, text: overrides.get(file) ?? parsed.text }));
    const dir = recipe.source instanceof DirectorySource ? recipe.source.root : '.';
    return composeProject(dir, files, recipe.dotEnv?.text);
  }
  const source = new OverlaySource(recipe.source, overrides);
  return readRecipe(source, recipe.name, recipe.git);
}

export interface FileChange {
  /** Path relative to the target's root. */
  file: string;
  /** Absolute path (absent for git refs). */
  path?: string;
  /** The folder of the target (absolute): fixes are written only inside it. */
  root?: string;
  /** Display path (relative to cwd). */
  display: string;
  before: string | undefined;
  after: string;
}

export interface FixOutcome {
  report: LintReport;
  changes: FileChange[];
  /** Passes that applied at least one fix. */
  passes: number;
}

/**
 * Lints, applies every fix, lints again — until no fix applies or after
 * MAX_FIX_PASSES passes — all in memory. Returns the final report and the
 * changed files; writing them is the caller's choice (`--fix` writes them
 * atomically, `--fix-dry-run` prints a diff). Fixes never touch git refs.
 */
export async function lintWithFixes(paths: readonly string[], options: LintOptions): Promise<FixOutcome> {
  const session = new LintSession(options);
  const targets = await session.targets(paths);
  const results: TargetResult[] = [];
  const changes: FileChange[] = [];
  let passes = 0;
  for (const target of targets) {
    if (await session.ignored(target)) continue;
    if (target.kind === 'git') {
      throw new GalleyError('cannot-fix-ref', `cannot fix ${target.spec}: fixes are written to files; lint a checked-out folder instead`);
    }
    const { recipe: original, dispose } = await session.open(target);
    try {
      let result = await session.lintRecipe(original, target);
      const fixed = await runFixPasses(
        async (overrides) => {
          if (overrides.size) result = await session.lintRecipe(await withTexts(original, overrides), target);
          return result.findings.flatMap((f) => f.fix?.edits ?? []);
        },
        (file) => original.source.read(file),
      );
      passes = Math.max(passes, fixed.passes);
      results.push(result);
      for (const [file, after] of fixed.changed) {
        const change: FileChange = { file, display: displayPath(result, file), before: fixed.originals.get(file), after };
        if (result.root) {
          change.path = path.join(result.root, file);
          change.root = result.root;
        }
        changes.push(change);
      }
    } finally {
      await dispose();
    }
  }
  return { report: session.report(results), changes, passes };
}
