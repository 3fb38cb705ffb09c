import { readFileSync } from 'node:fs';
import path from 'node:path';
import { galleyHome } from '@galley/platform/home';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';

/**
 * Galley's own JSON Schemas live in `schemas/`, the one copy editors, the
 * site builder and this package share; `@galley/platform/home` finds it
 * beside the running code (the repository, or the installed package). Each
 * schema is compiled once per process.
 */
function schemasDir(): string {
  const home = galleyHome();
  if (!home) throw new Error("galley's schemas/ folder was not found beside the installed code: reinstall galley");
  return path.join(home, 'schemas');
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
