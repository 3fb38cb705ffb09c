import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { type FileWrite, removeAbandonedTemps, writeFileAtomic, writeFilesAtomic } from '@galley/platform/fs';
import { SharedObjects } from '@galley/platform/git';
import { type HostStats, HttpClient } from '@galley/platform/http';
import pLimit from 'p-limit';
import { abraJson } from './abra.js';
import { type CatalogueChanges, changesMarkdown, diffCatalogues } from './changes.js';
import type { CatalogueSettings } from './config.js';
import { ImageLookups } from './images.js';
import { lintFingerprint, recommendedSettings } from './lint-summary.js';
import { MediaStore } from './media.js';
import { MirrorStore, type MirrorSync, readRecipeReadme } from './mirror.js';
import { assembleCatalogue, type Failure, noImages, type RepoOutcome, shrinkProblem } from './policy.js';
import { RegistryAuth, readDockerCredentials } from './registry/auth.js';
import { RegistryClient } from './registry/client.js';
import { type CacheHits, ImageResolver, loadRegistryCache } from './registry/resolver.js';
import { type RepoScan, scanRepository } from './scan.js';
import { galleyExtras } from './scan-extras.js';
import { nextSidecar, readSidecar, sidecarPath, sidecarText } from './sidecar.js';
import { discoverRepos, type RepoDescriptor, type SkippedRepo } from './sources/index.js';
import { loadState, lockCache, type ScanState, STATE_VERSION, saveState } from './state.js';
import type { Catalogue, MediaFile, RecipeHealth } from './types.js';
import { canonicalJson, validateCatalogue, validateSidecar } from './writer.js';

export type { Failure } from './policy.js';

export const REGISTRY_CACHE_FILE = 'registry-cache.json';
const USER_AGENT = 'galley-catalogue';

export type RepoStatus = 'read' | 'unchanged' | 'not-a-recipe' | 'failed';

/** What a run reports as it goes (the CLI shows them as a progress bar, lines or JSON). */
export type CatalogueEvent =
  | { type: 'sources'; repos: number; skipped: SkippedRepo[]; failedSources: { source: string; error: string }[] }
  | { type: 'repo'; name: string; status: RepoStatus; versions?: number; error?: string }
  | { type: 'tag'; name: string }
  | { type: 'images'; total: number; done: number }
  | { type: 'stale'; name: string; error: string; scope: 'entry' | 'registry' }
  | { type: 'warning'; message: string }
  | { type: 'written'; file: string; recipes: number; changed: boolean };

/** A recipe's health in the run summary: the entry's `galley.health` and how old its latest release is. */
export interface RecipeHealthSummary extends RecipeHealth {
  recipe: string;
  /** Whole days from the latest release to this run. */
  daysSinceRelease?: number;
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
  /** Entries published from git whose digests or upgrades are partly the previous run's (a registry failed). */
  registryStale: string[];
  /** Previous entries dropped because no source lists them any more (or they are no recipe any more). */
  removed: string[];
  /** Release tags not published, with the reason (every recipe's, not only new ones). */
  invalidReleases: Array<{ recipe: string; tag: string; reason: string; location?: string }>;
  /** What this run changed in the catalogue (also in the sidecar file and `--changes`). */
  changes: CatalogueChanges;
  health: RecipeHealthSummary[];
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

const DAY_MS = 86_400_000;

function healthSummary(catalogue: Catalogue, since: string): RecipeHealthSummary[] {
  return Object.entries(catalogue).map(([recipe, entry]) => {
    const health: RecipeHealthSummary = { recipe, ...entry.galley?.health };
    if (health.lastRelease) health.daysSinceRelease = Math.max(0, Math.floor((Date.parse(since) - Date.parse(health.lastRelease)) / DAY_MS));
    return health;
  });
}

/**
 * Generates the catalogue: lists the sources, mirrors and reads every recipe
 * repository (only what changed since the last run), asks the registries for
 * digests and upgrade candidates (each tag list and digest once per run,
 * cached on disk with a TTL), lets the policy (policy.ts) decide what is
 * kept, marked stale or removed, and writes recipes.json and its sidecar
 * atomically after validating the catalogue. A run that would remove more
 * recipes than `maxShrink` allows writes nothing (GalleyError
 * `catalogue-shrink`) unless `allowShrink` is set.
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
    return await new CatalogueRun(settings, emit, env, since, started).run();
  } finally {
    await unlock();
  }
}

/** A repository after its mirror was brought up to date: its last reading, what a new reading needs, or the failure. */
type Synced = { repo: RepoDescriptor; scan: RepoScan } | { repo: RepoDescriptor; sync: MirrorSync; refs?: string } | { repo: RepoDescriptor; error: unknown };

/** One run of the generator: the I/O around the policy. */
class CatalogueRun {
  private readonly mirrors: MirrorStore;
  private readonly forgeHttp: HttpClient;
  private readonly registryHttp: HttpClient;
  private resolver: ImageResolver | undefined;
  /** Copies of icons and README images (absent: none are made). */
  private readonly media: MediaStore | undefined;
  private lookups: ImageLookups | undefined;
  private readonly lintSettings = recommendedSettings();
  private readonly lintKey = lintFingerprint(this.lintSettings);
  private tagsRead = 0;
  private read = 0;
  private unchanged = 0;

  constructor(
    private readonly settings: CatalogueSettings,
    private readonly emit: (event: CatalogueEvent) => void,
    private readonly env: NodeJS.ProcessEnv,
    private readonly since: string,
    private readonly started: number,
  ) {
    this.mirrors = new MirrorStore(settings.cacheDir, { timeoutMs: settings.git.timeoutMs });
    this.forgeHttp = new HttpClient({
      ...settings.registry,
      timeoutMs: settings.forge.timeoutMs,
      retries: settings.forge.retries,
      concurrency: 4,
      userAgent: USER_AGENT,
    });
    this.registryHttp = new HttpClient({ ...settings.registry, userAgent: USER_AGENT });
    if (settings.mediaDir) this.media = new MediaStore(settings.cacheDir, this.mediaPath()!);
  }

  /** The media folder as the catalogue names it: relative to the catalogue file's folder. */
  private mediaPath(): string | undefined {
    const dir = this.settings.mediaDir;
    return dir === undefined ? undefined : path.relative(path.dirname(this.settings.out), dir).split(path.sep).join('/');
  }

  async run(): Promise<GenerateResult> {
    const { settings, emit } = this;
    const previous = await readPrevious(settings.out);
    const state: ScanState = settings.refresh ? { version: STATE_VERSION, repos: {} } : await loadState(settings.cacheDir);
    await this.mirrors.cleanTemp();
    await removeAbandonedTemps(settings.out);
    await this.media?.load();

    // 1. Sources.
    const discovery = await discoverRepos(settings.sources, {
      forgeHttp: this.forgeHttp,
      includeArchived: settings.includeArchived,
      exclude: settings.exclude,
      env: this.env,
    });
    const sources = discovery.listings.map((l) => ({ id: l.source.id, ...(l.error !== undefined ? { error: l.error } : {}) }));
    const failedSources = sources.filter((s) => s.error !== undefined).map((s) => ({ source: s.id, error: s.error! }));
    const only = settings.only ? new Set(settings.only) : undefined;
    const repos = only ? discovery.repos.filter((r) => only.has(r.name)) : discovery.repos;
    emit({ type: 'sources', repos: repos.length, skipped: discovery.skipped, failedSources });

    // 2. Registries (unless offline).
    if (!settings.offline) await this.startRegistry();

    // 3. Mirror and read each repository; its registry work starts as soon as it is read.
    const outcomes = await this.readRepositories(repos, state);

    // 4. The policy decides what the catalogue is.
    const assembled = assembleCatalogue({
      previous,
      since: this.since,
      sources,
      skipped: discovery.skipped,
      outcomes,
      ...(only ? { only } : {}),
      offline: settings.offline,
    });
    for (const s of assembled.stale) emit({ type: 'stale', name: s.name, error: s.error, scope: 'entry' });
    for (const s of assembled.registryStale) emit({ type: 'stale', name: s.name, error: s.error, scope: 'registry' });
    const changes = diffCatalogues(previous, assembled.catalogue, assembled.removed);
    for (const moved of changes.movedTags) {
      emit({
        type: 'warning',
        message: `${moved.recipe}: release tag ${moved.version} moved from ${moved.from.slice(0, 12)} to ${moved.to.slice(0, 12)} (releases should not change: tag a new version instead)`,
      });
    }
    if (failedSources.length === 0) {
      const listed = new Set(discovery.repos.map((r) => r.name));
      for (const name of Object.keys(state.repos)) if (!listed.has(name)) delete state.repos[name];
    }

    // 5. Write: refuse a catalogue that lost too much; else the catalogue and its sidecar (validated, atomic), then READMEs and caches.
    const problem = settings.allowShrink ? undefined : shrinkProblem(Object.keys(previous).length, assembled.removed, settings.maxShrink);
    if (problem) {
      await this.saveCaches(state);
      throw new GalleyError('catalogue-shrink', problem, { exitCode: 1 });
    }
    const { changed } = await this.write(assembled.catalogue, changes);
    if (settings.readmesDir) await this.writeReadmes(outcomes, assembled.catalogue);
    await this.saveCaches(state);

    const summary = this.summary(assembled, changes, discovery.skipped, outcomes);
    return { status: summary.failures.length ? 'partial' : 'complete', catalogue: assembled.catalogue, summary, file: settings.out, changed };
  }

  private async startRegistry(): Promise<void> {
    const { settings } = this;
    const { credentials, warning } = await readDockerCredentials(settings.registry.dockerConfig);
    if (warning) this.emit({ type: 'warning', message: warning });
    const client = new RegistryClient(this.registryHttp, new RegistryAuth(this.registryHttp, credentials), settings.registry.hosts);
    // With --refresh the resolver ignores what the cache holds (and overwrites it with what it learns).
    const cache = await loadRegistryCache(path.join(settings.cacheDir, REGISTRY_CACHE_FILE));
    this.resolver = new ImageResolver(client, cache, {
      tagsTtlMs: settings.registry.tagsTtlMs,
      digestsTtlMs: settings.registry.digestsTtlMs,
      refresh: settings.refresh,
    });
    this.lookups = new ImageLookups(
      this.resolver,
      { imageDates: settings.registry.imageDates, maxUnparseable: settings.registry.maxUnparseable },
      (total, done) => this.emit({ type: 'images', total, done }),
    );
  }

  /** Whether the last run's reading of a repository is current without asking its remote: the forge says nothing was pushed since. */
  private unpushed(repo: RepoDescriptor, state: ScanState): boolean {
    const known = state.repos[repo.name];
    return (
      known !== undefined &&
      repo.pushedAt !== undefined &&
      known.pushedAt === repo.pushedAt &&
      known.url === repo.fetchUrl &&
      this.lintCurrent(known.scan) &&
      (!repo.defaultBranch || known.scan.defaultBranch === repo.defaultBranch)
    );
  }

  private lintCurrent(scan: RepoScan): boolean {
    return !scan.isRecipe || scan.versions.length === 0 || scan.lintKey?.startsWith(`${this.lintKey}\0`) === true;
  }

  private async readRepositories(repos: readonly RepoDescriptor[], state: ScanState): Promise<RepoOutcome[]> {
    const { settings, mirrors } = this;
    await mirrors.prefetch(
      repos
        .filter((repo) => !this.unpushed(repo, state))
        .map((repo) => ({ name: repo.name, url: repo.fetchUrl, ...(state.repos[repo.name] ? { knownUrl: state.repos[repo.name]!.url } : {}) })),
      settings.git.concurrency,
    );
    const limit = pLimit(settings.git.concurrency);
    // 1. Bring every mirror up to date, and see which changed since the last run.
    const synced = await Promise.all(
      repos.map((repo) =>
        limit(async (): Promise<Synced> => {
          try {
            return await this.syncRepository(repo, state);
          } catch (error) {
            return { repo, error };
          }
        }),
      ),
    );
    // 2. Read those that changed, all through one object reader over their mirrors.
    const changed = synced.filter((s): s is Extract<Synced, { sync: MirrorSync }> => 'sync' in s);
    const shared = changed.length > 1 ? await SharedObjects.open(mirrors.hubDir(), [...new Set(changed.map((s) => s.sync.gitDir))]) : undefined;
    try {
      const pending = synced.map((s) =>
        limit(async (): Promise<{ repo: RepoDescriptor; scan: RepoScan } | { repo: RepoDescriptor; error: string }> => {
          if ('scan' in s) return s;
          if ('error' in s) return this.recover(s.repo, state, s.error, false);
          try {
            return { repo: s.repo, scan: await this.scanMirror(s.repo, s.sync, s.refs, state, shared) };
          } catch (error) {
            return this.recover(s.repo, state, error, shared !== undefined);
          }
        }),
      );
      // Registry lookups start as each repository is read, while others are still being read.
      const outcomes = pending.map(async (p): Promise<RepoOutcome> => {
        const read = await p;
        if ('error' in read) return { kind: 'failed', repo: read.repo, error: read.error };
        if (!read.scan.isRecipe) return { kind: 'not-a-recipe', repo: read.repo, scan: read.scan };
        const [images, extras] = await Promise.all([
          this.lookups ? this.lookups.resolve(read.scan) : noImages(),
          galleyExtras(read.scan.extras, {
            ...(this.media ? { media: this.media } : {}),
            ...(settings.offline ? {} : { http: this.forgeHttp }),
            refresh: settings.refresh,
            now: Date.parse(this.since),
            forgeIcon: read.repo.icon,
            archived: read.repo.archived,
          }),
        ]);
        return { kind: 'recipe', repo: read.repo, scan: read.scan, images, extras };
      });
      return await Promise.all(outcomes);
    } finally {
      shared?.close();
    }
  }

  /**
   * After a repository failed: a corrupt mirror fails fetches and reads alike
   * (in whatever way), so check it, and clone it again when it is broken. A
   * read through the shared reader is tried once more on its own (another
   * mirror's bad object may have ended the shared reader).
   */
  private async recover(
    repo: RepoDescriptor,
    state: ScanState,
    failure: unknown,
    viaShared: boolean,
  ): Promise<{ repo: RepoDescriptor; scan: RepoScan } | { repo: RepoDescriptor; error: string }> {
    const { mirrors } = this;
    const broken = (await mirrors.exists(repo.name)) ? await mirrors.check(repo.name) : undefined;
    if (broken !== undefined || viaShared) {
      if (broken !== undefined) {
        this.emit({ type: 'warning', message: `${repo.name}: the mirror is broken (${broken}); cloning it again` });
        await mirrors.remove(repo.name);
        delete state.repos[repo.name];
      }
      try {
        const synced = await this.syncRepository(repo, state);
        if ('scan' in synced) return synced;
        return { repo, scan: await this.scanMirror(repo, synced.sync, synced.refs, state, undefined) };
      } catch (again) {
        failure = again;
      }
    }
    if (!(failure instanceof GalleyError)) throw failure;
    this.emit({ type: 'repo', name: repo.name, status: 'failed', error: failure.message });
    return { repo, error: failure.message };
  }

  /**
   * Brings one mirror up to date; gives the last run's reading when nothing
   * changed (the forge saw no push, the remote gave the same answer, or the
   * mirror has the same refs), else what the reading needs.
   */
  private async syncRepository(repo: RepoDescriptor, state: ScanState): Promise<Exclude<Synced, { error: unknown }>> {
    const { mirrors } = this;
    const known = state.repos[repo.name];
    if (known && this.unpushed(repo, state)) {
      this.unchanged++;
      this.emit({ type: 'repo', name: repo.name, status: known.scan.isRecipe ? 'unchanged' : 'not-a-recipe', versions: known.scan.versions.length });
      return { repo, scan: known.scan };
    }
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
      if (same && this.lintCurrent(known.scan)) scan = known.scan;
    }
    const defaultBranchChanged = scan && repo.defaultBranch && scan.defaultBranch !== repo.defaultBranch;
    if (scan && !defaultBranchChanged) {
      this.unchanged++;
      state.repos[repo.name] = {
        ...known!,
        url: repo.fetchUrl,
        ...(sync.fetchHead ? { fetchHead: sync.fetchHead } : {}),
        ...(refs ? { refs } : {}),
        ...(repo.pushedAt ? { pushedAt: repo.pushedAt } : {}),
      };
      this.emit({ type: 'repo', name: repo.name, status: scan.isRecipe ? 'unchanged' : 'not-a-recipe', versions: scan.versions.length });
      return { repo, scan };
    }
    return refs === undefined ? { repo, sync } : { repo, sync, refs };
  }

  /** Reads a mirror that changed (reusing what the last run read at the same commits). */
  private async scanMirror(
    repo: RepoDescriptor,
    sync: MirrorSync,
    refsBefore: string | undefined,
    state: ScanState,
    shared: SharedObjects | undefined,
  ): Promise<RepoScan> {
    const { mirrors } = this;
    const known = state.repos[repo.name];
    const scan = await scanRepository(sync.gitDir, {
      name: repo.name,
      ...(repo.defaultBranch ? { defaultBranch: repo.defaultBranch } : {}),
      ...(known ? { previous: known.scan } : {}),
      ...(shared ? { shared } : {}),
      ...(this.media ? { media: this.media } : {}),
      forgeUser: forgeUserUrl(repo.repository),
      lintSettings: this.lintSettings,
      lintKey: this.lintKey,
      onTagRead: () => {
        this.tagsRead++;
        this.emit({ type: 'tag', name: repo.name });
      },
    });
    this.read++;
    if (!sync.cloned) await mirrors.maintain(sync.gitDir);
    const refs = refsBefore ?? (await mirrors.refsHash(sync.gitDir));
    state.repos[repo.name] = {
      url: repo.fetchUrl,
      refs,
      scan,
      ...(sync.fetchHead ? { fetchHead: sync.fetchHead } : {}),
      ...(repo.pushedAt ? { pushedAt: repo.pushedAt } : {}),
    };
    this.emit({ type: 'repo', name: repo.name, status: scan.isRecipe ? 'read' : 'not-a-recipe', versions: scan.versions.length });
    return scan;
  }

  /** Writes the catalogue (when it changed) and its sidecar together, and the changelogs asked for. */
  private async write(catalogue: Catalogue, changes: CatalogueChanges): Promise<{ changed: boolean }> {
    const { settings } = this;
    const text = settings.format === 'abra' ? abraJson(catalogue) : canonicalJson(catalogue);
    const before = await readFile(settings.out, 'utf8').catch(() => undefined);
    const changed = before !== text;
    const writes: FileWrite[] = [];
    if (changed) {
      // Validated before it is written (an unchanged file was valid when it was written).
      validateCatalogue(JSON.parse(text));
      writes.push({ file: settings.out, data: text, createFolder: true });
    }
    const media = this.mediaPath();
    const sidecar = nextSidecar(await readSidecar(settings.out), {
      generatedAt: this.since,
      ...(settings.offline ? {} : { upstreamCheckedAt: this.since }),
      ...(media !== undefined ? { media } : {}),
      recipes: Object.keys(catalogue).length,
      changes,
    });
    validateSidecar(sidecar);
    writes.push({ file: sidecarPath(settings.out), data: sidecarText(sidecar), createFolder: true });
    await writeFilesAtomic(writes);
    this.emit({ type: 'written', file: settings.out, recipes: Object.keys(catalogue).length, changed });
    if (this.media && settings.mediaDir) {
      await this.media.publish(settings.mediaDir, mediaFiles(catalogue));
      await this.media.save();
    }

    const markdown = changesMarkdown(changes, `Catalogue changes (${this.since})`);
    for (const file of settings.changes) {
      await writeFileAtomic(file, file.endsWith('.json') ? `${JSON.stringify(changes, null, 2)}\n` : markdown, { createFolder: true });
    }
    const stepSummary = this.env.GITHUB_STEP_SUMMARY;
    if (stepSummary) {
      await appendFile(stepSummary, `${markdown}\n`).catch((error: Error) =>
        this.emit({ type: 'warning', message: `cannot append the changes to $GITHUB_STEP_SUMMARY (${stepSummary}): ${error.message}` }),
      );
    }
    return { changed };
  }

  private async writeReadmes(outcomes: readonly RepoOutcome[], catalogue: Catalogue): Promise<void> {
    for (const outcome of outcomes) {
      const name = outcome.repo.name;
      if (outcome.kind !== 'recipe' || catalogue[name]?.galley?.stale) continue;
      const readme = await readRecipeReadme(this.settings.cacheDir, name);
      if (readme === undefined) continue;
      const file = path.join(this.settings.readmesDir!, `${name}.md`);
      if ((await readFile(file, 'utf8').catch(() => undefined)) !== readme) await writeFileAtomic(file, readme, { createFolder: true });
    }
  }

  private async saveCaches(state: ScanState): Promise<void> {
    await saveState(this.settings.cacheDir, state);
    await this.resolver?.save(path.join(this.settings.cacheDir, REGISTRY_CACHE_FILE));
  }

  private summary(
    assembled: ReturnType<typeof assembleCatalogue>,
    changes: CatalogueChanges,
    skipped: readonly SkippedRepo[],
    outcomes: readonly RepoOutcome[],
  ): RunSummary {
    const requests = mergeStats(this.forgeHttp.stats(), this.registryHttp.stats());
    const notRecipes = outcomes
      .filter((o) => o.kind === 'not-a-recipe')
      .map((o) => ({ name: o.repo.name, sourceId: o.repo.sourceId, reason: `no compose.yml on its default branch (${o.scan.defaultBranch}): not a recipe` }));
    const invalidReleases = Object.entries(assembled.catalogue).flatMap(([recipe, entry]) =>
      (entry.galley?.invalidReleases ?? []).map((i) => ({
        recipe,
        tag: i.tag,
        reason: i.reason,
        ...(i.location !== undefined ? { location: i.location } : {}),
      })),
    );
    return {
      recipes: Object.keys(assembled.catalogue).length,
      read: this.read,
      unchanged: this.unchanged,
      tagsRead: this.tagsRead,
      skipped: [...skipped, ...notRecipes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      failures: assembled.failures,
      stale: assembled.stale.map((s) => s.name),
      registryStale: assembled.registryStale.map((s) => s.name),
      removed: assembled.removed.map((r) => r.name),
      invalidReleases,
      changes,
      health: healthSummary(assembled.catalogue, this.since),
      requests,
      cacheHits: this.resolver?.hits ?? { tags: 0, digests: 0, created: 0 },
      needed: { tagLists: this.lookups?.neededTagLists.size ?? 0, digests: this.lookups?.neededDigests.size ?? 0 },
      durationMs: Date.now() - this.started,
    };
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
