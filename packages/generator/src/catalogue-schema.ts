import { validateCatalogue } from '@galley/catalogue/validators';
import { formatJsonPath, pointerToSegments } from './json-path.js';
import type { CatalogueProblem } from './validate-catalogue.js';

/**
 * Validates against the catalogue's JSON Schema (schemas/catalogue.schema.json,
 * compiled at build time by scripts/build-schemas.mjs; the site builder loads
 * only that validator, none of the catalogue generator's code).
 */
export function validateAgainstSchema(data: unknown): CatalogueProblem[] {
  if (validateCatalogue(data)) return [];
  return (validateCatalogue.errors ?? []).slice(0, 20).map((e) => ({
    path: formatJsonPath(pointerToSegments(e.instancePath)),
    message: describeError(e),
  }));
}

function describeError(e: { keyword: string; message?: string; params: Record<string, unknown> }): string {
  if (e.keyword === 'required') return `is missing the required "${String(e.params.missingProperty)}"`;
  if (e.keyword === 'additionalProperties') return `has an unexpected "${String(e.params.additionalProperty)}"`;
  return e.message ?? `fails ${e.keyword}`;
}
