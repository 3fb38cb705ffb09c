import { type Span, toJS, type YNode } from '@galley/recipe';
import type { StandaloneValidator } from './generated/config-schema.js';
import { describeSchemaErrors, type SchemaProblem } from './schema-errors.js';

let validator: Promise<StandaloneValidator> | undefined;

/**
 * The compose-spec validator, compiled at build time. Loaded on first use:
 * it is most of the lint code by size, and a recipe (linted as a swarm stack,
 * against docker's own format) never needs it.
 */
function composeValidator(): Promise<StandaloneValidator> {
  validator ??= import('./generated/compose-schema.js').then((m) => m.validateCompose);
  return validator;
}

/**
 * Validates one compose file's tree (interpolated, so `${VAR}` in typed
 * fields is checked as the value it becomes) against the compose-spec schema.
 * Every problem comes back, at its exact position.
 */
export async function composeSchemaProblems(root: YNode, fallback: Span): Promise<SchemaProblem[]> {
  const validate = await composeValidator();
  if (validate(toJS(root))) return [];
  return describeSchemaErrors(validate.errors ?? [], root, fallback);
}
