import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError, visible } from '@galley/platform';
import { readTextFile } from '@galley/platform/fs';
import { getPair, isMap, isSeq, parseYaml, type Span, toJS, type YNode } from '@galley/recipe';
import picomatch from 'picomatch';
import { validateConfig } from './generated/config-schema.js';
import type { PresetName, Severity } from './rule.js';
import { describeSchemaErrors, locate } from './schema-errors.js';

/** The largest configuration file galley reads. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** The names a configuration file may have, in the order they are looked for in each folder. */
export const CONFIG_FILE_NAMES = ['.galley.yml', '.galley.yaml', '.galley.json'] as const;

export type RuleLevel = Severity | 'off';

/** One rule's configuration: a level, and options when given as `[level, options]`. */
export interface RuleConfig {
  level: RuleLevel;
  options?: Record<string, unknown>;
  /** Where the rule's entry is written (for messages about it). */
  span: Span;
  optionsNode?: YNode;
}

/** A validated `.galley.yml`. */
export interface GalleyConfig {
  /** Absolute path of the file (absent: the built-in defaults). */
  file?: string;
  /** The folder `ignore` globs are relative to. */
  dir: string;
  preset?: PresetName[];
  /** The Docker version (major.minor) of the swarm the files are deployed to. */
  dockerVersion?: string;
  rules: Map<string, RuleConfig>;
  ignore: string[];
}

/** The configuration of a folder without a configuration file. */
export function defaultConfig(dir: string): GalleyConfig {
  return { dir, rules: new Map(), ignore: [] };
}

/** The nearest configuration file at or above `dir`, if any. */
export async function findConfigFile(dir: string): Promise<string | undefined> {
  let current = path.resolve(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(current, name);
      const info = await stat(candidate).catch(() => undefined);
      if (info?.isFile()) return candidate;
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function badConfig(message: string, span: Span | undefined, file: string): GalleyError {
  // One line: keys and values quoted from the file cannot break it.
  return new GalleyError('bad-config', visible(message), span ? { span, file } : { file });
}

/**
 * Reads and validates a configuration file (YAML or JSON) against
 * `schemas/galley-config.schema.json` (compiled at build time). A problem
 * throws a GalleyError (exit 2) naming `file:line:col` of the bad key.
 */
export async function loadConfigFile(file: string, cwd = process.cwd(), options: { discovered?: boolean } = {}): Promise<GalleyConfig> {
  const absolute = path.resolve(file);
  // A configuration named with --config may be a symlink anywhere (the user chose it); one found beside the files
  // may not lead out of its folder (it would echo what it points at, /proc/self/environ, into messages). Either
  // must be a regular file of at most 1 MiB.
  const within = options.discovered ? { within: path.dirname(absolute) } : {};
  const text = await readTextFile(absolute, { what: 'configuration file', maxBytes: MAX_CONFIG_BYTES, ...within }).catch((error: unknown) => {
    throw badConfig((error as Error).message.replace(visible(absolute), visible(file)), undefined, file);
  });
  return parseConfig(text, absolute, cwd);
}

/** Validates configuration text; `file` (shown relative to `cwd`) is used for positions in messages. */
export function parseConfig(text: string, file: string, cwd = process.cwd()): GalleyConfig {
  const display = path.relative(cwd, file) || file;
  const parsed = parseYaml(text, display);
  const syntax = parsed.diagnostics.find((d) => d.severity === 'error');
  if (syntax) throw badConfig(`invalid configuration: ${syntax.message}`, syntax.span, display);
  const root = parsed.root;
  const config: GalleyConfig = { file, dir: path.dirname(file), rules: new Map(), ignore: [] };
  if (!root || (root.kind === 'scalar' && root.value === null)) return config;
  const data = toJS(root);
  if (!validateConfig(data)) {
    const problems = describeSchemaErrors(validateConfig.errors ?? [], root, parsed.lines.span(display, 0, 0));
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw badConfig(`invalid configuration: ${first.message}${more}`, first.span, display);
  }
  const value = data as {
    preset?: PresetName | PresetName[];
    dockerVersion?: string;
    rules?: Record<string, RuleLevel | [RuleLevel, Record<string, unknown>?]>;
    ignore?: string[];
  };
  if (value.preset !== undefined) config.preset = Array.isArray(value.preset) ? value.preset : [value.preset];
  if (value.ignore) {
    const ignoreNode = getPair(isMap(root) ? root : null, 'ignore')?.value;
    value.ignore.forEach((glob, i) => {
      try {
        picomatch(glob, { dot: true });
      } catch (error) {
        const node = isSeq(ignoreNode) ? ignoreNode.items[i] : undefined;
        throw badConfig(`invalid ignore glob: ${(error as Error).message}: shorten or fix it`, node?.span ?? root.span, display);
      }
    });
    config.ignore = value.ignore;
  }
  if (value.dockerVersion) config.dockerVersion = value.dockerVersion;
  const rulesNode = getPair(isMap(root) ? root : null, 'rules')?.value;
  for (const [id, setting] of Object.entries(value.rules ?? {})) {
    const pair = isMap(rulesNode) ? getPair(rulesNode, id) : undefined;
    const span = pair?.key.span ?? root.span;
    if (Array.isArray(setting)) {
      const entry: RuleConfig = { level: setting[0], span };
      if (setting[1]) {
        entry.options = setting[1];
        const optionsNode = pair && isSeq(pair.value) ? pair.value.items[1] : undefined;
        if (optionsNode) entry.optionsNode = optionsNode;
      }
      config.rules.set(id, entry);
    } else {
      config.rules.set(id, { level: setting, span });
    }
  }
  return config;
}

/** Where in a configuration a rule option is (for messages). */
export function optionSpan(entry: RuleConfig, pointer: string[]): Span {
  if (!entry.optionsNode) return entry.span;
  const located = locate(entry.optionsNode, pointer);
  return located.key?.span ?? located.node?.span ?? entry.optionsNode.span;
}
