// Types of the code scripts/build-schemas.mjs generates into config-schema.js
// (a standalone ajv validator, compiled at build time, verbose errors).
import type { ErrorObject } from 'ajv';

export interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** schemas/galley-config.schema.json */
export declare const validateConfig: StandaloneValidator;
