import type { RuleContext } from '@galley/linter';
import type { VariableRef, YNode } from '@galley/recipe';
import { isScalar } from '@galley/recipe';

/** The variable references that produced a scalar's value (empty when it was written literally). */
export function refsOf(node: YNode | undefined): VariableRef[] {
  return isScalar(node) ? (node.interpolation?.refs ?? []) : [];
}

/** References that gave nothing: unset, with no default to fall back on. */
export function unsetRefs(node: YNode | undefined): VariableRef[] {
  return refsOf(node).filter((r) => !r.set && !r.defaulted && (r.form === 'plain' || r.form === ':?' || r.form === '?'));
}

/** References whose variable was set but empty (and no `:-` default replaced it). */
export function emptyRefs(node: YNode | undefined, context: RuleContext): VariableRef[] {
  return refsOf(node).filter((r) => r.set && !r.defaulted && r.form === 'plain' && context.fullStack.variables.get(r.name) === '');
}

/** `${A}`, `${A} and ${B}`: the variables of a value, for messages. */
export function variableList(refs: VariableRef[]): string {
  const names = [...new Set(refs.map((r) => `\${${r.name}}`))];
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Whether the values of unset variables are simply unknown here: a lone
 * compose file, or a recipe without `.env.sample`, gets them from whoever
 * deploys it, so checks of the resulting value would only guess.
 */
export function variablesAreUnknown(context: RuleContext): boolean {
  return context.recipe.kind === 'compose-file' || !context.recipe.envSample;
}

/**
 * Why a value came out as it did, for messages: empty when it was written
 * literally, else ` (from ${PORT}, which is not set)` and similar.
 */
export function originOf(node: YNode | undefined, context: RuleContext): string {
  const refs = refsOf(node);
  if (!refs.length || !isScalar(node)) return '';
  const unset = unsetRefs(node);
  if (unset.length) return ` (${variableList(unset)} ${unset.length > 1 ? 'are' : 'is'} not set)`;
  const empty = emptyRefs(node, context);
  if (empty.length) return ` (${variableList(empty)} ${empty.length > 1 ? 'are' : 'is'} empty)`;
  return ` (from "${node.interpolation?.raw ?? ''}")`;
}
