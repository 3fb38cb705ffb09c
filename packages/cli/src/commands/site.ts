import path from 'node:path';
import {
  buildSite,
  DEFAULT_TITLE,
  HOME_BUDGET_BYTES,
  JS_BUDGET_BYTES,
  type ReadmeSource,
  readmesFromCache,
  readmesFromDir,
  serveSite,
} from '@galley/generator';
import { EXIT, indentedList } from '@galley/platform';
import { claimInterrupt } from '../interrupt.js';

export interface SiteBuildFlags {
  catalogue: string;
  out: string;
  readmes?: string;
  cache?: string;
  baseUrl?: string;
  title?: string;
  json?: boolean;
  unmaintainedAfter?: number;
}

export interface SiteServeFlags {
  dir: string;
  port: number;
  host: string;
}

/** `galley site build`: flags → @galley/generator's buildSite → a summary. */
export async function siteBuild(flags: SiteBuildFlags): Promise<number> {
  let readmes: ReadmeSource | undefined;
  if (flags.readmes) readmes = await readmesFromDir(flags.readmes);
  else if (flags.cache) {
    // Loaded only here: the catalogue package brings git and registry code.
    const { readRecipeReadme } = await import('@galley/catalogue');
    readmes = readmesFromCache(flags.cache, readRecipeReadme);
  }
  const started = performance.now();
  const result = await buildSite({
    catalogue: flags.catalogue,
    out: flags.out,
    ...(readmes ? { readmes } : {}),
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    title: flags.title ?? DEFAULT_TITLE,
    ...(flags.unmaintainedAfter !== undefined ? { unmaintainedMonths: flags.unmaintainedAfter } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...result, seconds: Number(seconds.toFixed(3)) }, null, 2)}\n`);
    return EXIT.OK;
  }
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  const out = path.relative(process.cwd(), result.outDir) || '.';
  const lines = [
    `Built ${plural(result.recipes, 'recipe page')} in ${plural(result.categories, 'category', 'categories')} (${plural(result.versions, 'version')}, ${plural(result.files, 'file')}) into ${out}/ in ${seconds.toFixed(2)} s.`,
    `READMEs: ${result.readmes.rendered} rendered, ${result.readmes.missing} missing${readmes ? '' : ' (no --readmes or --cache given)'}.`,
    `Home page gzipped: ${kb(result.home.total)} (HTML ${kb(result.home.html)}, CSS ${kb(result.home.css)}, JS ${kb(result.home.js)}, search index ${kb(result.home.index)}); budget ${kb(HOME_BUDGET_BYTES)} at 200 recipes, JS ${kb(JS_BUDGET_BYTES)}.`,
    `Catalogue checked with ${result.validatedWith.includes('schema') ? 'schemas/catalogue.schema.json' : "galley's shape check"}.`,
    ...(result.media.copied ? [`Mirrored images: ${result.media.copied} copied into the site.`] : []),
    ...result.notices,
    `Preview: galley site serve --dir ${out}`,
  ];
  process.stdout.write(`${indentedList(lines, '')}\n`);
  return EXIT.OK;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `galley site serve`: serves until SIGINT/SIGTERM. */
export async function siteServe(flags: SiteServeFlags): Promise<number> {
  const server = await serveSite({ dir: flags.dir, port: flags.port, host: flags.host });
  process.stdout.write(`Serving ${flags.dir} at ${server.url}\nOpen ${server.url} in a browser; press Ctrl-C to stop.\n`);
  // The serve command claims the interrupt: the first Ctrl-C or SIGTERM closes the server and exits 0.
  const interrupt = claimInterrupt();
  try {
    await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), { once: true }));
  } finally {
    interrupt.dispose();
  }
  await server.close();
  return EXIT.OK;
}
