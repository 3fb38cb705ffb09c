import { createHash } from 'node:crypto';
import { badgeView } from './badge.js';
import { SCORE_FILTERS, SORT_OPTIONS } from './filters.js';
import { PAGE_SIZE, SEARCH_INDEX_FILE } from './search-options.js';
import type { Templates } from './templates.js';
import { type CategoryView, type RecipeView, type SiteModel, versionDeploy } from './view-model.js';

/** One file of the site: a path relative to the site root, and its content. */
export interface SiteFile {
  path: string;
  content: string | Uint8Array;
}

export interface PageOptions {
  /** The site's name, in every page title. */
  title: string;
  /** Absolute URL the site will be published at (ends in `/`); only for the feed, sitemap, canonical links and the 404 page's home link. */
  baseUrl?: string;
  /** Number of releases in the Atom feed (default 50). */
  feedEntries?: number;
}

/**
 * The Content-Security-Policy of every page: no inline script at all (the
 * one script is the external app.js), styles only from style.css, images
 * only from the site itself (icons and README images are the copies the
 * catalogue mirrored; any other image is a link), fetch only from the site.
 */
export function contentSecurityPolicy(extraStyleHashes: string[] = []): string {
  const styles = ["'self'", ...extraStyleHashes.map((h) => `'${h}'`)].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${styles}`,
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** The way back to the site root from a page: `recipes/forum.html` → `../`; `index.html` → ``. */
export function relativeRoot(pagePath: string): string {
  const depth = pagePath.split('/').length - 1;
  return '../'.repeat(depth);
}

/** Renders each kind of page of a site; one call per file, so a build can write as it goes. */
export interface PageRenderer {
  home(): SiteFile;
  /** The recipe's page and its badge. */
  recipe(recipe: RecipeView, readmeHtml: string | undefined): SiteFile[];
  categories(): SiteFile;
  category(category: CategoryView): SiteFile;
  compare(): SiteFile;
  notFound(): SiteFile;
  /** Needs `baseUrl` (Atom wants absolute links). */
  feed(): SiteFile;
  /** Needs `baseUrl` (the sitemaps protocol wants absolute URLs). */
  sitemap(): SiteFile;
}

export function pageRenderer(model: SiteModel, templates: Templates, options: PageOptions): PageRenderer {
  const base = options.baseUrl;
  const csp = contentSecurityPolicy();
  const page = (path: string, extra: { title: string; description: string; script?: boolean }) => {
    const root = relativeRoot(path);
    return {
      ...extra,
      siteTitle: options.title,
      root,
      home: `${root}index.html`,
      csp,
      canonical: base ? base + (path === 'index.html' ? '' : path) : undefined,
      feed: base !== undefined,
      script: extra.script ?? false,
    };
  };
  const common = { model, filters: SCORE_FILTERS, sorts: SORT_OPTIONS, searchIndex: SEARCH_INDEX_FILE, pageSize: PAGE_SIZE };

  return {
    home: () => ({
      path: 'index.html',
      content: templates.render('home', {
        ...common,
        page: page('index.html', {
          title: options.title,
          description: `${model.recipes.length} Co-op Cloud recipes: scores, versions, images and upstream updates.`,
          script: true,
        }),
      }),
    }),
    recipe: (recipe, readme) => {
      const badge = badgeView(recipe.name, recipe.score.status.level, recipe.latest?.version);
      const deploy = new Map(recipe.versions.map((v) => [v.version, versionDeploy(recipe, v)]));
      return [
        {
          path: recipe.path,
          content: templates.render('recipe', {
            ...common,
            recipe,
            badge,
            readme,
            deploy,
            page: page(recipe.path, { title: `${recipe.name} · ${options.title}`, description: recipe.summary || `The ${recipe.name} recipe` }),
          }),
        },
        { path: recipe.badgePath, content: templates.render('badge', { badge }) },
        { path: recipe.dataPath, content: JSON.stringify(compareData(recipe)) },
      ];
    },
    compare: () => ({
      path: 'compare.html',
      content: templates.render('compare', {
        ...common,
        page: page('compare.html', { title: `Compare recipes · ${options.title}`, description: 'Compare 2 to 4 recipes side by side', script: true }),
      }),
    }),
    categories: () => ({
      path: 'categories/index.html',
      content: templates.render('categories', {
        ...common,
        page: page('categories/index.html', { title: `Categories · ${options.title}`, description: 'Recipes by category' }),
      }),
    }),
    category: (category) => ({
      path: category.path,
      content: templates.render('category', {
        ...common,
        category,
        page: page(category.path, { title: `${category.name} · ${options.title}`, description: `${category.recipes.length} recipes in ${category.name}` }),
      }),
    }),
    notFound: () => ({ path: '404.html', content: renderNotFound(templates, options) }),
    feed: () => ({ path: 'feed.xml', content: renderFeed(model, templates, options) }),
    sitemap: () => ({ path: 'sitemap.xml', content: templates.render('sitemap', { model, base: base ?? '' }) }),
  };
}

/**
 * The 404 page is served for any missing path at any depth, so it cannot
 * use relative links: its style is inline (allowed by its hash in the CSP)
 * and it links home only with --base-url (`/` would be wrong under a sub-path).
 */
function renderNotFound(templates: Templates, options: PageOptions): string {
  const style = templates.readText('not-found.css').trim();
  const hash = `sha256-${createHash('sha256').update(style).digest('base64')}`;
  return templates.render('not-found', {
    style,
    page: { title: `Not found · ${options.title}`, siteTitle: options.title, csp: contentSecurityPolicy([hash]), home: options.baseUrl },
  });
}

function renderFeed(model: SiteModel, templates: Templates, options: PageOptions): string {
  const base = options.baseUrl ?? '';
  const entries = model.releases.slice(0, options.feedEntries ?? 50).map((release) => {
    const v = release.version;
    const parts = [v.recipePart ? `recipe ${v.recipePart}` : '', v.upstreamPart ? `upstream ${v.upstreamPart}` : ''].filter(Boolean);
    const images = v.services.map((s) => `${s.service} ${s.familiar}:${s.tag}`).join(', ');
    return {
      id: uuidUrn(`${base}|${release.recipe.key}|${v.version}`),
      title: `${release.recipe.name} ${v.version}`,
      link: `${base}${release.recipe.path}`,
      updated: `${release.date}T00:00:00Z`,
      recipe: release.recipe,
      // One line each: Atom readers show summary and content apart, so release notes never run into the image list.
      summary: `${release.recipe.name} ${v.version}${parts.length ? ` (${parts.join(', ')})` : ''}. Images: ${images || 'none'}.`,
      notes: v.notes,
    };
  });
  return templates.render('feed', {
    title: `New releases · ${options.title}`,
    id: uuidUrn(`${base}|feed`),
    self: `${base}feed.xml`,
    home: `${base}index.html`,
    updated: `${model.newestRelease ?? '1970-01-01'}T00:00:00Z`,
    entries,
  });
}

/** What the compare page shows of a recipe (`recipes/<slug>.json`): the data behind its page, in one small file. */
export function compareData(r: RecipeView): object {
  return {
    key: r.key,
    name: r.name,
    page: r.path,
    icon: r.icon ?? null,
    summary: r.summary,
    category: r.category,
    scores: r.scores.map((s) => ({ label: s.label, display: s.display, tone: s.tone })),
    latest: r.latest ? { version: r.latest.version, date: r.latest.date ?? null } : null,
    releases: r.versions.length,
    behind: { level: r.behind.level, text: r.behind.text, days: r.behind.days ?? null },
    upgrades: r.upgrades.map((u) => ({
      service: u.service,
      current: u.current,
      newest: u.candidates[0]?.tag ?? null,
      kind: u.candidates[0]?.kind ?? null,
      daysBehind: u.daysBehind ?? null,
    })),
    lint: r.lint ? { errors: r.lint.errors, warnings: r.lint.warnings, infos: r.lint.infos, text: r.lint.text } : null,
    pinned: r.pinned ?? null,
    unpinned: r.unpinned,
    services: (r.latest?.services ?? []).map((s) => ({ service: s.service, image: s.familiar, tag: s.tag, digest: s.digest })),
    licence: r.licence?.name ?? null,
    maintainers: r.maintainers.map((m) => m.name),
    flags: { deprecated: r.deprecated?.reason ?? null, unmaintained: r.unmaintained, stale: r.stale?.since ?? null, recent: r.recent },
  };
}

/** A stable `urn:uuid:` (name-based, SHA-1, like a version 5 UUID) for Atom ids. */
function uuidUrn(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
