import { type Span, toJS, type YNode } from '@galley/recipe';
import { composeSchemaSource, validateCompose } from './generated/schemas.js';
import { describeSchemaErrors, type SchemaProblem } from './schema-errors.js';

/** Which compose-spec schema galley validates against (package and version it is pinned through). */
export const COMPOSE_SCHEMA = composeSchemaSource;

/**
 * Validates one compose file's tree (interpolated, so `${VAR}` in typed
 * fields is checked as the value it becomes) against the compose-spec schema,
 * compiled at build time. Every problem comes back, at its exact position.
 */
export function composeSchemaProblems(root: YNode, fallback: Span): SchemaProblem[] {
  if (validateCompose(toJS(root))) return [];
  return describeSchemaErrors(validateCompose.errors ?? [], root, fallback);
}
