import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readSidecar } from '@galley/catalogue/sidecar';
import { GalleyError } from '@galley/platform';
import type { Catalogue } from './catalogue-types.js';
import { loadCatalogue } from './load-catalogue.js';
import { pageRenderer, type SiteFile } from './pages.js';
import { type ReadmeTicket, readmeRenderer } from './readme-renderer.js';
import type { ReadmeSource, ReadmeText } from './readme-source.js';
import { buildSearchIndex } from './search-index.js';
import { SEARCH_INDEX_FILE } from './search-options.js';
import { type HomeWeight, homeWeight } from './site-weight.js';
import { SiteWriter } from './site-writer.js';
import { openTemplates } from './templates.js';
import { buildSiteModel, type RecipeView, UNMAINTAINED_MONTHS } from './view-model.js';

export interface BuildSiteOptions {
  /** The catalogue file (abra's recipes.json with Galley's additions). */
  catalogue: string;
  /** The folder to write; replaced as a whole when the build succeeds. */
  out: string;
  /** Where READMEs come from; without one, recipe pages have no README section text. */
  readmes?: ReadmeSource;
  /** Absolute http(s) URL the site is published at: used only in the feed, sitemap and canonical links. */
  baseUrl?: string;
  /** Site name (default "Co-op Cloud recipes"). */
  title?: string;
  /** Templates folder (default: galley's site-templates/). */
  templatesDir?: string;
  /** The bundled client script (default: site-templates/client/dist/app.js, made by `npm run build`). */
  clientScript?: string;
  /** Worker threads that render READMEs (0: none; default: one per spare core, at most 2, from 300 READMEs on). */
  readmeThreads?: number;
  /** A recipe with no release in this many months before the catalogue's date is flagged unmaintained (default 12). */
  unmaintainedMonths?: number;
}

export interface BuildSiteResult {
  outDir: string;
  recipes: number;
  categories: number;
  versions: number;
  files: number;
  bytes: number;
  readmes: { rendered: number; missing: number };
  /** Worker threads that rendered READMEs (0: the main thread did). */
  readmeThreads: number;
  home: HomeWeight;
  validatedWith: ('shape' | 'schema')[];
  /** Mirrored images copied into the site, and those the catalogue names but the build could not find (shown as links). */
  media: { copied: number; missing: number };
  /** Files left out, and why (the feed and sitemap need --base-url). */
  notices: string[];
}

export const DEFAULT_TITLE = 'Co-op Cloud recipes';

/**
 * `galley site build`: catalogue (+ READMEs) → a static site in `out`.
 * Deterministic: the same inputs give the same bytes (no build time, every
 * list sorted). All links are relative, so the site works from any sub-path.
 */
export async function buildSite(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const baseUrl = options.baseUrl === undefined ? undefined : normaliseBaseUrl(options.baseUrl);
  const templates = openTemplates(options.templatesDir);
  const clientScript = options.clientScript ?? path.join(templates.dir, 'client', 'dist', 'app.js');
  const [loaded, script, assets] = await Promise.all([
    loadCatalogue(options.catalogue),
    readClientScript(clientScript),
    readAssets(path.join(templates.dir, 'assets')),
  ]);
  const [facts, media] = await Promise.all([readSidecar(options.catalogue), readMedia(options.catalogue, loaded.catalogue)]);
  const unmaintainedMonths = options.unmaintainedMonths ?? UNMAINTAINED_MONTHS;
  if (!Number.isInteger(unmaintainedMonths) || unmaintainedMonths < 1) {
    throw new GalleyError('site-flags', `--unmaintained-after ${unmaintainedMonths}: give a whole number of months (1 or more)`);
  }
  const model = buildSiteModel(loaded.catalogue, { ...(facts ? { facts } : {}), media: media.paths, unmaintainedMonths });
  const pages = pageRenderer(model, templates, { title: options.title ?? DEFAULT_TITLE, ...(baseUrl ? { baseUrl } : {}) });
  const notices: string[] = [];
  if (!baseUrl) notices.push('No --base-url: feed.xml and sitemap.xml are left out (they need absolute URLs), and the 404 page cannot link home.');
  if (media.missing)
    notices.push(
      `${media.missing} mirrored image${media.missing === 1 ? '' : 's'} named by the catalogue ${media.missing === 1 ? 'is' : 'are'} missing or damaged beside it: shown as links instead.`,
    );

  const writer = await SiteWriter.open(options.out);
  let files = 0;
  let bytes = 0;
  const add = (file: SiteFile): void => {
    files++;
    bytes += typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.length;
    writer.add(file);
  };
  const renderer = readmeRenderer(options.readmes ? model.recipes.length : 0, options.readmeThreads);
  try {
    // READMEs first: with worker threads they render while this thread makes the other pages.
    const readme = prefetch(model.recipes, options.readmes, 16);
    const readmeHtml: (ReadmeTicket | undefined)[] = [];
    for (let i = 0; i < model.recipes.length; i++) {
      const recipe = model.recipes[i]!;
      const text = await readme(i);
      if (text !== undefined) {
        const root = '../';
        const images = Object.fromEntries(Object.entries(recipe.readmeImages).map(([src, file]) => [src, `${root}${file}`]));
        readmeHtml[i] = renderer.submit(text.text, {
          ...(recipe.repositoryUrl ? { repositoryUrl: recipe.repositoryUrl, branch: recipe.branch } : {}),
          images,
        });
      }
    }

    const homeFiles: SiteFile[] = [
      pages.home(),
      ...assets,
      { path: 'app.js', content: script },
      { path: SEARCH_INDEX_FILE, content: buildSearchIndex(model.recipes) },
    ];
    for (const file of homeFiles) add(file);
    add({ path: 'recipes.json', content: loaded.bytes });
    for (const file of media.files) add(file);
    add(pages.categories());
    for (const category of model.categories) add(pages.category(category));
    add(pages.compare());
    add(pages.notFound());
    if (baseUrl) {
      add(pages.feed());
      add(pages.sitemap());
    }

    let rendered = 0;
    for (let i = 0; i < model.recipes.length; i++) {
      const html = await readmeHtml[i]?.html();
      if (html !== undefined) rendered++;
      for (const file of pages.recipe(model.recipes[i]!, html)) add(file);
    }
    await writer.commit();
    return {
      outDir: path.resolve(options.out),
      recipes: model.recipes.length,
      categories: model.categories.length,
      versions: model.versionCount,
      files: files + 1,
      bytes,
      readmes: { rendered, missing: model.recipes.length - rendered },
      readmeThreads: renderer.threads,
      home: homeWeight(homeFiles),
      validatedWith: loaded.validatedWith,
      media: { copied: media.files.length, missing: media.missing },
      notices,
    };
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    await renderer.close();
  }
}

interface SiteMedia {
  /** Catalogue path (`media/<sha256>.png`) → site path. */
  paths: Map<string, string>;
  files: SiteFile[];
  missing: number;
}

/**
 * The mirrored icons and README images the catalogue names, read from
 * beside the catalogue file. A file is used only when its content has the
 * sha256 its name and entry give (so a catalogue cannot make the site copy
 * any other file), and it lands in the site as `media/<sha256>.<ext>`.
 */
async function readMedia(catalogueFile: string, catalogue: Catalogue): Promise<SiteMedia> {
  const wanted = new Map<string, string>();
  for (const entry of Object.values(catalogue)) {
    const m = entry.galley?.media;
    for (const f of [...(m?.icon ? [m.icon] : []), ...(m?.images ?? [])]) wanted.set(f.file, f.sha256);
  }
  const dir = path.dirname(path.resolve(catalogueFile));
  const out: SiteMedia = { paths: new Map(), files: [], missing: 0 };
  const seen = new Set<string>();
  for (const [file, sha256] of [...wanted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const name = path.posix.basename(file);
    const m = /^([0-9a-f]{64})\.(png|jpg|gif|webp|svg)$/.exec(name);
    const bytes = m && m[1] === sha256 ? await readFile(path.resolve(dir, file)).catch(() => undefined) : undefined;
    if (!bytes || createHash('sha256').update(bytes).digest('hex') !== sha256) {
      out.missing++;
      continue;
    }
    out.paths.set(file, `media/${name}`);
    if (!seen.has(name)) out.files.push({ path: `media/${name}`, content: bytes });
    seen.add(name);
  }
  return out;
}

/** `read(i)` gives recipe i's README, having started the reads of the next `ahead` recipes. */
function prefetch(recipes: readonly RecipeView[], source: ReadmeSource | undefined, ahead: number): (i: number) => Promise<ReadmeText | undefined> {
  const started: Promise<ReadmeText | undefined>[] = [];
  const start = (i: number): void => {
    if (!source || i >= recipes.length || started[i]) return;
    const promise = source.read(recipes[i]!.key);
    promise.catch(() => undefined); // reported when awaited in order
    started[i] = promise;
  };
  return async (i) => {
    for (let j = i; j < i + ahead; j++) start(j);
    const result = source ? await started[i] : undefined;
    delete started[i];
    return result;
  };
}

function normaliseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GalleyError('site-base-url', `--base-url ${value}: not an absolute URL (e.g. https://recipes.example.org/)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new GalleyError('site-base-url', `--base-url ${value}: must be an http or https URL`);
  if (url.search || url.hash) throw new GalleyError('site-base-url', `--base-url ${value}: must not have a query or fragment`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

async function readClientScript(file: string): Promise<Buffer> {
  return readFile(file).catch(() => {
    throw new GalleyError(
      'site-client-missing',
      `the site's client script ${file} is not built: run \`npm run build\` (it bundles site-templates/client with esbuild)`,
      { exitCode: 4 },
    );
  });
}

/** Static files copied as they are (style.css, favicon.svg). */
async function readAssets(dir: string): Promise<SiteFile[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).sort();
  return Promise.all(names.map(async (name) => ({ path: name, content: await readFile(path.join(dir, name)) })));
}
