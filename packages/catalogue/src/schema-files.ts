import type { ErrorObject } from 'ajv';
import { type StandaloneValidator, validateCatalogue, validateCatalogueConfig, validateSidecar } from './generated/validators.js';

/**
 * The validators of galley's catalogue schemas in `schemas/`, compiled at
 * build time by scripts/build-schemas.mjs (the one way galley compiles a
 * JSON Schema).
 */
const VALIDATORS = {
  'catalogue.schema.json': validateCatalogue,
  'catalogue-config.schema.json': validateCatalogueConfig,
  'catalogue-sidecar.schema.json': validateSidecar,
} as const;

export function schemaValidator(file: keyof typeof VALIDATORS): StandaloneValidator {
  return VALIDATORS[file];
}

export function formatSchemaErrors(errors: readonly ErrorObject[] | null | undefined, limit = 5): string {
  return (errors ?? [])
    .slice(0, limit)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}
