import { GalleyError } from '@galley/platform';
import { writeFileAtomic } from '@galley/platform/fs';
import { formatSchemaErrors, schemaValidator } from './schema-files.js';
import type { Catalogue } from './types.js';

/** JSON with every object's keys sorted (arrays keep their order), two-space indent, final newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Checks a catalogue against `schemas/catalogue.schema.json`; throws (exit 4: a bug) when it does not fit. */
export function validateCatalogue(catalogue: unknown): asserts catalogue is Catalogue {
  const validate = schemaValidator('catalogue.schema.json');
  if (!validate(catalogue)) {
    throw new GalleyError(
      'catalogue-invalid',
      `the catalogue does not fit schemas/catalogue.schema.json, so it was not written: ${formatSchemaErrors(validate.errors)}`,
      {
        exitCode: 4,
      },
    );
  }
}

/** Checks the sidecar file against `schemas/catalogue-sidecar.schema.json`; throws (exit 4: a bug) when it does not fit. */
export function validateSidecar(sidecar: unknown): void {
  const validate = schemaValidator('catalogue-sidecar.schema.json');
  if (!validate(sidecar)) {
    throw new GalleyError(
      'catalogue-invalid',
      `the catalogue's sidecar does not fit schemas/catalogue-sidecar.schema.json, so nothing was written: ${formatSchemaErrors(validate.errors)}`,
      { exitCode: 4 },
    );
  }
}

/** Validates, then writes the catalogue atomically (temp file + rename): the same catalogue gives the same bytes. */
export async function writeCatalogue(file: string, catalogue: Catalogue): Promise<string> {
  const text = canonicalJson(catalogue);
  validateCatalogue(JSON.parse(text));
  await writeFileAtomic(file, text, { createFolder: true });
  return text;
}
