import { GalleyError } from '@galley/platform';
import type { Recipe } from '@galley/recipe';
import { closestName } from '@galley/recipe';
import type { ValidateFunction } from 'ajv';
import { type GalleyConfig, optionSpan } from './config.js';
import type { PresetName, Rule } from './rule.js';
import type { RuleSetting } from './runner.js';
import { describeSchemaErrors, parsePointer } from './schema-errors.js';

export const PRESETS: readonly PresetName[] = ['recommended', 'swarm', 'coop-cloud'];

/**
 * The presets used when neither `--preset` nor the configuration names one:
 * `recommended` for a lone compose file; `recommended` and `coop-cloud` for a
 * recipe folder (packagers lint recipes to publish them with abra).
 */
export function defaultPresets(kind: Recipe['kind']): PresetName[] {
  return kind === 'recipe' ? ['recommended', 'coop-cloud'] : ['recommended'];
}

export function isPresetName(name: string): name is PresetName {
  return (PRESETS as readonly string[]).includes(name);
}

const optionValidators = new WeakMap<Rule, ValidateFunction>();

async function validatorFor(rule: Rule): Promise<ValidateFunction> {
  const known = optionValidators.get(rule);
  if (known) return known;
  // Loaded only when a configuration gives options: most runs never compile a schema.
  // A CommonJS module: its namespace's named exports differ between node and
  // the esbuild bundle, but `default` is module.exports (the class) in both.
  const ajvModule = await import('ajv');
  const Ajv = (ajvModule.default as unknown as { Ajv?: typeof ajvModule.Ajv }).Ajv ?? ajvModule.Ajv;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, useDefaults: false });
  const validate = ajv.compile(rule.meta.options ?? { type: 'object', maxProperties: 0 });
  optionValidators.set(rule, validate);
  return validate;
}

/**
 * Which rules run, at which severity, with which options: the rules of the
 * chosen presets, then the configuration's overrides (which may also enable
 * a rule outside the presets). Unknown rule ids and options that do not fit a
 * rule's options schema are configuration errors (exit 2) at their position.
 */
export async function resolveSettings(rules: readonly Rule[], config: GalleyConfig, presets: readonly PresetName[]): Promise<RuleSetting[]> {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  for (const [id, entry] of config.rules) {
    if (byId.has(id)) continue;
    const suggestion = closestName(id, [...byId.keys()]);
    throw new GalleyError('bad-config', `unknown rule "${id}"${suggestion ? `: did you mean "${suggestion}"?` : ' (galley lint --list-rules lists them)'}`, {
      span: entry.span,
    });
  }
  const settings: RuleSetting[] = [];
  for (const rule of rules) {
    const entry = config.rules.get(rule.meta.id);
    const inPreset = rule.meta.presets.some((p) => presets.includes(p));
    if (entry?.level === 'off') continue;
    if (!entry && !inPreset) continue;
    const options = { ...(rule.meta.defaultOptions ?? {}), ...(entry?.options ?? {}) };
    if (entry?.options) {
      const validate = await validatorFor(rule);
      if (!validate(entry.options)) {
        const problems = entry.optionsNode ? describeSchemaErrors(validate.errors ?? [], entry.optionsNode, entry.span) : [];
        const first = problems[0];
        const detail = first
          ? first.message.replace(/^the document /, 'the options ')
          : (validate.errors ?? []).map((e) => `${e.instancePath || 'options'} ${e.message}`).join('; ');
        const span = first ? first.span : optionSpan(entry, parsePointer(validate.errors?.[0]?.instancePath ?? ''));
        throw new GalleyError('bad-config', `invalid options for rule ${rule.meta.id}: ${detail}`, { span });
      }
    }
    settings.push({ rule, severity: entry?.level ?? rule.meta.severity, options });
  }
  return settings;
}
