import { parseRecipeVersion } from '@galley/recipe';
import type { Catalogue, CatalogueRecipe, ServiceUpgrades } from './catalogue-types.js';
import { assignSlugs, familiarImage, imagePageUrl, repositoryWebUrl, safeHttpUrl } from './links.js';
import { readScores, type ScoreKey, type ScoreView } from './scores.js';

/** "Recently released": within this many days before the catalogue's newest release. */
export const RECENT_DAYS = 90;

export interface SiteModel {
  recipes: RecipeView[];
  categories: CategoryView[];
  /** The newest release date in the catalogue (YYYY-MM-DD): the site's "now", so output never depends on the build time. */
  newestRelease?: string;
  /** Releases on or after this date count as recent. */
  recentSince?: string;
  /** Every release with a date, newest first (the feed takes the first ones). */
  releases: ReleaseView[];
  versionCount: number;
}

export interface CategoryView {
  name: string;
  slug: string;
  /** Site-relative path of the category page, e.g. `categories/apps.html`. */
  path: string;
  recipes: RecipeView[];
}

export interface RecipeView {
  /** The catalogue's key: the recipe's name for abra (`abra app new <key>`). */
  key: string;
  /** The name to show (the entry's `name`, else its key). */
  name: string;
  slug: string;
  /** Site-relative path of the recipe page, e.g. `recipes/forum.html`. */
  path: string;
  /** Site-relative path of the badge, e.g. `badges/forum.svg`. */
  badgePath: string;
  /** One line, for cards (at most ~160 characters). */
  summary: string;
  description: string;
  category: string;
  categorySlug: string;
  /** Site-relative path of the recipe's category page. */
  categoryPath: string;
  repository: string;
  repositoryUrl?: string;
  /** The repository's default branch (README links point at it). */
  branch: string;
  website: string;
  websiteUrl?: string;
  scores: ScoreView[];
  score: Record<ScoreKey, ScoreView>;
  mainImage?: { name: string; url?: string; source: string };
  /** Newest first. */
  versions: VersionView[];
  latest?: VersionView;
  /** Date of the latest release (YYYY-MM-DD). */
  released?: string;
  recent: boolean;
  upgrades: UpgradeView[];
  behind: BehindView;
  lint?: LintView;
  stale?: { error: string; since: string };
  /** Images of the latest version, familiar names, sorted. */
  images: string[];
}

export interface VersionView {
  version: string;
  /** `2.0.1` of `2.0.1+1.0.6-social-amd64`. */
  recipePart?: string;
  /** `1.0.6-social-amd64` of `2.0.1+1.0.6-social-amd64`. */
  upstreamPart?: string;
  date?: string;
  annotated?: boolean;
  commit?: string;
  notes?: string;
  services: ServiceImageView[];
}

export interface ServiceImageView {
  service: string;
  image: string;
  familiar: string;
  imageUrl?: string;
  tag: string;
  digest: string;
}

export type UpgradeKind = 'major' | 'minor' | 'patch';

export interface UpgradeView {
  service: string;
  image: string;
  imageUrl?: string;
  current: string;
  candidates: { kind: UpgradeKind; tag: string; digest: string }[];
  daysBehind?: number;
  currentUnparseable?: string;
  unparseable: { tag: string; reason: string }[];
  /** How many upstream tags could not be compared (more than `unparseable` lists when it was cut short). */
  unparseableTotal: number;
  error?: string;
}

export interface BehindView {
  /** The biggest kind of update upstream offers; `none` when up to date; `unknown` without upgrade data. */
  level: UpgradeKind | 'none' | 'unknown';
  /** Services with a newer compatible upstream tag. */
  services: number;
  /** The most days any service is behind, when known. */
  days?: number;
  /** `major update upstream · 2 services · 45 days behind`. */
  text: string;
}

export interface LintView {
  version: string;
  errors: number;
  warnings: number;
  infos: number;
  rules: { id: string; count: number }[];
}

export interface ReleaseView {
  recipe: RecipeView;
  version: VersionView;
  date: string;
}

const KINDS: readonly UpgradeKind[] = ['major', 'minor', 'patch'];

/** Catalogue → everything the templates show, sorted, with nothing left to compute in a template. */
export function buildSiteModel(catalogue: Catalogue): SiteModel {
  const names = Object.keys(catalogue);
  const recipeSlugs = assignSlugs(names);
  const categoryNames = names.map((n) => categoryOf(catalogue[n]!));
  const categorySlugs = assignSlugs(categoryNames);

  const recipes = names.map((key) => recipeView(key, catalogue[key]!, recipeSlugs.get(key)!, categorySlugs));
  recipes.sort(byName);

  const releases: ReleaseView[] = [];
  let versionCount = 0;
  for (const recipe of recipes) {
    versionCount += recipe.versions.length;
    for (const version of recipe.versions) if (version.date) releases.push({ recipe, version, date: version.date });
  }
  releases.sort((a, b) => (a.date === b.date ? byName(a.recipe, b.recipe) || compareText(b.version.version, a.version.version) : a.date < b.date ? 1 : -1));
  const newestRelease = releases[0]?.date;
  const model: SiteModel = { recipes, categories: [], releases, versionCount };
  if (newestRelease) {
    const since = new Date(Date.parse(`${newestRelease}T00:00:00Z`) - RECENT_DAYS * 86_400_000).toISOString().slice(0, 10);
    model.newestRelease = newestRelease;
    model.recentSince = since;
    for (const recipe of recipes) recipe.recent = recipe.released !== undefined && recipe.released >= since;
  }

  const byCategory = new Map<string, RecipeView[]>();
  for (const recipe of recipes) {
    const list = byCategory.get(recipe.category) ?? [];
    list.push(recipe);
    byCategory.set(recipe.category, list);
  }
  model.categories = [...byCategory.entries()]
    .map(([name, list]) => {
      const slug = categorySlugs.get(name)!;
      return { name, slug, path: `categories/${slug}.html`, recipes: list };
    })
    .sort((a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.name, b.name));
  return model;
}

function categoryOf(recipe: CatalogueRecipe): string {
  return recipe.category?.trim() || 'Uncategorised';
}

function recipeView(key: string, recipe: CatalogueRecipe, slug: string, categorySlugs: Map<string, string>): RecipeView {
  const name = typeof recipe.name === 'string' && recipe.name.trim() ? oneLine(recipe.name) : key;
  const scores = readScores(recipe.features);
  const score = Object.fromEntries(scores.map((s) => [s.key, s])) as Record<ScoreKey, ScoreView>;
  const galley = recipe.galley;
  const versions = (recipe.versions ?? []).map((entry) => {
    const version = Object.keys(entry)[0]!;
    return versionView(version, entry[version]!, galley?.versions?.[version]);
  });
  versions.reverse();
  const latest = versions[0];
  const upgrades = Object.keys(galley?.upgrades ?? {})
    .sort(compareText)
    .map((service) => upgradeView(service, galley!.upgrades[service]!));
  const description = oneLine(recipe.description ?? '');
  const category = categoryOf(recipe);
  const view: RecipeView = {
    key,
    name,
    slug,
    path: `recipes/${slug}.html`,
    badgePath: `badges/${slug}.svg`,
    summary: description.length > 160 ? `${description.slice(0, 157).trimEnd()}…` : description,
    description,
    category,
    categorySlug: categorySlugs.get(category)!,
    categoryPath: `categories/${categorySlugs.get(category)!}.html`,
    repository: recipe.repository ?? '',
    branch: recipe.default_branch?.trim() || 'main',
    website: recipe.website ?? '',
    scores,
    score,
    versions,
    recent: false,
    upgrades,
    behind: behindView(upgrades, galley !== undefined),
    images: [...new Set((latest?.services ?? []).map((s) => s.familiar))].sort(compareText),
  };
  const repositoryUrl = repositoryWebUrl(recipe.repository);
  if (repositoryUrl) view.repositoryUrl = repositoryUrl;
  const websiteUrl = safeHttpUrl(recipe.website);
  if (websiteUrl) view.websiteUrl = websiteUrl;
  const image = recipe.features?.image;
  if (image?.image) {
    const url = safeHttpUrl(image.url) ?? imagePageUrl(image.image);
    view.mainImage = { name: image.image, source: image.source ?? '', ...(url ? { url } : {}) };
  }
  if (latest) view.latest = latest;
  if (latest?.date) view.released = latest.date;
  if (galley?.lint) {
    const lint = galley.lint;
    view.lint = {
      version: lint.version,
      errors: lint.errors,
      warnings: lint.warnings,
      infos: lint.infos,
      rules: Object.entries(lint.rules ?? {})
        .map(([id, count]) => ({ id, count }))
        .sort((a, b) => b.count - a.count || compareText(a.id, b.id)),
    };
  }
  if (galley?.stale) view.stale = { error: galley.stale.error, since: isoDate(galley.stale.since) ?? galley.stale.since };
  return view;
}

function versionView(
  version: string,
  services: Record<string, { image: string; tag: string; digest: string }>,
  info: { date: string; annotated: boolean; commit: string; notes?: string } | undefined,
): VersionView {
  const view: VersionView = {
    version,
    services: Object.keys(services)
      .sort(appFirst)
      .map((service) => {
        const s = services[service]!;
        const imageUrl = imagePageUrl(s.image);
        return { service, image: s.image, familiar: familiarImage(s.image), tag: s.tag, digest: s.digest, ...(imageUrl ? { imageUrl } : {}) };
      }),
  };
  const parsed = parseRecipeVersion(version);
  if (parsed.ok) {
    const v = parsed.version;
    if (v.scheme === 'semver') {
      view.recipePart = v.recipe;
      if (v.upstream) view.upstreamPart = v.upstream;
    } else {
      view.recipePart = String(v.n);
      view.upstreamPart = v.upstream;
    }
  }
  if (info) {
    const date = isoDate(info.date);
    if (date) view.date = date;
    if (typeof info.annotated === 'boolean') view.annotated = info.annotated;
    if (info.commit) view.commit = info.commit;
    if (info.notes?.trim()) view.notes = info.notes.trim();
  }
  return view;
}

function upgradeView(service: string, info: ServiceUpgrades): UpgradeView {
  const imageUrl = imagePageUrl(info.image);
  const view: UpgradeView = {
    service,
    image: familiarImage(info.image),
    current: info.current,
    candidates: KINDS.flatMap((kind) => (info[kind] ? [{ kind, tag: info[kind].tag, digest: info[kind].digest ?? '' }] : [])),
    unparseable: [...(info.unparseable ?? [])],
    unparseableTotal: Math.max(info.unparseableTotal ?? 0, info.unparseable?.length ?? 0),
  };
  if (imageUrl) view.imageUrl = imageUrl;
  if (info.daysBehind !== undefined) view.daysBehind = info.daysBehind;
  if (info.currentUnparseable) view.currentUnparseable = info.currentUnparseable;
  if (info.error) view.error = info.error;
  return view;
}

function behindView(upgrades: UpgradeView[], hasGalleyData: boolean): BehindView {
  const known = upgrades.filter((u) => !u.error && !u.currentUnparseable);
  if (!hasGalleyData || known.length === 0) return { level: 'unknown', services: 0, text: 'upstream not checked' };
  const behind = known.filter((u) => u.candidates.length > 0);
  const days = Math.max(-1, ...known.map((u) => u.daysBehind ?? -1));
  if (behind.length === 0) return { level: 'none', services: 0, ...(days >= 0 ? { days } : {}), text: 'up to date with upstream' };
  const level = KINDS.find((kind) => behind.some((u) => u.candidates.some((c) => c.kind === kind)))!;
  const parts = [`${level} update upstream`, behind.length === 1 ? '1 service' : `${behind.length} services`];
  if (days > 0) parts.push(days === 1 ? '1 day behind' : `${days} days behind`);
  const view: BehindView = { level, services: behind.length, text: parts.join(' · ') };
  if (days >= 0) view.days = days;
  return view;
}

/** `app` first (the main service), then by name. */
function appFirst(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'app') return -1;
  if (b === 'app') return 1;
  return compareText(a, b);
}

function byName(a: { name: string }, b: { name: string }): number {
  return compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.name, b.name);
}

/** Code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** YYYY-MM-DD (UTC) of an ISO 8601 date, or undefined when it is no date. */
export function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return undefined;
  const date = new Date(time);
  if (date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) return undefined;
  return date.toISOString().slice(0, 10);
}
