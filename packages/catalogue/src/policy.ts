import { abraImageName } from './abra.js';
import type { RepoScan, ScannedService } from './scan.js';
import type { RepoDescriptor, SkippedRepo } from './sources/types.js';
import type {
  Catalogue,
  CatalogueRecipe,
  GalleyRecipeInfo,
  GalleyVersionInfo,
  RecipeHealth,
  ServiceImage,
  ServiceUpgrades,
  Staleness,
  VersionEntry,
} from './types.js';

/**
 * What a run makes of what it read: the catalogue's entries, which previous
 * entries are kept (marked stale) and which are removed. Pure: no files, git
 * or network, so every rule is tested on its own (policy.test.ts); the run
 * (generate.ts) reads, asks, then calls this.
 *
 * The rules:
 *
 * - A repository that cannot be fetched or read keeps its previous entry,
 *   marked `galley.stale` (the first failure's time is kept while it lasts).
 * - A registry that fails marks only what it could not tell: the entry is
 *   built from what git says (new releases are published), digests it could
 *   not ask keep the previous catalogue's value (else `unknown`) and are
 *   listed in `galley.staleDigests`, and each service whose upgrades could
 *   not be asked keeps its previous candidates, marked `stale`.
 * - Offline (no registry asked on purpose), digests and upgrades are the
 *   previous catalogue's, unmarked.
 * - A source that fails removes nothing: while any source fails, previous
 *   entries no source lists are kept, marked stale, whatever source they
 *   came from (a renamed organisation or a moved forge URL fails as a new
 *   source id).
 * - Otherwise an entry no source lists, or that is no recipe any more, is
 *   removed; `shrinkProblem()` refuses a run that would remove too many.
 * - `--only` leaves the other entries as they are.
 */

/** Registry facts about one recipe, as the run gathered them. Keys are `registry/repository:tag`. */
export interface RecipeImages {
  /** Digests the registry gave (`unknown` when it has no such tag). */
  digests: Map<string, string>;
  /** Digests the registry could not be asked for, with the error. */
  failedDigests: Map<string, string>;
  /** Upgrades per service of the latest release, where the registry answered. */
  upgrades: Record<string, ServiceUpgrades>;
  /** Services whose upgrades could not be asked, with the error. */
  failedUpgrades: Record<string, string>;
}

export function noImages(): RecipeImages {
  return { digests: new Map(), failedDigests: new Map(), upgrades: {}, failedUpgrades: {} };
}

/** How reading one listed repository ended. */
export type RepoOutcome =
  | { kind: 'recipe'; repo: RepoDescriptor; scan: RepoScan; images: RecipeImages; extras?: Partial<GalleyRecipeInfo> }
  | { kind: 'not-a-recipe'; repo: RepoDescriptor; scan: RepoScan }
  | { kind: 'failed'; repo: RepoDescriptor; error: string };

export interface Failure {
  /** The recipe, source or host that failed. */
  subject: string;
  error: string;
}

export interface RemovedRecipe {
  name: string;
  reason: string;
}

export interface AssembleInput {
  previous: Catalogue;
  /** The run's time (ISO 8601): `since` of new staleness. */
  since: string;
  /** Every configured source, with the error when it could not be listed. */
  sources: ReadonlyArray<{ id: string; error?: string }>;
  /** Repositories the sources listed but the run skips (archived, excluded, …). */
  skipped: readonly SkippedRepo[];
  outcomes: readonly RepoOutcome[];
  /** `--only`: the other previous entries stay as they are. */
  only?: ReadonlySet<string>;
  offline: boolean;
}

export interface AssembleResult {
  /** Sorted by recipe name. */
  catalogue: Catalogue;
  failures: Failure[];
  /** Entries kept from the previous catalogue, marked stale, with the error. */
  stale: Array<{ name: string; error: string }>;
  /** Entries built from git whose registry facts are partly the previous run's. */
  registryStale: Array<{ name: string; error: string }>;
  removed: RemovedRecipe[];
}

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** `registry/repository:tag` of a service, when its image parses. */
export function serviceKey(s: ScannedService): string | undefined {
  return s.registry && s.repository && s.tag ? `${s.registry}/${s.repository}:${s.tag}` : undefined;
}

function staleSince(error: string, previous: Staleness | undefined, since: string): Staleness {
  return { error, since: previous?.since ?? since };
}

/** The previous entry kept as the last good one, marked stale (keeping the first failure's time). */
export function markStale(entry: CatalogueRecipe, error: string, since: string): CatalogueRecipe {
  const galley = entry.galley ?? { versions: {}, upgrades: {} };
  return withHealth({ ...entry, galley: { ...galley, stale: staleSince(error, galley.stale, since) } });
}

/** image:tag → digest the previous entry knew (`<abra image>:<tag>`). */
function knownDigests(previous: CatalogueRecipe | undefined): Map<string, string> {
  const known = new Map<string, string>();
  for (const version of previous?.versions ?? []) {
    for (const services of Object.values(version)) {
      for (const s of Object.values(services)) if (s.digest !== 'unknown') known.set(`${s.image}:${s.tag}`, s.digest);
    }
  }
  return known;
}

const distinct = (messages: Iterable<string>): string => [...new Set(messages)].sort().join('; ');

/**
 * One recipe's entry from its scan and the registry's answers. Where the
 * registry failed (or the run is offline) the previous entry's digests and
 * upgrades stand in, as the module comment says.
 */
export function buildEntry(
  repo: RepoDescriptor,
  scan: RepoScan,
  images: RecipeImages,
  previous: CatalogueRecipe | undefined,
  context: { since: string; offline: boolean; extras?: Partial<GalleyRecipeInfo> },
): CatalogueRecipe {
  const known = context.offline || images.failedDigests.size > 0 ? knownDigests(previous) : new Map<string, string>();
  const staleDigests = new Set<string>();
  const versions: VersionEntry[] = [];
  const info: Record<string, GalleyVersionInfo> = {};
  for (const version of scan.versions) {
    const servicesOut: Record<string, ServiceImage> = {};
    for (const [name, service] of Object.entries(version.services)) {
      const image = abraImageName(service);
      const key = serviceKey(service);
      let digest = service.pinned ?? (key ? images.digests.get(key) : undefined);
      if (digest === undefined && key && (context.offline || images.failedDigests.has(key))) {
        digest = known.get(`${image}:${service.tag}`);
        if (images.failedDigests.has(key)) staleDigests.add(key);
      }
      servicesOut[name] = { image, tag: service.tag, digest: digest ?? 'unknown' };
    }
    versions.push({ [version.version]: servicesOut });
    const v: GalleyVersionInfo = { date: version.date, annotated: version.annotated, commit: version.commit };
    if (version.notes !== undefined) v.notes = version.notes;
    if (version.upgrade) v.upgrade = version.upgrade;
    info[version.version] = v;
  }

  const upgrades: Record<string, ServiceUpgrades> = {};
  const latest = scan.versions[scan.versions.length - 1];
  for (const [name, service] of Object.entries(latest?.services ?? {})) {
    const fresh = images.upgrades[name];
    if (fresh) {
      upgrades[name] = fresh;
      continue;
    }
    const fullName = service.registry && service.repository ? `${service.registry}/${service.repository}` : service.image;
    const before = previous?.galley?.upgrades?.[name];
    const same = before !== undefined && before.current === service.tag && before.image === fullName;
    const failure = images.failedUpgrades[name];
    if (failure !== undefined) {
      const stale = staleSince(failure, before?.stale, context.since);
      upgrades[name] = same ? { ...before, stale } : { image: fullName, current: service.tag, unparseable: [], stale };
    } else if (context.offline && same) upgrades[name] = before;
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
    galley: { versions: info, upgrades, source: repo.sourceKind, sourceId: repo.sourceId },
  };
  const galley = entry.galley!;
  // Licence, maintainers, deprecation, demo, media (scan-extras.ts).
  if (context.extras) Object.assign(galley, context.extras);
  if (scan.lint) galley.lint = scan.lint;
  if (scan.invalid.length) galley.invalidReleases = scan.invalid;
  if (staleDigests.size) {
    galley.staleDigests = {
      ...staleSince(distinct([...staleDigests].map((k) => images.failedDigests.get(k)!)), previous?.galley?.staleDigests, context.since),
      images: [...staleDigests].sort(),
    };
  }
  return withHealth(entry);
}

/** What makes a registry-stale entry stale, if anything. */
export function registryStaleness(entry: CatalogueRecipe): string | undefined {
  const errors = [
    ...(entry.galley?.staleDigests ? [entry.galley.staleDigests.error] : []),
    ...Object.values(entry.galley?.upgrades ?? {}).flatMap((u) => (u.stale ? [u.stale.error] : [])),
  ];
  return errors.length ? distinct(errors) : undefined;
}

const UPGRADE_ORDER = ['variant', 'patch', 'minor', 'major'] as const;

/** The entry with `galley.health` worked out from its other fields. */
export function withHealth(entry: CatalogueRecipe): CatalogueRecipe {
  if (!entry.galley) return entry;
  const health: RecipeHealth = {};
  const latest = entry.versions[entry.versions.length - 1];
  const latestVersion = latest ? Object.keys(latest)[0] : undefined;
  const date = latestVersion ? entry.galley.versions[latestVersion]?.date : undefined;
  if (date) health.lastRelease = date;
  const lint = entry.galley.lint;
  if (lint) health.lint = lint.errors > 0 ? 'errors' : lint.warnings > 0 ? 'warnings' : 'clean';
  const behind: Record<string, number> = {};
  let upgrade = -1;
  for (const [service, u] of Object.entries(entry.galley.upgrades)) {
    if (u.daysBehind !== undefined) behind[service] = u.daysBehind;
    for (const [rank, kind] of UPGRADE_ORDER.entries()) if (u[kind] && rank > upgrade) upgrade = rank;
  }
  if (Object.keys(behind).length) health.daysBehind = behind;
  if (upgrade >= 0) health.upgrade = UPGRADE_ORDER[upgrade]!;
  const since = [entry.galley.stale?.since, entry.galley.staleDigests?.since, ...Object.values(entry.galley.upgrades).map((u) => u.stale?.since)].filter(
    (s): s is string => s !== undefined,
  );
  if (since.length) health.staleSince = since.sort()[0]!;
  const { health: _old, ...galley } = entry.galley;
  return { ...entry, galley: { ...galley, health } };
}

/** The catalogue a run makes from what it read (see the module comment). */
export function assembleCatalogue(input: AssembleInput): AssembleResult {
  const { previous, since } = input;
  const catalogue: Catalogue = {};
  const failures: Failure[] = [];
  const stale: AssembleResult['stale'] = [];
  const registryStale: AssembleResult['registryStale'] = [];
  const removed: RemovedRecipe[] = [];
  const failedSources = input.sources.filter((s): s is { id: string; error: string } => s.error !== undefined);
  for (const source of failedSources) failures.push({ subject: source.id, error: source.error });

  const handled = new Set<string>();
  for (const outcome of input.outcomes) {
    const name = outcome.repo.name;
    handled.add(name);
    const before = previous[name];
    if (outcome.kind === 'failed') {
      failures.push({ subject: name, error: outcome.error });
      if (before) {
        catalogue[name] = markStale(before, outcome.error, since);
        stale.push({ name, error: outcome.error });
      }
      continue;
    }
    if (outcome.kind === 'not-a-recipe') {
      if (before) removed.push({ name, reason: `no compose.yml on its default branch (${outcome.scan.defaultBranch}): no recipe any more` });
      continue;
    }
    const entry = buildEntry(outcome.repo, outcome.scan, outcome.images, before, {
      since,
      offline: input.offline,
      ...(outcome.extras ? { extras: outcome.extras } : {}),
    });
    const error = registryStaleness(entry);
    if (error !== undefined) {
      failures.push({ subject: name, error });
      registryStale.push({ name, error });
    }
    catalogue[name] = entry;
  }

  const skipped = new Map(input.skipped.map((s) => [s.name, s]));
  for (const [name, entry] of Object.entries(previous)) {
    if (handled.has(name)) continue;
    if (input.only && !input.only.has(name)) {
      catalogue[name] = entry;
      continue;
    }
    if (failedSources.length) {
      // Whoever lists it now may be the source that failed: keep it.
      const own = failedSources.find((s) => s.id === entry.galley?.sourceId);
      const error = own ? own.error : `no source that answered lists it, and ${failedSources.map((s) => `${s.id} failed: ${s.error}`).join('; ')}`;
      catalogue[name] = markStale(entry, error, since);
      stale.push({ name, error });
      continue;
    }
    const skip = skipped.get(name);
    removed.push({ name, reason: skip ? `${skip.sourceId}: ${skip.reason}` : 'no source lists it any more' });
  }

  const sorted: Catalogue = {};
  for (const name of Object.keys(catalogue).sort()) sorted[name] = catalogue[name]!;
  return { catalogue: sorted, failures, stale: stale.sort(byName), registryStale: registryStale.sort(byName), removed: removed.sort(byName) };
}

/** The default share of its recipes a run may remove without `--allow-shrink`. */
export const DEFAULT_MAX_SHRINK = 0.1;

/**
 * Why a run that would remove these recipes must not write its catalogue:
 * it would lose more than `maxShrink` of the previous recipes (and more
 * than one). Undefined when the loss is within the limit.
 */
export function shrinkProblem(previousCount: number, removed: readonly RemovedRecipe[], maxShrink: number): string | undefined {
  const allowed = Math.max(1, Math.floor(previousCount * maxShrink));
  if (removed.length <= allowed) return undefined;
  const shown = removed.slice(0, 20).map((r) => `${r.name} (${r.reason})`);
  if (removed.length > shown.length) shown.push(`and ${removed.length - shown.length} more`);
  return (
    `the catalogue would lose ${removed.length} of its ${previousCount} recipes, more than the ${Math.round(maxShrink * 100)}% a run may remove: ` +
    `${shown.join(', ')}. Nothing was written. Check the sources (a mistyped organisation or a moved forge lists other repositories); ` +
    'if the recipes are really gone, run again with --allow-shrink'
  );
}
