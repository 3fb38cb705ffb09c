import { readFile } from 'node:fs/promises';
import { GalleyError, indentedList, visible } from '@galley/platform';
import { validateAgainstSchema } from './catalogue-schema.js';
import type { Catalogue } from './catalogue-types.js';
import { type CatalogueProblem, checkCatalogueShape } from './validate-catalogue.js';

/** The catalogue as read: the parsed object and the exact bytes (copied into the site as recipes.json). */
export interface LoadedCatalogue {
  file: string;
  catalogue: Catalogue;
  bytes: Buffer;
  /** Which checks ran: Galley's own shape check, plus the JSON Schema when schemas/catalogue.schema.json is there. */
  validatedWith: ('shape' | 'schema')[];
}

/** Larger than any real catalogue (2000 recipes with all versions is a few MB). */
export const MAX_CATALOGUE_BYTES = 256 * 1024 * 1024;

/**
 * Reads and validates a catalogue file. Every failure is a GalleyError with
 * exit code 2 that names the file, and the JSON path or line where it is wrong.
 */
export async function loadCatalogue(file: string, options: { schema?: boolean } = {}): Promise<LoadedCatalogue> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    const why =
      error.code === 'ENOENT'
        ? 'it does not exist (write one with `galley catalogue generate`, or pass the right path with --catalogue)'
        : error.code === 'EISDIR'
          ? 'it is a folder, not a JSON file'
          : error.code === 'EACCES'
            ? 'permission denied'
            : error.message;
    throw new GalleyError('catalogue-unreadable', `${file}: cannot read the catalogue: ${why}`, { file });
  });
  if (bytes.length > MAX_CATALOGUE_BYTES) {
    throw new GalleyError('catalogue-too-large', `${file}: the catalogue is ${bytes.length} bytes, more than the ${MAX_CATALOGUE_BYTES} galley reads`, {
      file,
    });
  }
  const text = bytes.toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new GalleyError('catalogue-json', `${file}${jsonErrorLocation(text, error)}: not valid JSON: ${(error as Error).message}`, { file });
  }
  // The schema is stricter than the shape the site needs; the shape check
  // runs when the schema is skipped, or to explain a failure in the site's
  // own words first.
  const schemaProblems = options.schema === false ? undefined : validateAgainstSchema(data);
  if (schemaProblems?.length === 0) return { file, catalogue: data as Catalogue, bytes, validatedWith: ['schema'] };
  const problems = checkCatalogueShape(data);
  if (problems.length > 0) throw invalid(file, problems, 'is not a catalogue galley can read');
  if (schemaProblems) throw invalid(file, schemaProblems, 'does not follow schemas/catalogue.schema.json');
  return { file, catalogue: data as Catalogue, bytes, validatedWith: ['shape'] };
}

function invalid(file: string, problems: CatalogueProblem[], what: string): GalleyError {
  const shown = problems.slice(0, 10).map((p) => `${p.path}: ${p.message}`);
  const more = problems.length > 10 ? [`… and ${problems.length - 10} more`] : [];
  return new GalleyError('catalogue-invalid', `${visible(file)} ${what}:\n${indentedList([...shown, ...more])}`, { file });
}

/** `:line:col` from a JSON.parse error's "at position N", when it has one. */
function jsonErrorLocation(text: string, error: unknown): string {
  const m = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!m) return '';
  const offset = Number(m[1]);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `:${line}:${offset - lineStart + 1}`;
}
