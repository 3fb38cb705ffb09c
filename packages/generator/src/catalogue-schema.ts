import { readFile } from 'node:fs/promises';
import { GalleyError } from '@galley/platform';
import { formatJsonPath, pointerToSegments } from './json-path.js';
import { catalogueSchemaFile } from './paths.js';
import type { CatalogueProblem } from './validate-catalogue.js';

/**
 * Validates against the catalogue's JSON Schema (written by the catalogue
 * package in schemas/catalogue.schema.json). Returns undefined when there is
 * no schema file to validate against. ajv is loaded only when there is one.
 */
export async function validateAgainstSchema(data: unknown, schemaFile: string | undefined = catalogueSchemaFile()): Promise<CatalogueProblem[] | undefined> {
  if (!schemaFile) return undefined;
  const text = await readFile(schemaFile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let schema: { $schema?: string };
  try {
    schema = JSON.parse(text) as { $schema?: string };
  } catch (error) {
    throw new GalleyError('catalogue-schema', `${schemaFile}: the catalogue schema is not valid JSON: ${(error as Error).message}`, {
      file: schemaFile,
      exitCode: 4,
    });
  }
  const validate = await compile(schema);
  if (validate(data)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => ({
    path: formatJsonPath(pointerToSegments(e.instancePath)),
    message: describeError(e),
  }));
}

interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

async function compile(schema: { $schema?: string }): Promise<Validator> {
  const draft = schema.$schema ?? '';
  const options = { allErrors: true, strict: false, allowUnionTypes: true };
  type AjvClass = new (o: typeof options) => { compile(s: object): Validator; addFormat?: unknown };
  let Ajv: AjvClass;
  if (draft.includes('2020-12')) Ajv = (await import('ajv/dist/2020.js')).default as unknown as AjvClass;
  else if (draft.includes('2019-09')) Ajv = (await import('ajv/dist/2019.js')).default as unknown as AjvClass;
  else Ajv = (await import('ajv')).default as unknown as AjvClass;
  return new Ajv(options).compile(schema);
}

function describeError(e: SchemaError): string {
  if (e.keyword === 'required') return `is missing the required "${String(e.params.missingProperty)}"`;
  if (e.keyword === 'additionalProperties') return `has an unexpected "${String(e.params.additionalProperty)}"`;
  return e.message ?? `fails ${e.keyword}`;
}
