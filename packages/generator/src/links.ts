import { createHash } from 'node:crypto';
import { parseImageRef } from '@galley/recipe';

/**
 * The URL when it is an absolute http(s) URL, normalised by the URL parser;
 * undefined for anything else (`javascript:`, `data:`, relative, garbage).
 */
export function safeHttpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (!url.hostname) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

/**
 * The web page of a recipe repository from its clone URL:
 * `https://host/org/repo.git`, `ssh://git@host:2222/org/repo.git` and
 * `git@host:org/repo.git` all become `https://host/org/repo`.
 */
export function repositoryWebUrl(repository: string | undefined): string | undefined {
  if (!repository) return undefined;
  let text = repository.trim();
  const scp = /^[\w.-]+@([\w.-]+):(?!\d+\/)(.+)$/.exec(text);
  if (scp) text = `https://${scp[1]}/${scp[2]}`;
  else if (/^(ssh|git):\/\//i.test(text)) {
    try {
      const url = new URL(text);
      text = `https://${url.hostname}${url.pathname}`;
    } catch {
      return undefined;
    }
  }
  const url = safeHttpUrl(text);
  if (!url) return undefined;
  return url.replace(/\.git\/?$/, '').replace(/\/$/, '');
}

/** The link to a file in the repository's web view, for relative links in a README. */
export function repositoryFileUrl(webUrl: string, branch: string, file: string, raw: boolean): string | undefined {
  const host = new URL(webUrl).hostname;
  const ref = encodeURIComponent(branch || 'main');
  const clean = file.replace(/^\.?\//, '');
  let url: string;
  if (host === 'github.com') url = `${webUrl}/${raw ? 'raw' : 'blob'}/${ref}/${clean}`;
  else if (host === 'gitlab.com' || host.startsWith('gitlab.')) url = `${webUrl}/-/${raw ? 'raw' : 'blob'}/${ref}/${clean}`;
  else url = `${webUrl}/${raw ? 'raw' : 'src'}/branch/${ref}/${clean}`; // Gitea, Forgejo (git.coopcloud.tech, Codeberg)
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

const pageCache = new Map<string, string | undefined>();
const familiarCache = new Map<string, string>();

/** The registry's web page for an image, where galley knows one. */
export function imagePageUrl(image: string): string | undefined {
  if (pageCache.has(image)) return pageCache.get(image);
  const url = computeImagePageUrl(image);
  if (pageCache.size < 50_000) pageCache.set(image, url);
  return url;
}

function computeImagePageUrl(image: string): string | undefined {
  const parsed = parseImageRef(image);
  if (!parsed.ok) return undefined;
  const { registry, repository } = parsed.ref;
  switch (registry) {
    case 'docker.io':
      return repository.startsWith('library/') ? `https://hub.docker.com/_/${repository.slice(8)}` : `https://hub.docker.com/r/${repository}`;
    case 'ghcr.io':
      return `https://ghcr.io/${repository}`;
    case 'quay.io':
      return `https://quay.io/repository/${repository}`;
    case 'registry.gitlab.com':
      return `https://gitlab.com/${repository}/container_registry`;
    case 'codeberg.org':
    case 'git.coopcloud.tech': {
      const [owner, ...rest] = repository.split('/');
      return rest.length ? `https://${registry}/${owner}/-/packages/container/${rest.join('/')}` : undefined;
    }
    default:
      return undefined;
  }
}

/** The familiar form of an image name (`nginx`, `ghcr.io/org/app`), or the name as written. */
export function familiarImage(image: string): string {
  let out = familiarCache.get(image);
  if (out === undefined) {
    out = computeFamiliarImage(image);
    if (familiarCache.size < 50_000) familiarCache.set(image, out);
  }
  return out;
}

function computeFamiliarImage(image: string): string {
  const parsed = parseImageRef(image);
  if (!parsed.ok) return image;
  const { familiar, tag, digest } = parsed.ref;
  let out = familiar;
  if (digest) out = out.slice(0, out.length - digest.length - 1);
  if (tag) out = out.slice(0, out.length - tag.length - 1);
  return out;
}

function readableSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 60)
    .replace(/[-_]+$/, '');
}

/**
 * File-system and URL safe names for recipe or category pages: lower case
 * letters, digits, `-` and `_`. A name that is already safe keeps its own
 * name; a name that reads the same as another (`Apps` and `apps`), or has no
 * letters at all, gets a hash of the original added, so two names never
 * share a page and the result depends only on the set of names.
 */
export function assignSlugs(names: Iterable<string>): Map<string, string> {
  const all = [...new Set(names)].sort();
  const readable = new Map(all.map((n) => [n, readableSlug(n)]));
  const counts = new Map<string, number>();
  for (const slug of readable.values()) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of all) {
    const slug = readable.get(name)!;
    if (slug && (counts.get(slug) === 1 || slug === name)) {
      out.set(name, slug);
      taken.add(slug);
    }
  }
  for (const name of all) {
    if (out.has(name)) continue;
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
    const base = readable.get(name) || 'x';
    let slug = `${base}-${hash}`;
    for (let i = 2; taken.has(slug); i++) slug = `${base}-${hash}-${i}`;
    out.set(name, slug);
    taken.add(slug);
  }
  return out;
}
