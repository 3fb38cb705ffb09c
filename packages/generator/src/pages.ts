import { createHash } from 'node:crypto';
import { badgeView } from './badge.js';
import { SCORE_FILTERS, SORT_OPTIONS } from './filters.js';
import { SEARCH_INDEX_FILE } from './search-options.js';
import type { Templates } from './templates.js';
import type { CategoryView, RecipeView, SiteModel } from './view-model.js';

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
 * from the site and from https (README images), fetch only from the site.
 */
export function contentSecurityPolicy(extraStyleHashes: string[] = []): string {
  const styles = ["'self'", ...extraStyleHashes.map((h) => `'${h}'`)].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${styles}`,
    "img-src 'self' https:",
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
  notFound(): SiteFile;
  feed(): SiteFile;
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
      script: extra.script ?? false,
    };
  };
  const common = { model, filters: SCORE_FILTERS, sorts: SORT_OPTIONS, searchIndex: SEARCH_INDEX_FILE };

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
      return [
        {
          path: recipe.path,
          content: templates.render('recipe', {
            ...common,
            recipe,
            badge,
            readme,
            page: page(recipe.path, { title: `${recipe.name} · ${options.title}`, description: recipe.summary || `The ${recipe.name} recipe` }),
          }),
        },
        { path: recipe.badgePath, content: templates.render('badge', { badge }) },
      ];
    },
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
 * and its one link goes to --base-url, or to `/` without one.
 */
function renderNotFound(templates: Templates, options: PageOptions): string {
  const style = templates.readText('not-found.css').trim();
  const hash = `sha256-${createHash('sha256').update(style).digest('base64')}`;
  return templates.render('not-found', {
    style,
    page: { title: `Not found · ${options.title}`, siteTitle: options.title, csp: contentSecurityPolicy([hash]), home: options.baseUrl ?? '/' },
  });
}

function renderFeed(model: SiteModel, templates: Templates, options: PageOptions): string {
  const base = options.baseUrl ?? '';
  const entries = model.releases.slice(0, options.feedEntries ?? 50).map((release) => ({
    id: uuidUrn(`${base}|${release.recipe.key}|${release.version.version}`),
    title: `${release.recipe.name} ${release.version.version}`,
    link: `${base}${release.recipe.path}`,
    updated: `${release.date}T00:00:00Z`,
    recipe: release.recipe,
    version: release.version,
  }));
  return templates.render('feed', {
    title: `New releases · ${options.title}`,
    id: uuidUrn(`${base}|feed`),
    self: `${base}feed.xml`,
    home: `${base}index.html`,
    updated: `${model.newestRelease ?? '1970-01-01'}T00:00:00Z`,
    entries,
  });
}

/** A stable `urn:uuid:` (name-based, SHA-1, like a version 5 UUID) for Atom ids. */
function uuidUrn(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
