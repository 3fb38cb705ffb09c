import type { RuleContext } from '@galley/linter';
import { interpolateString, substituteLikeDockerCli, type YNode, type YScalar } from '@galley/recipe';

/**
 * Values as `docker stack deploy` loads them: strings go through docker/cli's
 * substitution (not compose-spec's), with the variables galley knows (the
 * env file of the recipe or the `.env` of a compose project, abra.sh exports,
 * STACK_NAME).
 */

export interface DockerValue {
  /** The value after docker's substitution (and cast, when the field casts and a variable changed it). */
  value: string | number | boolean | null;
  /** Whether a `${VAR}` changed it (docker casts only such values). */
  interpolated: boolean;
  /** Set when the value depends on a variable whose value galley does not know (a compose project's shell may set it). */
  unknown: boolean;
  /** docker's error for the string (an invalid template, a required variable). */
  error?: string;
  /** For messages: ` (from ${V})`. */
  origin: string;
}

/** Whether values of unset variables are unknown (a compose project, or a recipe without `.env.sample`): then checks of what they make are skipped. */
export function unsetIsUnknown(context: RuleContext): boolean {
  return context.recipe.kind === 'compose-file' || !context.recipe.envSample;
}

/** What docker makes of a scalar as written. */
export function dockerValue(node: YScalar, context: RuleContext): DockerValue {
  const raw = node.interpolation?.raw ?? node.value;
  if (typeof raw !== 'string' || !raw.includes('$')) return { value: node.value, interpolated: false, unknown: false, origin: '' };
  const variables = context.fullStack.variables;
  const result = substituteLikeDockerCli(raw, (name) => variables.get(name));
  const names = interpolateString(raw, () => undefined).refs.map((r) => r.name);
  const unknown = unsetIsUnknown(context) && names.some((n) => !variables.has(n));
  const origin = names.length ? ` (from ${[...new Set(names)].map((n) => `\${${n}}`).join(', ')})` : '';
  const out: DockerValue = { value: result.value, interpolated: result.value !== raw, unknown, origin };
  if (result.error) out.error = result.error;
  return out;
}

const TRUE = new Set(['y', 'yes', 'true', 'on']);
const FALSE = new Set(['n', 'no', 'false', 'off']);

/** docker's casts of interpolated values (Go's strconv.Atoi, ParseFloat, and YAML 1.1 booleans); undefined when the text does not convert. */
export function dockerCast(text: string, cast: 'int' | 'float' | 'bool'): number | boolean | undefined {
  if (cast === 'int') return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
  if (cast === 'float') {
    const n = Number(text);
    return text.trim() !== '' && !/^0x/i.test(text) && Number.isFinite(n) ? n : undefined;
  }
  const lower = text.toLowerCase();
  return TRUE.has(lower) ? true : FALSE.has(lower) ? false : undefined;
}

/** The JSON type of a node's value, for messages and checks. */
export function typeOf(node: YNode, value?: DockerValue['value']): 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'list' | 'map' {
  if (node.kind === 'seq') return 'list';
  if (node.kind === 'map') return 'map';
  const v = value === undefined ? node.value : value;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return 'string';
}
