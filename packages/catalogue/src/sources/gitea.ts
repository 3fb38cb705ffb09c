import { type HttpClient, HttpError, nextLink, RetryableError } from '@galley/platform/http';
import type { SourceSpec } from '../config.js';
import type { RepoDescriptor, SourceListing } from './types.js';

/** The fields of Gitea's (and Forgejo's) repository object galley reads. */
export interface GiteaRepo {
  name: string;
  description?: string;
  default_branch?: string;
  html_url?: string;
  clone_url: string;
  ssh_url?: string;
  website?: string;
  avatar_url?: string;
  archived?: boolean;
  empty?: boolean;
  /** A pull mirror: its `updated_at` is the newest commit's date, not the last sync. */
  mirror?: boolean;
  /** Moved by every push (branches and tags alike). */
  updated_at?: string;
}

const PAGE_SIZE = 50;
const MAX_PAGES = 1000;

/**
 * Lists a Gitea/Forgejo organisation's repositories (`/api/v1/orgs/<org>/repos`,
 * or `/api/v1/users/<user>/repos` when there is no such organisation), paged
 * by the `Link` header, through the polite HTTP client (retries, rate limits).
 */
export async function listGitea(
  source: Extract<SourceSpec, { kind: 'gitea' }>,
  http: HttpClient,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SourceListing> {
  const token = env[source.tokenEnv];
  const listing: SourceListing = { source, repos: [], skipped: [] };
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `token ${token}`;
  const host = new URL(source.url).host;

  const listFrom = async (first: URL): Promise<GiteaRepo[] | undefined> => {
    const repos: GiteaRepo[] = [];
    const seen = new Set<string>();
    let url: URL | undefined = first;
    for (let page = 0; url; page++) {
      if (page >= MAX_PAGES || seen.has(url.href))
        throw new HttpError('http-bad-answer', `${host}: the repository list of ${source.org} pages in a loop`, { host });
      seen.add(url.href);
      const current: URL = url;
      const result = await http.request(current, { kind: 'repos', headers }, async (response) => {
        if (response.status === 404 && page === 0) return undefined;
        if (response.status === 401 || response.status === 403) {
          throw new HttpError(
            'http-status',
            `${host}: the forge refused the listing of ${source.org} (HTTP ${response.status})${token ? `: check the token in ${source.tokenEnv}` : ''}`,
            { host, status: response.status },
          );
        }
        if (!response.ok)
          throw new HttpError('http-status', `${host}: listing ${source.org} answered HTTP ${response.status}`, { host, status: response.status });
        let body: unknown;
        try {
          body = JSON.parse(await response.text());
        } catch {
          throw new RetryableError('the repository list was cut short or is not JSON');
        }
        if (!Array.isArray(body)) throw new HttpError('http-bad-answer', `${host}: listing ${source.org} did not answer a list of repositories`, { host });
        const items = body as GiteaRepo[];
        // Older Gitea versions send no Link header: a full page means there may be more.
        const next =
          nextLink(response.header('link'), current) ??
          (response.header('link') !== undefined || items.length < PAGE_SIZE ? undefined : pageUrl(current, page + 2));
        return { items, next };
      });
      if (!result) return undefined;
      repos.push(...result.items);
      url = result.items.length === 0 ? undefined : result.next;
    }
    return repos;
  };

  let repos: GiteaRepo[] | undefined;
  try {
    repos = await listFrom(pageUrl(new URL(`${source.url}/api/v1/orgs/${encodeURIComponent(source.org)}/repos`), 1));
    repos ??= await listFrom(pageUrl(new URL(`${source.url}/api/v1/users/${encodeURIComponent(source.org)}/repos`), 1));
    if (!repos) {
      listing.error = `${host}: the forge has no organisation or user "${source.org}"`;
      return listing;
    }
  } catch (error) {
    listing.error = error instanceof HttpError ? error.message : `${host}: listing ${source.org} failed: ${(error as Error).message}`;
    return listing;
  }
  for (const repo of repos) {
    if (repo.empty) {
      listing.skipped.push({ name: repo.name, sourceId: source.id, reason: 'the repository is empty' });
      continue;
    }
    const descriptor: RepoDescriptor = {
      name: repo.name,
      sourceId: source.id,
      sourceKind: 'gitea',
      fetchUrl: repo.clone_url,
      repository: repo.clone_url,
      sshUrl: repo.ssh_url ?? '',
      website: repo.website ?? '',
      description: repo.description ?? '',
      icon: repo.avatar_url ?? '',
      archived: repo.archived ?? false,
    };
    if (repo.default_branch) descriptor.defaultBranch = repo.default_branch;
    // Gitea and Forgejo move updated_at on every push; a pull mirror's is its newest commit's date, which a new tag on an old commit does not move.
    if (repo.updated_at && !repo.mirror) descriptor.pushedAt = repo.updated_at;
    listing.repos.push(descriptor);
  }
  return listing;
}

function pageUrl(base: URL, page: number): URL {
  const url = new URL(base);
  url.searchParams.set('page', String(page));
  url.searchParams.set('limit', String(PAGE_SIZE));
  return url;
}
