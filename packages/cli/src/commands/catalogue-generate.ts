import { type CatalogueFlags, chooseReporterMode, createReporter, generateCatalogue, resolveCatalogueSettings } from '@galley/catalogue';
import { EXIT, GalleyError } from '@galley/platform';

export interface CatalogueGenerateOptions extends Omit<CatalogueFlags, 'concurrency' | 'gitConcurrency' | 'retries' | 'only'> {
  json?: boolean;
  only?: string;
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

export async function catalogueGenerate(options: CatalogueGenerateOptions): Promise<number> {
  const flags: CatalogueFlags = { ...options } as CatalogueFlags;
  flags.concurrency = integer(options.concurrency, '--concurrency');
  flags.gitConcurrency = integer(options.gitConcurrency, '--git-concurrency');
  flags.retries = integer(options.retries, '--retries');
  if (options.only !== undefined)
    flags.only = options.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const settings = await resolveCatalogueSettings(flags);
  const reporter = createReporter(chooseReporterMode({ json: options.json, stream: process.stderr }));
  try {
    const result = await generateCatalogue(settings, { onEvent: (event) => reporter.onEvent(event) });
    reporter.finish(result);
    return result.status === 'complete' ? EXIT.OK : EXIT.PARTIAL;
  } finally {
    reporter.stop();
  }
}
