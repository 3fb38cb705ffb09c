import { type HttpClient, HttpError } from '@galley/platform/http';
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import type { SourceSpec } from '../config.js';
import type { RepoDescriptor, SourceListing } from './types.js';

/** The fields of GitHub's repository object galley reads. */
export interface GitHubRepo {
  name: string;
  description: string | null;
  default_branch?: string;
  html_url: string;
  clone_url: string;
  ssh_url: string;
  homepage: string | null;
  archived?: boolean;
  disabled?: boolean;
  /** Last push. */
  pushed_at?: string | null;
  /** Last change of the repository object. */
  updated_at?: string | null;
}

const GitHub = Octokit.plugin(paginateRest);

/**
 * Lists the repositories of a GitHub organisation (or, when there is no
 * such organisation, of a user) with octokit: paged by `Link`, through the
 * polite HTTP client (its fetch), which retries 5xx and waits out rate limits
 * (`x-ratelimit-reset`, `retry-after`); a token from `GITHUB_TOKEN` (or the
 * configured variable) when set.
 */
export async function listGitHub(
  source: Extract<SourceSpec, { kind: 'github' }>,
  http: HttpClient,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SourceListing> {
  const token = env[source.tokenEnv];
  const listing: SourceListing = { source, repos: [], skipped: [] };
  const octokit = new GitHub({
    baseUrl: source.apiUrl,
    ...(token ? { auth: token } : {}),
    userAgent: 'galley-catalogue',
    request: { fetch: http.fetcher('repos') },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  let repos: GitHubRepo[];
  try {
    try {
      repos = (await octokit.paginate('GET /orgs/{org}/repos', { org: source.org, per_page: 100, type: 'all' })) as GitHubRepo[];
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      repos = (await octokit.paginate('GET /users/{username}/repos', { username: source.org, per_page: 100, type: 'owner' })) as GitHubRepo[];
    }
  } catch (error) {
    listing.error = describeGitHubError(error, source, Boolean(token));
    return listing;
  }
  for (const repo of repos) {
    if (repo.disabled) {
      listing.skipped.push({ name: repo.name, sourceId: source.id, reason: 'disabled on GitHub' });
      continue;
    }
    const descriptor: RepoDescriptor = {
      name: repo.name,
      sourceId: source.id,
      sourceKind: 'github',
      fetchUrl: repo.clone_url,
      repository: repo.clone_url,
      sshUrl: repo.ssh_url ?? '',
      website: repo.homepage ?? '',
      description: repo.description ?? '',
      icon: '',
      archived: repo.archived ?? false,
    };
    if (repo.default_branch) descriptor.defaultBranch = repo.default_branch;
    const pushedAt = githubPushStamp(repo);
    if (pushedAt !== undefined) descriptor.pushedAt = pushedAt;
    listing.repos.push(descriptor);
  }
  return listing;
}

/**
 * What tells a push on GitHub: `pushed_at` (the last push) with
 * `updated_at` beside it, so that a change only one of them shows still
 * makes the next run ask the repository for its refs (a needless ask costs
 * one ref check; a missed push would cost a release). Absent when GitHub
 * gives no push time (the refs are always asked then).
 */
function githubPushStamp(repo: Pick<GitHubRepo, 'pushed_at' | 'updated_at'>): string | undefined {
  if (!repo.pushed_at) return undefined;
  return repo.updated_at ? `${repo.pushed_at} ${repo.updated_at}` : repo.pushed_at;
}

function describeGitHubError(error: unknown, source: Extract<SourceSpec, { kind: 'github' }>, hasToken: boolean): string {
  // Failures of the HTTP client (rate limits and 5xx after their retries, the network) reach octokit as the cause of its error.
  const cause = (error as { cause?: unknown }).cause;
  const status = cause instanceof HttpError ? cause.status : (error as { status?: number }).status;
  const host = new URL(source.apiUrl).host;
  if (status === 401) return `${host}: GitHub rejected the token in ${source.tokenEnv} (HTTP 401): renew it or unset it`;
  if (status === 403 || status === 429) {
    return `${host}: GitHub's rate limit stopped the listing of ${source.org} (HTTP ${status})${hasToken ? '' : `: set ${source.tokenEnv} for a higher limit`}`;
  }
  if (status === 404) return `${host}: GitHub has no organisation or user "${source.org}"`;
  if (cause instanceof HttpError) return cause.message;
  return `${host}: listing ${source.org} failed: ${status ? `HTTP ${status}: ` : ''}${(error as Error).message}`;
}
