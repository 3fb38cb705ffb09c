import { readFile } from 'node:fs/promises';
import { type HttpClient, HttpError, RetryableError } from '@galley/platform/http';

/**
 * Registry authentication: the bearer-token flow every registry uses (a
 * `401` with `WWW-Authenticate: Bearer realm=…,service=…,scope=…`, then
 * `GET realm?service=…&scope=…` for a token), Basic auth when a registry asks
 * for it, and credentials from the Docker client's `config.json`, which are
 * sent only to the host they belong to (and to that registry's own token
 * service), never over plain http unless the registry itself is plain http.
 */

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (also unquoted values). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p = re.exec(m[2]!); p; p = re.exec(m[2]!)) params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: m[1]!.toLowerCase(), params };
}

export interface Credential {
  username: string;
  password: string;
}

const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://registry-1.docker.io'];

/** Credentials by registry host, from a Docker client config (`auths` only; credential helpers are not run). */
export async function readDockerCredentials(file: string | undefined): Promise<{ credentials: Map<string, Credential>; warning?: string }> {
  const credentials = new Map<string, Credential>();
  if (!file) return { credentials };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { credentials };
  }
  let data: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    return { credentials, warning: `${file} is not valid JSON: its registry credentials are not used` };
  }
  for (const [key, entry] of Object.entries(data.auths ?? {})) {
    let username = entry.username;
    let password = entry.password;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
    }
    if (!username || password === undefined) continue;
    const host = DOCKER_HUB_KEYS.includes(key) ? 'docker.io' : key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    credentials.set(host, { username, password });
  }
  return { credentials };
}

/** Token services that belong to a registry on another host. */
const KNOWN_AUTH_HOSTS: Record<string, string[]> = {
  'docker.io': ['auth.docker.io'],
  'registry.gitlab.com': ['gitlab.com'],
};

/** Whether credentials of `registry` may be sent to `url`. */
export function mayReceiveCredentials(registry: string, apiHost: string, url: URL, registryInsecure: boolean): boolean {
  if (url.protocol !== 'https:' && !registryInsecure) return false;
  return url.host === registry || url.host === apiHost || (KNOWN_AUTH_HOSTS[registry] ?? []).includes(url.host);
}

interface CachedToken {
  header: string;
  expiresAt: number;
}

export class RegistryAuth {
  private readonly tokens = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly http: HttpClient,
    private readonly credentials: Map<string, Credential>,
  ) {}

  /**
   * The Authorization header answering `challenge` for `registry`, or
   * undefined when there is nothing to answer with (Basic without
   * credentials). Tokens are cached per realm, service and scope.
   */
  async answer(challenge: Challenge, registry: string, apiHost: string, repository: string, insecure: boolean, renew = false): Promise<string | undefined> {
    const credential = this.credentials.get(registry);
    if (challenge.scheme === 'basic') {
      if (!credential) return undefined;
      return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
    }
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) return undefined;
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw new HttpError('http-bad-answer', `${registry}: the registry's token realm "${challenge.params.realm}" is not a URL`, {
        host: registry,
        transient: false,
      });
    }
    const scope = challenge.params.scope || `repository:${repository}:pull`;
    const service = challenge.params.service ?? '';
    const key = `${realm.href}|${service}|${scope}`;
    const known = this.tokens.get(key);
    if (known && !renew) {
      const token = await known.catch(() => undefined);
      if (token && token.expiresAt > Date.now()) return token.header;
    }
    const pending = this.fetchToken(realm, service, scope, registry, apiHost, insecure, credential);
    this.tokens.set(key, pending);
    pending.catch(() => this.tokens.delete(key));
    return (await pending).header;
  }

  private async fetchToken(
    realm: URL,
    service: string,
    scope: string,
    registry: string,
    apiHost: string,
    insecure: boolean,
    credential: Credential | undefined,
  ): Promise<CachedToken> {
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credential && mayReceiveCredentials(registry, apiHost, url, insecure)) {
      headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
    }
    return this.http.request(url, { kind: 'token', headers }, async (response) => {
      if (response.status === 401 || response.status === 403) {
        throw new HttpError(
          'http-status',
          `${url.host}: the token service refused ${credential ? 'the credentials from the Docker config' : 'anonymous access'} for ${scope} (HTTP ${response.status})${credential ? '' : ': log in with docker login if the image is private'}`,
          { host: url.host, status: response.status },
        );
      }
      if (!response.ok) {
        throw new HttpError('http-status', `${url.host}: the token service answered HTTP ${response.status}`, { host: url.host, status: response.status });
      }
      let body: { token?: string; access_token?: string; expires_in?: number };
      try {
        body = JSON.parse(await response.text()) as typeof body;
      } catch {
        throw new RetryableError('the token answer was cut short or is not JSON');
      }
      const token = body.token ?? body.access_token;
      if (!token) throw new HttpError('http-bad-answer', `${url.host}: the token service answered without a token`, { host: url.host });
      // Renew 10 s early; registries default to 60 s when they say nothing.
      const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
      return { header: `Bearer ${token}`, expiresAt: Date.now() + Math.max(1, seconds - 10) * 1000 };
    });
  }
}
