// Types of the code scripts/build-schemas.mjs generates into schemas.js
// (standalone ajv validators, compiled at build time, verbose errors).
import type { ErrorObject } from 'ajv';

export interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The compose-spec schema (pinned through the `dclint` package). */
export declare const validateCompose: StandaloneValidator;
/** schemas/galley-config.schema.json */
export declare const validateConfig: StandaloneValidator;
export declare const composeSchemaSource: { package: string; version: string; file: string };
