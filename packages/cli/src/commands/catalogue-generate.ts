import { type CatalogueFlags, chooseReporterMode, createCatalogueReporter, generateCatalogue, resolveCatalogueSettings } from '@galley/catalogue';
import { EXIT, GalleyError } from '@galley/platform';
import { reportError } from '../errors.js';

export interface CatalogueGenerateOptions extends Omit<CatalogueFlags, 'concurrency' | 'gitConcurrency' | 'retries' | 'only' | 'exclude'> {
  json?: boolean;
  only?: string;
  exclude?: string;
  concurrency?: string;
  gitConcurrency?: string;
  retries?: string;
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new GalleyError('bad-flag', `${flag} must be a whole number, not "${value}"`);
  return n;
}

const names = (value: string | undefined): string[] | undefined =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export async function catalogueGenerate(options: CatalogueGenerateOptions): Promise<number> {
  try {
    return await run(options);
  } catch (error) {
    // A JSON reader gets a last event for every end, failures included, so its stream is never cut short.
    if (!options.json) throw error;
    const code = reportError(error);
    const failure = error instanceof GalleyError ? { code: error.code, message: error.message } : { code: 'internal', message: (error as Error).message };
    process.stdout.write(`${JSON.stringify({ type: 'error', exitCode: code, ...failure })}\n`);
    return code;
  }
}

async function run(options: CatalogueGenerateOptions): Promise<number> {
  const flags: CatalogueFlags = { ...options } as CatalogueFlags;
  flags.concurrency = integer(options.concurrency, '--concurrency');
  flags.gitConcurrency = integer(options.gitConcurrency, '--git-concurrency');
  flags.retries = integer(options.retries, '--retries');
  const only = names(options.only);
  if (only) flags.only = only;
  const exclude = names(options.exclude);
  if (exclude) flags.exclude = exclude;
  const settings = await resolveCatalogueSettings(flags);
  const reporter = createCatalogueReporter(chooseReporterMode({ json: options.json, stream: process.stderr }));
  try {
    const result = await generateCatalogue(settings, { onEvent: (event) => reporter.onEvent(event) });
    reporter.finish(result);
    return result.status === 'complete' ? EXIT.OK : EXIT.PARTIAL;
  } finally {
    reporter.stop();
  }
}
