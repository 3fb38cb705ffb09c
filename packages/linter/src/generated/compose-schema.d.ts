// Types of the code scripts/build-schemas.mjs generates into compose-schema.js
// (a standalone ajv validator, compiled at build time, verbose errors).
import type { StandaloneValidator } from './config-schema.js';

/** The compose-spec schema (pinned through the `dclint` package). */
export declare const validateCompose: StandaloneValidator;
export declare const composeSchemaSource: { package: string; version: string; file: string };
