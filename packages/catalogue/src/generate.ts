import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { writeFileAtomic } from '@galley/platform/fs';
import { type HostStats, HttpClient, HttpError } from '@galley/platform/http';
import pLimit from 'p-limit';
import type { CatalogueSettings } from './config.js';
import { lintFingerprint, recommendedSettings } from './lint-summary.js';
import { MediaStore } from './media.js';
import { MirrorStore, readRecipeReadme } from './mirror.js';
import { RegistryAuth, readDockerCredentials } from './registry/auth.js';
import { RegistryClient } from './registry/client.js';
import { type CacheHits, ImageResolver, loadRegistryCache } from './registry/resolver.js';
import { type RepoScan, type ScannedService, scanRepository } from './scan.js';
import { galleyExtras } from './scan-extras.js';
import { writeSidecar } from './sidecar.js';
import { discoverRepos, type RepoDescriptor, type SkippedRepo } from './sources/index.js';
import { loadState, lockCache, type ScanState, saveState } from './state.js';
import type { Catalogue, CatalogueRecipe, GalleyVersionInfo, MediaFile, ServiceImage, ServiceUpgrades, VersionEntry } from './types.js';
import { type RegistryLookups, serviceUpgrades } from './upgrades.js';
import { canonicalJson, validateCatalogue } from './writer.js';

export const REGISTRY_CACHE_FILE = 'registry-cache.json';
const USER_AGENT = 'galley-catalogue';

export type RepoStatus = 'read' | 'unchanged' | 'not-a-recipe' | 'failed';

/** What a run reports as it goes (the CLI shows them as a progress bar, lines or JSON). */
export type CatalogueEvent =
  | { type: 'sources'; repos: number; skipped: SkippedRepo[]; failedSources: { source: string; error: string }[] }
  | { type: 'repo'; name: string; status: RepoStatus; versions?: number; error?: string }
  | { type: 'tag'; name: string }
  | { type: 'images'; total: number; done: number }
  | { type: 'stale'; name: string; error: string }
  | { type: 'warning'; message: string }
  | { type: 'written'; file: string; recipes: number; changed: boolean };

export interface Failure {
  /** The recipe, source or host that failed. */
  subject: string;
  error: string;
}

export interface RunSummary {
  /** Recipes in the written catalogue. */
  recipes: number;
  /** Repositories read this run, and those unchanged since the last. */
  read: number;
  unchanged: number;
  /** Release tags read (not counting those reused from the cache). */
  tagsRead: number;
  skipped: SkippedRepo[];
  failures: Failure[];
  /** Entries kept from the previous catalogue and marked stale. */
  stale: string[];
  /** Previous entries dropped because no source lists them any more. */
  removed: string[];
  /** Requests per host (registries, token services, forges). */
  requests: Record<string, HostStats>;
  /** Answers taken from the registry cache instead of asking. */
  cacheHits: CacheHits;
  /** Distinct image repositories and image:tag digests the catalogue needed. */
  needed: { tagLists: number; digests: number };
  durationMs: number;
}

export interface GenerateResult {
  status: 'complete' | 'partial';
  catalogue: Catalogue;
  summary: RunSummary;
  /** The catalogue file, and whether this run changed it. */
  file: string;
  changed: boolean;
}

export interface GenerateOptions {
  onEvent?: (event: CatalogueEvent) => void;
  env?: NodeJS.ProcessEnv;
  /** The time runs are stamped with (stale `since`); default SOURCE_DATE_EPOCH or now. */
  now?: () => Date;
}

async function readPrevious(file: string): Promise<Catalogue> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new GalleyError('unreadable', `cannot read the previous catalogue ${file}: ${(error as Error).message}`, { file });
  }
  if (!text.trim()) return {};
  try {
    const data = JSON.parse(text) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not an object keyed by recipe name');
    return data as Catalogue;
  } catch (error) {
    throw new GalleyError(
      'bad-catalogue',
      `the previous catalogue ${file} is not a catalogue (${(error as Error).message}): its last good entries cannot be kept. Move it away or restore it, then run again`,
      { file },
    );
  }
}

function runTime(options: GenerateOptions, env: NodeJS.ProcessEnv): string {
  if (options.now) return options.now().toISOString();
  const epoch = Number(env.SOURCE_DATE_EPOCH);
  return new Date(env.SOURCE_DATE_EPOCH && Number.isFinite(epoch) ? epoch * 1000 : Date.now()).toISOString();
}

function markStale(entry: CatalogueRecipe, error: string, since: string): CatalogueRecipe {
  const galley = entry.galley ?? { versions: {}, upgrades: {} };
  return { ...entry, galley: { ...galley, stale: { error, since: galley.stale?.since ?? since } } };
}

interface RecipeImages {
  digests: Map<string, string>;
  upgrades: Record<string, ServiceUpgrades>;
  error?: string;
}

const serviceKey = (s: ScannedService): string | undefined => (s.registry && s.repository && s.tag ? `${s.registry}/${s.repository}:${s.tag}` : undefined);

/**
 * Generates the catalogue: lists the sources, mirrors and reads every recipe
 * repository (only what changed since the last run), asks the registries for
 * digests and upgrade candidates (each tag list and digest once per run,
 * cached on disk with a TTL), and writes recipes.json atomically after
 * validating it. A repository or registry that fails keeps its recipe's
 * previous entry, marked stale, and makes the run `partial`.
 */
export async function generateCatalogue(settings: CatalogueSettings, options: GenerateOptions = {}): Promise<GenerateResult> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const emit = options.onEvent ?? (() => undefined);
  const since = runTime(options, env);
  await mkdir(settings.cacheDir, { recursive: true }).catch((error: Error) => {
    throw new GalleyError('cache-unusable', `cannot create the cache folder ${settings.cacheDir}: ${error.message}`);
  });
  const unlock = await lockCache(settings.cacheDir);
  try {
    return await run();
  } finally {
    await unlock();
  }

  async function run(): Promise<GenerateResult> {
    const previous = await readPrevious(settings.out);
    const state: ScanState = settings.refresh ? { version: 1, repos: {} } : await loadState(settings.cacheDir);
    const mirrors = new MirrorStore(settings.cacheDir, { timeoutMs: settings.git.timeoutMs });
    await mirrors.cleanTemp();
    const media = settings.mediaDir
      ? new MediaStore(settings.cacheDir, path.relative(path.dirname(settings.out), settings.mediaDir).split(path.sep).join('/'))
      : undefined;
    await media?.load();
    const forgeHttp = new HttpClient({
      ...settings.registry,
      timeoutMs: settings.forge.timeoutMs,
      retries: settings.forge.retries,
      concurrency: 4,
      userAgent: USER_AGENT,
    });
    const failures: Failure[] = [];

    // 1. Sources.
    const discovery = await discoverRepos(settings.sources, { forgeHttp, includeArchived: settings.includeArchived, env });
    const failedSources = discovery.listings.filter((l) => l.error).map((l) => ({ source: l.source.id, error: l.error! }));
    for (const f of failedSources) failures.push({ subject: f.source, error: f.error });
    const only = settings.only ? new Set(settings.only) : undefined;
    const repos = only ? discovery.repos.filter((r) => only.has(r.name)) : discovery.repos;
    const skipped = [...discovery.skipped];
    emit({ type: 'sources', repos: repos.length, skipped, failedSources });

    // 2. Registry client (unless offline).
    const registryHttp = new HttpClient({ ...settings.registry, userAgent: USER_AGENT });
    let resolver: ImageResolver | undefined;
    if (!settings.offline) {
      const { credentials, warning } = await readDockerCredentials(settings.registry.dockerConfig);
      if (warning) emit({ type: 'warning', message: warning });
      const client = new RegistryClient(registryHttp, new RegistryAuth(registryHttp, credentials), settings.registry.hosts);
      // With --refresh the resolver ignores what the cache holds (and overwrites it with what it learns).
      const cache = await loadRegistryCache(path.join(settings.cacheDir, REGISTRY_CACHE_FILE));
      resolver = new ImageResolver(client, cache, {
        tagsTtlMs: settings.registry.tagsTtlMs,
        digestsTtlMs: settings.registry.digestsTtlMs,
        refresh: settings.refresh,
      });
    }

    // Progress of registry lookups: distinct keys, each counted once when answered.
    const lookups = new Map<string, Promise<unknown>>();
    let lookupsDone = 0;
    const neededTagLists = new Set<string>();
    const neededDigests = new Set<string>();
    const track = <T>(key: string, work: () => Promise<T>): Promise<T> => {
      let pending = lookups.get(key) as Promise<T> | undefined;
      if (!pending) {
        pending = work();
        lookups.set(key, pending);
        emit({ type: 'images', total: lookups.size, done: lookupsDone });
        pending.then(
          () => emit({ type: 'images', total: lookups.size, done: ++lookupsDone }),
          () => emit({ type: 'images', total: lookups.size, done: ++lookupsDone }),
        );
      }
      return pending;
    };

    const resolveImages = async (scan: RepoScan): Promise<RecipeImages> => {
      const result: RecipeImages = { digests: new Map(), upgrades: {} };
      if (!resolver || !scan.isRecipe) return result;
      const r = resolver;
      const errors: string[] = [];
      const guard = async (work: () => Promise<void>): Promise<void> => {
        try {
          await work();
        } catch (error) {
          if (error instanceof HttpError) errors.push(error.message);
          else throw error;
        }
      };
      const jobs: Promise<void>[] = [];
      for (const version of scan.versions) {
        for (const service of Object.values(version.services)) {
          const key = serviceKey(service);
          if (!key || service.pinned || result.digests.has(key)) continue;
          result.digests.set(key, 'unknown');
          neededDigests.add(key);
          const image = { registry: service.registry!, repository: service.repository! };
          jobs.push(
            guard(async () => {
              const digest = await track(`digest ${key}`, () => r.digest(image, service.tag));
              result.digests.set(key, digest ?? 'unknown');
            }),
          );
        }
      }
      await Promise.all(jobs);
      const latest = scan.versions[scan.versions.length - 1];
      if (latest) {
        await Promise.all(
          Object.entries(latest.services).map(([name, service]) =>
            guard(async () => {
              if (service.registry && service.repository) neededTagLists.add(`${service.registry}/${service.repository}`);
              const key = serviceKey(service);
              const current = service.pinned ?? (key ? result.digests.get(key) : undefined) ?? 'unknown';
              const upgrades = await serviceUpgrades(service, current, trackingResolver(r), {
                imageDates: settings.registry.imageDates,
                maxUnparseable: settings.registry.maxUnparseable,
              });
              for (const kind of ['patch', 'minor', 'major'] as const) {
                const candidate = upgrades[kind];
                if (candidate) neededDigests.add(`${upgrades.image}:${candidate.tag}`);
              }
              result.upgrades[name] = upgrades;
            }),
          ),
        );
      }
      if (errors.length) result.error = [...new Set(errors)].sort().join('; ');
      return result;
    };

    // Resolver calls go through `track` so progress counts distinct lookups.
    const trackingResolver = (r: ImageResolver): RegistryLookups => ({
      tags: (image) => track(`tags ${image.registry}/${image.repository}`, () => r.tags(image)),
      digest: (image, tag) => track(`digest ${image.registry}/${image.repository}:${tag}`, () => r.digest(image, tag)),
      created: (image, digest) => track(`created ${image.registry}/${image.repository}@${digest}`, () => r.created(image, digest)),
    });

    // 3. Mirror and read each repository; start its registry work as soon as it is read.
    const lintSettings = recommendedSettings();
    const lintKey = lintFingerprint(lintSettings);
    const limit = pLimit(settings.git.concurrency);
    let tagsRead = 0;
    let read = 0;
    let unchanged = 0;
    interface Outcome {
      repo: RepoDescriptor;
      scan?: RepoScan;
      images?: Promise<RecipeImages>;
      error?: string;
    }
    await mirrors.prefetch(
      repos.map((repo) => ({ name: repo.name, url: repo.fetchUrl, ...(state.repos[repo.name] ? { knownUrl: state.repos[repo.name]!.url } : {}) })),
      settings.git.concurrency,
    );
    const outcomes = await Promise.all(
      repos.map((repo) =>
        limit(async (): Promise<Outcome> => {
          const known = state.repos[repo.name];
          try {
            const sync = await mirrors.sync(repo.name, repo.fetchUrl);
            let scan: RepoScan | undefined;
            let refs: string | undefined;
            if (known && !sync.cloned) {
              // Same answer from the remote as last time, or (after a clone or a changed URL) the same refs: nothing to read.
              let same = sync.fetchHead !== undefined && known.fetchHead === sync.fetchHead;
              if (!same) {
                refs = await mirrors.refsHash(sync.gitDir);
                same = known.refs === refs;
              }
              const lintCurrent = !known.scan.isRecipe || known.scan.versions.length === 0 || known.scan.lintKey?.startsWith(`${lintKey}\0`) === true;
              if (same && lintCurrent) scan = known.scan;
            }
            const defaultBranchChanged = scan && repo.defaultBranch && scan.defaultBranch !== repo.defaultBranch;
            if (scan && !defaultBranchChanged) {
              unchanged++;
              state.repos[repo.name] = { ...known!, url: repo.fetchUrl, ...(sync.fetchHead ? { fetchHead: sync.fetchHead } : {}), ...(refs ? { refs } : {}) };
              emit({ type: 'repo', name: repo.name, status: scan.isRecipe ? 'unchanged' : 'not-a-recipe', versions: scan.versions.length });
            } else {
              scan = await scanRepository(sync.gitDir, {
                name: repo.name,
                ...(repo.defaultBranch ? { defaultBranch: repo.defaultBranch } : {}),
                ...(known ? { previous: known.scan } : {}),
                lintSettings,
                lintKey,
                ...(media ? { media } : {}),
                forgeUser: forgeUserUrl(repo.repository),
                onTagRead: () => {
                  tagsRead++;
                  emit({ type: 'tag', name: repo.name });
                },
              });
              read++;
              if (!sync.cloned) await mirrors.maintain(sync.gitDir);
              refs ??= await mirrors.refsHash(sync.gitDir);
              state.repos[repo.name] = { url: repo.fetchUrl, refs, scan, ...(sync.fetchHead ? { fetchHead: sync.fetchHead } : {}) };
              emit({ type: 'repo', name: repo.name, status: scan.isRecipe ? 'read' : 'not-a-recipe', versions: scan.versions.length });
            }
            if (!scan.isRecipe) {
              skipped.push({ name: repo.name, sourceId: repo.sourceId, reason: `no compose.yml on its default branch (${scan.defaultBranch}): not a recipe` });
              return { repo, scan };
            }
            return { repo, scan, images: resolveImages(scan) };
          } catch (error) {
            if (!(error instanceof GalleyError)) throw error;
            emit({ type: 'repo', name: repo.name, status: 'failed', error: error.message });
            return { repo, error: error.message };
          }
        }),
      ),
    );

    // 4. Assemble.
    const catalogue: Catalogue = {};
    const stale: string[] = [];
    const listed = new Set(discovery.repos.map((r) => r.name));
    for (const outcome of outcomes) {
      const { repo } = outcome;
      const before = previous[repo.name];
      if (outcome.error !== undefined) {
        failures.push({ subject: repo.name, error: outcome.error });
        if (before) {
          catalogue[repo.name] = markStale(before, outcome.error, since);
          stale.push(repo.name);
          emit({ type: 'stale', name: repo.name, error: outcome.error });
        }
        continue;
      }
      const scan = outcome.scan!;
      if (!scan.isRecipe) continue;
      const images = await outcome.images!;
      const entry = buildEntry(repo, scan, images);
      Object.assign(
        entry.galley!,
        await galleyExtras(scan.extras, {
          ...(media ? { media } : {}),
          ...(settings.offline ? {} : { http: forgeHttp }),
          refresh: settings.refresh,
          now: Date.parse(since),
          forgeIcon: repo.icon,
          archived: repo.archived,
        }),
      );
      if (images.error !== undefined) {
        failures.push({ subject: repo.name, error: images.error });
        catalogue[repo.name] = markStale(before ?? entry, images.error, since);
        stale.push(repo.name);
        emit({ type: 'stale', name: repo.name, error: images.error });
      } else catalogue[repo.name] = entry;
    }
    // Previous entries nobody listed this run.
    const removed: string[] = [];
    const failedIds = new Set(failedSources.map((f) => f.source));
    for (const [name, entry] of Object.entries(previous)) {
      if (name in catalogue) continue;
      if (only && !only.has(name)) {
        catalogue[name] = entry;
        continue;
      }
      if (listed.has(name)) continue;
      const sourceId = entry.galley?.sourceId;
      const failedSource = sourceId ? failedIds.has(sourceId) : failedIds.size > 0;
      if (failedSource) {
        const error = failedSources.find((f) => f.source === sourceId)?.error ?? failedSources.map((f) => f.error).join('; ');
        catalogue[name] = markStale(entry, error, since);
        stale.push(name);
        emit({ type: 'stale', name, error });
      } else removed.push(name);
    }
    for (const name of Object.keys(state.repos)) {
      if (!listed.has(name) && failedIds.size === 0) delete state.repos[name];
    }

    // 5. Write: catalogue first (validated, atomic), then READMEs and caches.
    const sorted: Catalogue = {};
    for (const name of Object.keys(catalogue).sort()) sorted[name] = catalogue[name]!;
    const text = canonicalJson(sorted);
    const before = await readFile(settings.out, 'utf8').catch(() => undefined);
    const changed = before !== text;
    if (changed) {
      // Validated before it is written (an unchanged file was valid when it was written).
      validateCatalogue(JSON.parse(text));
      await writeFileAtomic(settings.out, text, { createFolder: true });
    }
    emit({ type: 'written', file: settings.out, recipes: Object.keys(sorted).length, changed });
    if (media && settings.mediaDir) {
      await media.publish(settings.mediaDir, mediaFiles(sorted));
      await media.save();
    }
    await writeSidecar(settings.out, {
      generatedAt: since,
      ...(settings.offline ? {} : { upstreamCheckedAt: since }),
      ...(settings.mediaDir ? { media: path.relative(path.dirname(settings.out), settings.mediaDir).split(path.sep).join('/') } : {}),
    });

    if (settings.readmesDir) {
      for (const outcome of outcomes) {
        const name = outcome.repo.name;
        if (!outcome.scan?.isRecipe || stale.includes(name)) continue;
        const readme = await readRecipeReadme(settings.cacheDir, name);
        if (readme === undefined) continue;
        const file = path.join(settings.readmesDir, `${name}.md`);
        if ((await readFile(file, 'utf8').catch(() => undefined)) !== readme) await writeFileAtomic(file, readme, { createFolder: true });
      }
    }
    await saveState(settings.cacheDir, state);
    await resolver?.save(path.join(settings.cacheDir, REGISTRY_CACHE_FILE));

    const requests = mergeStats(forgeHttp.stats(), registryHttp.stats());
    const summary: RunSummary = {
      recipes: Object.keys(sorted).length,
      read,
      unchanged,
      tagsRead,
      skipped: skipped.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      failures,
      stale: stale.sort(),
      removed: removed.sort(),
      requests,
      cacheHits: resolver?.hits ?? { tags: 0, digests: 0, created: 0 },
      needed: { tagLists: neededTagLists.size, digests: neededDigests.size },
      durationMs: Date.now() - started,
    };
    return { status: failures.length ? 'partial' : 'complete', catalogue: sorted, summary, file: settings.out, changed };
  }
}

/** Every mirrored file the catalogue points at. */
function* mediaFiles(catalogue: Catalogue): Generator<MediaFile> {
  for (const entry of Object.values(catalogue)) {
    const media = entry.galley?.media;
    if (media?.icon) yield media.icon;
    for (const image of media?.images ?? []) yield image;
  }
}

/** `https://host/org/repo.git` → `(user) => https://host/user`; github.com and Gitea/Forgejo both put users there. */
function forgeUserUrl(repository: string): ((user: string) => string | undefined) | undefined {
  const m = /^https:\/\/([^/]+)\//.exec(repository);
  return m ? (user) => `https://${m[1]}/${encodeURIComponent(user)}` : undefined;
}

function buildEntry(repo: RepoDescriptor, scan: RepoScan, images: RecipeImages): CatalogueRecipe {
  const versions: VersionEntry[] = [];
  const info: Record<string, GalleyVersionInfo> = {};
  for (const version of scan.versions) {
    const servicesOut: Record<string, ServiceImage> = {};
    for (const [name, service] of Object.entries(version.services)) {
      const key = serviceKey(service);
      servicesOut[name] = { image: service.image, tag: service.tag, digest: service.pinned ?? (key ? images.digests.get(key) : undefined) ?? 'unknown' };
    }
    versions.push({ [version.version]: servicesOut });
    const v: GalleyVersionInfo = { date: version.date, annotated: version.annotated, commit: version.commit };
    if (version.notes !== undefined) v.notes = version.notes;
    info[version.version] = v;
  }
  const entry: CatalogueRecipe = {
    name: repo.name,
    category: scan.category,
    default_branch: scan.defaultBranch,
    description: repo.description || scan.readmeDescription,
    icon: repo.icon,
    repository: repo.repository,
    ssh_url: repo.sshUrl,
    website: repo.website,
    features: scan.features,
    versions,
    galley: { versions: info, upgrades: images.upgrades, source: repo.sourceKind, sourceId: repo.sourceId },
  };
  if (scan.lint) entry.galley!.lint = scan.lint;
  return entry;
}

/** Requests per host of several clients (a forge's host may serve a registry too), hosts sorted. */
function mergeStats(...all: Record<string, HostStats>[]): Record<string, HostStats> {
  const out: Record<string, HostStats> = {};
  for (const stats of all) {
    for (const [host, s] of Object.entries(stats)) {
      const known = out[host] ?? { requests: 0, retries: 0, failures: 0, byKind: {} };
      known.requests += s.requests;
      known.retries += s.retries;
      known.failures += s.failures;
      for (const [kind, n] of Object.entries(s.byKind)) known.byKind[kind] = (known.byKind[kind] ?? 0) + n;
      out[host] = known;
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
