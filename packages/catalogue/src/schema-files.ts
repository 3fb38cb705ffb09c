import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';

/**
 * Galley's own JSON Schemas live in the repository's `schemas/` folder, the
 * one copy editors, the site builder and this package share. This module
 * finds that folder from wherever the code runs (the sources under jest,
 * `dist/`, or the bundled CLI in `packages/cli/dist/chunks/`) by walking up
 * from this module, and compiles each schema once per process.
 */
function schemasDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(path.join(dir, 'schemas', 'catalogue.schema.json'))) return path.join(dir, 'schemas');
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error("galley's schemas/ folder was not found above the installed code: reinstall galley");
}

export function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(schemasDir(), file), 'utf8')) as Record<string, unknown>;
}

const compiled = new Map<string, ValidateFunction>();

/** The compiled validator of `schemas/<file>` (compiled on first use, then reused). */
export function schemaValidator(file: string): ValidateFunction {
  let validate = compiled.get(file);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true });
    validate = ajv.compile(readSchema(file));
    compiled.set(file, validate);
  }
  return validate;
}

export function formatSchemaErrors(errors: readonly ErrorObject[] | null | undefined, limit = 5): string {
  return (errors ?? [])
    .slice(0, limit)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}
