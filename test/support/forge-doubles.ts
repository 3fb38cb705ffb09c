// Local doubles of the two forge APIs the catalogue lists repositories from
// (GitHub's REST API and Gitea/Forgejo's /api/v1), for what cannot run here.
// They answer with the real APIs' JSON shapes, status codes and headers:
// `Link` paging (`<…?page=2>; rel="next"`, plus first/prev/last), GitHub's
// rate-limit headers and its primary (403, x-ratelimit-remaining: 0) and
// secondary (403 + retry-after) limits, 429s, 401 for a bad token, 404 bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalHttpServer, startHttpServer } from './http.js';

export interface ForgeRepo {
  name: string;
  description?: string;
  /** Default `main`. */
  defaultBranch?: string;
  /** What the API gives as clone_url (tests point it at their git daemon). */
  cloneUrl: string;
  sshUrl?: string;
  /** GitHub `homepage`, Gitea `website`. */
  website?: string;
  archived?: boolean;
  /** Gitea: a repository with no commits. */
  empty?: boolean;
  /** Gitea: a pull mirror of another repository. */
  mirror?: boolean;
  /** When it last received a push: GitHub's `pushed_at` and `updated_at`, Gitea's `updated_at` (default 2024-01-01). Tests move it when they push. */
  pushedAt?: string;
}

export interface ForgeFaults {
  /** Answer these request numbers (1-based, counting every request) with a fault. */
  at?: Record<number, 'rate-limit' | 'secondary-rate-limit' | '429' | '500'>;
}

export interface ForgeDoubleOptions {
  /** Organisation → its repositories. */
  orgs?: Record<string, ForgeRepo[]>;
  /** User → their repositories (asked when there is no organisation of that name). */
  users?: Record<string, ForgeRepo[]>;
  /** When set, a request with any other token gets 401 (no token: anonymous, allowed). */
  token?: string;
  faults?: ForgeFaults;
  /** Largest page (GitHub 100, Gitea 50). */
  maxPageSize?: number;
  /** Seconds a rate-limit fault asks to wait (default 1). */
  waitSeconds?: number;
}

export interface ForgeRequest {
  method: string;
  path: string;
  status: number;
  authorization?: string;
}

export interface ForgeDouble extends LocalHttpServer {
  readonly requests: ForgeRequest[];
}

const EPOCH = '2024-01-01T00:00:00Z';

function paged<T>(items: T[], page: number, perPage: number): { slice: T[]; last: number } {
  const last = Math.max(1, Math.ceil(items.length / perPage));
  return { slice: items.slice((page - 1) * perPage, page * perPage), last };
}

function linkHeader(base: URL, page: number, last: number): string | undefined {
  const at = (p: number) => {
    const u = new URL(base);
    u.searchParams.set('page', String(p));
    return u.href;
  };
  const parts: string[] = [];
  if (page < last) parts.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) parts.push(`<${at(1)}>; rel="first"`, `<${at(page - 1)}>; rel="prev"`);
  return parts.length ? parts.join(', ') : undefined;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function tokenOf(req: IncomingMessage): string | undefined {
  const m = /^(?:token|Bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** GitHub's REST API: `GET /orgs/{org}/repos`, `GET /users/{user}/repos`. */
export async function startGitHubDouble(options: ForgeDoubleOptions): Promise<ForgeDouble> {
  const requests: ForgeRequest[] = [];
  let remaining = 5000;
  let server: LocalHttpServer | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', server!.url);
    const record = (status: number) => {
      const entry: ForgeRequest = { method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, status };
      if (req.headers.authorization) entry.authorization = req.headers.authorization.split(' ')[0]!;
      requests.push(entry);
    };
    const reset = Math.floor(Date.now() / 1000) + (options.waitSeconds ?? 1);
    const rate = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-used': String(5000 - remaining),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': '2022-11-28',
    };
    const fault = options.faults?.at?.[requests.length + 1];
    if (fault === 'rate-limit') {
      record(403);
      send(
        res,
        403,
        {
          message: "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit.)",
          documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
        },
        { ...rate, 'x-ratelimit-remaining': '0' },
      );
      return;
    }
    if (fault === 'secondary-rate-limit') {
      record(403);
      send(
        res,
        403,
        {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
        { ...rate, 'retry-after': String(options.waitSeconds ?? 1) },
      );
      return;
    }
    if (fault === '429') {
      record(429);
      send(
        res,
        429,
        { message: 'You have exceeded a secondary rate limit.', documentation_url: 'https://docs.github.com/rest' },
        { ...rate, 'retry-after': String(options.waitSeconds ?? 1) },
      );
      return;
    }
    if (fault === '500') {
      record(500);
      send(res, 500, { message: 'Server Error' });
      return;
    }
    const token = tokenOf(req);
    if (token !== undefined && options.token !== undefined && token !== options.token) {
      record(401);
      send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      return;
    }
    remaining = Math.max(0, remaining - 1);
    const m = /^\/(orgs|users)\/([^/]+)\/repos$/.exec(url.pathname);
    const owner = m ? decodeURIComponent(m[2]!) : '';
    const repos = m?.[1] === 'orgs' ? options.orgs?.[owner] : m?.[1] === 'users' ? options.users?.[owner] : undefined;
    if (!repos) {
      record(404);
      send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }, rate);
      return;
    }
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, options.maxPageSize ?? 100);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const { slice, last } = paged(repos, page, perPage);
    const body = slice.map((r, i) => ({
      id: 1000 + i + (page - 1) * perPage,
      node_id: `R_${owner}_${r.name}`,
      name: r.name,
      full_name: `${owner}/${r.name}`,
      private: false,
      owner: { login: owner, id: 42, type: m![1] === 'orgs' ? 'Organization' : 'User', site_admin: false },
      html_url: `https://github.com/${owner}/${r.name}`,
      description: r.description ?? null,
      fork: false,
      url: `${server!.url}/repos/${owner}/${r.name}`,
      created_at: EPOCH,
      updated_at: r.pushedAt ?? EPOCH,
      pushed_at: r.pushedAt ?? EPOCH,
      git_url: `git://github.com/${owner}/${r.name}.git`,
      ssh_url: r.sshUrl ?? `git@github.com:${owner}/${r.name}.git`,
      clone_url: r.cloneUrl,
      svn_url: `https://github.com/${owner}/${r.name}`,
      homepage: r.website ?? null,
      size: 10,
      stargazers_count: 0,
      watchers_count: 0,
      language: null,
      forks_count: 0,
      archived: r.archived ?? false,
      disabled: false,
      open_issues_count: 0,
      license: null,
      topics: [],
      visibility: 'public',
      default_branch: r.defaultBranch ?? 'main',
    }));
    const headers: Record<string, string> = { ...rate };
    const link = linkHeader(url, page, last);
    if (link) headers.link = link;
    record(200);
    send(res, 200, body, headers);
  };
  server = await startHttpServer(handler);
  return Object.assign(server, { requests });
}

/** Gitea/Forgejo's API: `GET /api/v1/orgs/{org}/repos`, `GET /api/v1/users/{user}/repos`. */
export async function startGiteaDouble(options: ForgeDoubleOptions): Promise<ForgeDouble> {
  const requests: ForgeRequest[] = [];
  let server: LocalHttpServer | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', server!.url);
    const record = (status: number) => {
      const entry: ForgeRequest = { method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, status };
      if (req.headers.authorization) entry.authorization = req.headers.authorization.split(' ')[0]!;
      requests.push(entry);
    };
    const fault = options.faults?.at?.[requests.length + 1];
    if (fault === '429' || fault === 'rate-limit' || fault === 'secondary-rate-limit') {
      record(429);
      send(res, 429, { message: 'rate limit exceeded', url: `${server!.url}/api/swagger` }, { 'retry-after': String(options.waitSeconds ?? 1) });
      return;
    }
    if (fault === '500') {
      record(500);
      send(res, 500, { message: 'internal error', url: `${server!.url}/api/swagger` });
      return;
    }
    const token = tokenOf(req);
    if (token !== undefined && options.token !== undefined && token !== options.token) {
      record(401);
      send(res, 401, { message: 'user does not exist [uid: 0, name: ]', url: `${server!.url}/api/swagger` });
      return;
    }
    const m = /^\/api\/v1\/(orgs|users)\/([^/]+)\/repos$/.exec(url.pathname);
    const owner = m ? decodeURIComponent(m[2]!) : '';
    const repos = m?.[1] === 'orgs' ? options.orgs?.[owner] : m?.[1] === 'users' ? options.users?.[owner] : undefined;
    if (!repos) {
      record(404);
      send(res, 404, { errors: null, message: m?.[1] === 'users' ? 'GetUserByName' : 'GetOrgByName', url: `${server!.url}/api/swagger` });
      return;
    }
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 30) || 30, options.maxPageSize ?? 50);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const { slice, last } = paged(repos, page, limit);
    const host = new URL(server!.url).host;
    const body = slice.map((r, i) => ({
      id: 2000 + i + (page - 1) * limit,
      owner: { id: 7, login: owner, login_name: '', full_name: '', email: '', avatar_url: `${server!.url}/avatars/${owner}`, username: owner },
      name: r.name,
      full_name: `${owner}/${r.name}`,
      description: r.description ?? '',
      empty: r.empty ?? false,
      private: false,
      fork: false,
      template: false,
      parent: null,
      mirror: r.mirror ?? false,
      size: 10,
      language: '',
      languages_url: `${server!.url}/api/v1/repos/${owner}/${r.name}/languages`,
      html_url: `${server!.url}/${owner}/${r.name}`,
      url: `${server!.url}/api/v1/repos/${owner}/${r.name}`,
      link: '',
      ssh_url: r.sshUrl ?? `ssh://git@${host.replace(/:\d+$/, '')}:2222/${owner}/${r.name}.git`,
      clone_url: r.cloneUrl,
      original_url: '',
      website: r.website ?? '',
      stars_count: 0,
      forks_count: 0,
      watchers_count: 1,
      open_issues_count: 0,
      open_pr_counter: 0,
      release_counter: 0,
      default_branch: r.defaultBranch ?? 'main',
      archived: r.archived ?? false,
      created_at: EPOCH,
      updated_at: r.pushedAt ?? EPOCH,
      archived_at: '1970-01-01T00:00:00Z',
      permissions: { admin: false, push: false, pull: true },
      has_issues: true,
      internal: false,
      avatar_url: '',
      topics: [],
    }));
    const headers: Record<string, string> = { 'x-total-count': String(repos.length), 'access-control-expose-headers': 'X-Total-Count, Link' };
    const link = linkHeader(url, page, last);
    if (link) headers.link = link;
    record(200);
    send(res, 200, body, headers);
  };
  server = await startHttpServer(handler);
  return Object.assign(server, { requests });
}
