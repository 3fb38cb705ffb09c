import { parseRecipeVersion, parseTag } from '@galley/recipe';
import type { Catalogue, CatalogueRecipe, ServiceUpgrades } from './catalogue-types.js';
import { type DeployView, deployView } from './deploy-commands.js';
import { assignSlugs, familiarImage, imagePageUrl, repositoryFileUrl, repositoryWebUrl, safeHttpUrl } from './links.js';
import { readScores, type ScoreKey, type ScoreView } from './scores.js';

/** "Recently released": within this many days before the catalogue's date. */
export const RECENT_DAYS = 90;
/** "Unmaintained": no release in this many months before the catalogue's date (default of `--unmaintained-after`). */
export const UNMAINTAINED_MONTHS = 12;

/** Catalogue-wide facts from the sidecar file beside the catalogue (`recipes.galley.json`). */
export interface CatalogueFacts {
  generatedAt?: string;
  upstreamCheckedAt?: string;
}

export interface ModelOptions {
  facts?: CatalogueFacts;
  unmaintainedMonths?: number;
  /** Catalogue media path (`media/<sha>.png`) → site path, for the files the build could copy. */
  media?: ReadonlyMap<string, string>;
}

export interface SiteModel {
  recipes: RecipeView[];
  categories: CategoryView[];
  /** The newest release date in the catalogue (YYYY-MM-DD). */
  newestRelease?: string;
  /**
   * The site's "now" (YYYY-MM-DD): the day the catalogue was generated (its
   * sidecar says), else its newest release. Output never depends on the build time.
   */
  catalogueDate?: string;
  /** Where catalogueDate comes from. */
  catalogueDateFrom: 'generated' | 'newest release' | 'none';
  /** When the registries were last asked (YYYY-MM-DD), if the sidecar says. */
  upstreamChecked?: string;
  /** Releases on or after this date count as recent. */
  recentSince?: string;
  /** A recipe whose latest release is before this date is unmaintained. */
  unmaintainedBefore?: string;
  unmaintainedMonths: number;
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
  /** Site-relative path of the recipe's data for the compare page, e.g. `recipes/forum.json`. */
  dataPath: string;
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
  /** Site path of the mirrored icon. */
  icon?: string;
  /** Mirrored README images that are pictures (not SVG badges or logos), for a gallery. */
  screenshots: { path: string; alt: string }[];
  /** README image `src` as written → site path of the mirrored copy. */
  readmeImages: Record<string, string>;
  licence?: { name: string; spdx?: string; url?: string };
  maintainers: { name: string; url?: string; from: string }[];
  demoUrl?: string;
  deprecated?: { reason: string; from: string };
  /** No release in `unmaintainedMonths` before the catalogue's date, or no release at all (a release of unknown date is not flagged). */
  unmaintained: boolean;
  /** Whether every image of the latest release is pinned to a version (not `latest`, a branch or a variable); undefined without a release. */
  pinned?: boolean;
  /** `service: image:tag` of the images that are not pinned. */
  unpinned: string[];
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
  /** The next older release (a rollback from this one goes there). */
  previous?: string;
  /** What upgrading from the previous release asks of an operator (the catalogue's diff summary). */
  upgrade?: UpgradeNotesView;
}

export interface UpgradeNotesView {
  from: string;
  /** `major`, `minor` or `patch`: the bump the changes call for. */
  level?: string;
  /** Breaking changes first. */
  breaking: UpgradeNoteView[];
  others: UpgradeNoteView[];
  /** Changes the catalogue left out of its summary. */
  omitted: number;
}

export interface UpgradeNoteView {
  message: string;
  action?: string;
  location?: string;
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
  rules: { id: string; count: number; docs: string }[];
  /** Each finding with its rule's title; empty when the catalogue has only counts. */
  findings: { rule: string; title: string; severity: 'error' | 'warning' | 'info'; message: string; where: string; docs: string }[];
  /** How many findings there were when the list was cut short. */
  total: number;
  /** `1 error · 2 warnings`, or `no findings`. */
  text: string;
}

/** Where rule pages live when the catalogue does not say (older catalogues). */
export const RULE_DOCS_BASE_URL = 'https://git.coopcloud.tech/toolshed/galley/src/branch/main/docs/rules/';

export interface ReleaseView {
  recipe: RecipeView;
  version: VersionView;
  date: string;
}

const KINDS: readonly UpgradeKind[] = ['major', 'minor', 'patch'];

/** Catalogue → everything the templates show, sorted, with nothing left to compute in a template. */
export function buildSiteModel(catalogue: Catalogue, options: ModelOptions = {}): SiteModel {
  const names = Object.keys(catalogue);
  const recipeSlugs = assignSlugs(names);
  const categoryNames = names.map((n) => categoryOf(catalogue[n]!));
  const categorySlugs = assignSlugs(categoryNames);
  const media = options.media ?? new Map<string, string>();

  const recipes = names.map((key) => recipeView(key, catalogue[key]!, recipeSlugs.get(key)!, categorySlugs, media));
  recipes.sort(byName);

  const releases: ReleaseView[] = [];
  let versionCount = 0;
  for (const recipe of recipes) {
    versionCount += recipe.versions.length;
    for (const version of recipe.versions) if (version.date) releases.push({ recipe, version, date: version.date });
  }
  releases.sort((a, b) => (a.date === b.date ? byName(a.recipe, b.recipe) || compareText(b.version.version, a.version.version) : a.date < b.date ? 1 : -1));
  const newestRelease = releases[0]?.date;
  const unmaintainedMonths = options.unmaintainedMonths ?? UNMAINTAINED_MONTHS;
  const model: SiteModel = { recipes, categories: [], releases, versionCount, catalogueDateFrom: 'none', unmaintainedMonths };
  if (newestRelease) model.newestRelease = newestRelease;
  const generated = isoDate(options.facts?.generatedAt);
  const checked = isoDate(options.facts?.upstreamCheckedAt);
  if (checked) model.upstreamChecked = checked;
  const today = generated ?? newestRelease;
  if (today) {
    model.catalogueDate = today;
    model.catalogueDateFrom = generated ? 'generated' : 'newest release';
    const since = new Date(Date.parse(`${today}T00:00:00Z`) - RECENT_DAYS * 86_400_000).toISOString().slice(0, 10);
    const before = new Date(`${today}T00:00:00Z`);
    before.setUTCMonth(before.getUTCMonth() - unmaintainedMonths);
    const unmaintainedBefore = before.toISOString().slice(0, 10);
    model.recentSince = since;
    model.unmaintainedBefore = unmaintainedBefore;
    for (const recipe of recipes) {
      recipe.recent = recipe.released !== undefined && recipe.released >= since;
      // No release at all counts; a release whose date the catalogue does not know (plain abra entries) does not.
      recipe.unmaintained = recipe.versions.length === 0 || (recipe.released !== undefined && recipe.released < unmaintainedBefore);
    }
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

function recipeView(key: string, recipe: CatalogueRecipe, slug: string, categorySlugs: Map<string, string>, media: ReadonlyMap<string, string>): RecipeView {
  const name = typeof recipe.name === 'string' && recipe.name.trim() ? oneLine(recipe.name) : key;
  const scores = readScores(recipe.features);
  const score = Object.fromEntries(scores.map((s) => [s.key, s])) as Record<ScoreKey, ScoreView>;
  const galley = recipe.galley;
  const versions = (recipe.versions ?? []).map((entry) => {
    const version = Object.keys(entry)[0]!;
    return versionView(version, entry[version]!, galley?.versions?.[version]);
  });
  versions.reverse();
  for (let i = 0; i < versions.length - 1; i++) versions[i]!.previous = versions[i + 1]!.version;
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
    dataPath: `recipes/${slug}.json`,
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
    screenshots: [],
    readmeImages: {},
    maintainers: (galley?.maintainers ?? []).map((m) => ({
      name: oneLine(m.name),
      ...(safeHttpUrl(m.url) ? { url: safeHttpUrl(m.url)! } : {}),
      from: m.from.map((f) => MAINTAINER_SOURCES[f] ?? f).join(', '),
    })),
    unmaintained: false,
    unpinned: [],
  };
  if (latest) {
    view.unpinned = latest.services.filter((s) => !isPinned(s.tag)).map((s) => `${s.service}: ${s.familiar}${s.tag ? `:${s.tag}` : ''}`);
    view.pinned = view.unpinned.length === 0;
  }
  const repositoryUrl = repositoryWebUrl(recipe.repository);
  if (repositoryUrl) view.repositoryUrl = repositoryUrl;
  identity(view, recipe, media);
  const websiteUrl = safeHttpUrl(recipe.website);
  if (websiteUrl) view.websiteUrl = websiteUrl;
  const image = recipe.features?.image;
  if (image?.image) {
    const url = safeHttpUrl(image.url) ?? imagePageUrl(image.image);
    view.mainImage = { name: image.image, source: image.source ?? '', ...(url ? { url } : {}) };
  }
  if (latest) view.latest = latest;
  if (latest?.date) view.released = latest.date;
  if (galley?.lint) view.lint = lintView(galley.lint);
  if (galley?.stale) view.stale = { error: galley.stale.error, since: isoDate(galley.stale.since) ?? galley.stale.since };
  return view;
}

const MAINTAINER_SOURCES: Record<string, string> = { metadata: 'README', codeowners: 'CODEOWNERS', tagger: 'tagged releases' };

/** Icon, screenshots, README image copies, licence, demo link and deprecation: what tells recipes apart at a glance. */
function identity(view: RecipeView, recipe: CatalogueRecipe, media: ReadonlyMap<string, string>): void {
  const galley = recipe.galley;
  const icon = galley?.media?.icon;
  if (icon && media.has(icon.file)) view.icon = media.get(icon.file)!;
  for (const image of galley?.media?.images ?? []) {
    const path = media.get(image.file);
    if (!path) continue;
    view.readmeImages[image.src] = path;
    if (image.type !== 'image/svg+xml' && view.screenshots.length < 4 && !view.screenshots.some((s) => s.path === path)) {
      view.screenshots.push({ path, alt: oneLine(image.alt) });
    }
  }
  const licence = galley?.licence;
  if (licence) {
    const url = licence.file && view.repositoryUrl ? repositoryFileUrl(view.repositoryUrl, view.branch, licence.file, false) : undefined;
    view.licence = { name: oneLine(licence.name), ...(licence.spdx ? { spdx: licence.spdx } : {}), ...(url ? { url } : {}) };
  }
  const demo = safeHttpUrl(galley?.demo);
  if (demo) view.demoUrl = demo;
  if (galley?.deprecated) {
    const from = { metadata: 'the README metadata', readme: 'the README', forge: 'the forge' }[galley.deprecated.from] ?? galley.deprecated.from;
    view.deprecated = { reason: oneLine(galley.deprecated.reason), from };
  }
}

/** Pinned: a version-like tag (or a commit hash), not empty, not a floating word (`latest`, `stable`, a branch), not a variable. */
export function isPinned(tag: string): boolean {
  const parsed = parseTag(tag);
  return parsed.ok || /commit hash/.test(parsed.reason);
}

function lintView(lint: NonNullable<NonNullable<CatalogueRecipe['galley']>['lint']>): LintView {
  const findings = (lint.findings ?? []).map((f) => ({
    rule: f.rule,
    title: oneLine(f.title).replace(/`/g, ''),
    severity: f.severity,
    message: oneLine(f.message),
    where: `${f.file}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}`,
    docs: safeHttpUrl(f.docs) ?? `${RULE_DOCS_BASE_URL}${f.rule}.md`,
  }));
  const parts = [
    lint.errors ? plural(lint.errors, 'error') : '',
    lint.warnings ? plural(lint.warnings, 'warning') : '',
    lint.infos ? plural(lint.infos, 'info') : '',
  ].filter(Boolean);
  return {
    version: lint.version,
    errors: lint.errors,
    warnings: lint.warnings,
    infos: lint.infos,
    rules: Object.entries(lint.rules ?? {})
      .map(([id, count]) => ({ id, count, docs: findings.find((f) => f.rule === id)?.docs ?? `${RULE_DOCS_BASE_URL}${id}.md` }))
      .sort((a, b) => b.count - a.count || compareText(a.id, b.id)),
    findings,
    total: Math.max(lint.findingsTotal ?? 0, findings.length),
    text: parts.length ? parts.join(' · ') : 'no findings',
  };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The deploy, upgrade and rollback commands of one version of a recipe. */
export function versionDeploy(recipe: RecipeView, version: VersionView): DeployView {
  return deployView(recipe.key, version.version, version.previous);
}

/** The upgrade summary of a version, as the catalogue keeps it (galley.versions[v].upgrade). */
interface UpgradeInfo {
  from: string;
  level?: string;
  changes: { breaking: boolean; message: string; action?: string; location?: string }[];
  omitted?: number;
}

function upgradeNotesView(info: UpgradeInfo): UpgradeNotesView {
  const item = (c: UpgradeInfo['changes'][number]): UpgradeNoteView => ({
    message: oneLine(c.message),
    ...(c.action ? { action: oneLine(c.action) } : {}),
    ...(c.location ? { location: oneLine(c.location) } : {}),
  });
  const changes = Array.isArray(info.changes) ? info.changes : [];
  return {
    from: oneLine(info.from),
    ...(info.level ? { level: oneLine(info.level) } : {}),
    breaking: changes.filter((c) => c.breaking).map(item),
    others: changes.filter((c) => !c.breaking).map(item),
    omitted: typeof info.omitted === 'number' ? info.omitted : 0,
  };
}

function versionView(
  version: string,
  services: Record<string, { image: string; tag: string; digest: string }>,
  info: { date: string; annotated: boolean; commit: string; notes?: string; upgrade?: UpgradeInfo } | undefined,
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
    if (info.upgrade?.from) view.upgrade = upgradeNotesView(info.upgrade);
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
  // Upstream was asked, but no service pins a tag it can compare (`latest`, no tag): say so rather than "not checked".
  if (hasGalleyData && upgrades.length > 0 && upgrades.every((u) => !u.error && u.currentUnparseable)) {
    return { level: 'unknown', services: 0, text: 'no version tag to compare with upstream' };
  }
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
