import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { parse } from 'yaml';

/**
 * The operator's own deploy settings, apart from any recipe:
 * `$GALLEY_DEPLOY_CONFIG`, else `$XDG_CONFIG_HOME/galley/deploy.yml`, else
 * `~/.config/galley/deploy.yml`. Flags win over it.
 *
 * ```yaml
 * lint:
 *   level: error          # error (default) | warning | off
 *   rules:                # the operator's levels, winning over the recipe's
 *     recipe/some-rule: off
 * stability: 10           # seconds a service without a healthcheck must stay up
 * ```
 */
export type LintLevel = 'error' | 'warning' | 'off';
export type RuleLevel = 'error' | 'warning' | 'info' | 'off';

export interface OperatorConfig {
  file?: string;
  lint: { level?: LintLevel; rules: Record<string, RuleLevel> };
  stability?: number;
}

export function operatorConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GALLEY_DEPLOY_CONFIG) return env.GALLEY_DEPLOY_CONFIG;
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'galley', 'deploy.yml');
}

const LEVELS = new Set(['error', 'warning', 'off']);
const RULE_LEVELS = new Set(['error', 'warning', 'info', 'off']);

export function parseOperatorConfig(text: string, file: string): OperatorConfig {
  const bad = (what: string) => new GalleyError('bad-config', `${file}: ${what}`);
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw bad(`not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const config: OperatorConfig = { file, lint: { rules: {} } };
  if (doc === null || doc === undefined) return config;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw bad('must be a map with lint: and stability:');
  const { lint, stability, ...rest } = doc as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw bad(`unknown setting ${unknown.join(', ')} (known: lint, stability)`);
  if (stability !== undefined) {
    if (typeof stability !== 'number' || stability < 0) throw bad('stability: must be a number of seconds (0 or more)');
    config.stability = stability;
  }
  if (lint !== undefined) {
    if (typeof lint !== 'object' || lint === null || Array.isArray(lint)) throw bad('lint: must be a map with level: and rules:');
    const { level, rules } = lint as Record<string, unknown>;
    if (level !== undefined) {
      if (typeof level !== 'string' || !LEVELS.has(level)) throw bad(`lint.level: must be error, warning or off, not ${JSON.stringify(level)}`);
      config.lint.level = level as LintLevel;
    }
    if (rules !== undefined) {
      if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw bad('lint.rules: must map rule ids to error, warning, info or off');
      for (const [id, value] of Object.entries(rules)) {
        if (typeof value !== 'string' || !RULE_LEVELS.has(value)) throw bad(`lint.rules.${id}: must be error, warning, info or off`);
        config.lint.rules[id] = value as RuleLevel;
      }
    }
  }
  return config;
}

/** Reads the operator's config; none is an empty one. */
export async function readOperatorConfig(env: NodeJS.ProcessEnv = process.env): Promise<OperatorConfig> {
  const file = operatorConfigFile(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lint: { rules: {} } };
    throw new GalleyError('bad-config', `cannot read the deploy config ${file}: ${(error as Error).message}`);
  }
  return parseOperatorConfig(text, file);
}
