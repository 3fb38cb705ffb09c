import { createHash } from 'node:crypto';
import { type HttpClient, HttpError, type HttpResponse, nextLink, RetryableError } from '@galley/platform/http';
import { DOCKER_HUB } from '@galley/recipe';
import type { RegistryHostSettings } from '../config.js';
import { parseChallenge, type RegistryAuth } from './auth.js';

/**
 * The OCI distribution API, read-only: tag lists (following `Link` paging as
 * given: relative, absolute or with an opaque token), digests by `HEAD` with
 * every manifest type accepted, and image creation dates (manifest → config).
 */

/** Every manifest type, or some registries answer 404 (and a multi-arch pin uses the index digest). */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const MAX_PAGES = 10_000;

export interface ImageRepository {
  /** Registry host as in image references (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  registry: string;
  /** Path in that registry (`library/nginx`). */
  repository: string;
}

type Answer<T> = { kind: 'ok'; value: T } | { kind: 'unauthorized'; challenge: string | null };

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

export class RegistryClient {
  /** Authorization header per registry/repository, once a challenge was answered. */
  private readonly authorizations = new Map<string, string>();

  constructor(
    private readonly http: HttpClient,
    private readonly auth: RegistryAuth,
    private readonly hosts: Record<string, RegistryHostSettings> = {},
  ) {}

  /** Base URL of a registry's API: `https://registry-1.docker.io` for Docker Hub, plain http for loopback hosts. */
  baseUrl(registry: string): string {
    const configured = this.hosts[registry];
    if (configured?.url) return configured.url.replace(/\/+$/, '');
    if (registry === DOCKER_HUB) return 'https://registry-1.docker.io';
    const insecure = configured?.insecure ?? isLoopback(registry);
    return `${insecure ? 'http' : 'https'}://${registry}`;
  }

  private insecure(registry: string): boolean {
    return this.baseUrl(registry).startsWith('http:');
  }

  /** Sends a request, answering one auth challenge (and a second one when a token expired). */
  private async send<T>(
    image: ImageRepository,
    url: URL,
    kind: string,
    method: string,
    accept: string,
    read: (response: HttpResponse) => Promise<T>,
  ): Promise<T> {
    const key = `${image.registry}/${image.repository}`;
    const apiHost = new URL(this.baseUrl(image.registry)).host;
    for (let round = 0; round < 3; round++) {
      const headers: Record<string, string> = { accept };
      const authorization = this.authorizations.get(key);
      if (authorization) headers.authorization = authorization;
      const answer: Answer<T> = await this.http.request(url, { kind, method, headers }, async (response) => {
        if (response.status === 401) return { kind: 'unauthorized', challenge: response.header('www-authenticate') ?? null };
        return { kind: 'ok', value: await read(response) };
      });
      if (answer.kind === 'ok') return answer.value;
      const challenge = parseChallenge(answer.challenge);
      const header = challenge
        ? await this.auth.answer(challenge, image.registry, apiHost, image.repository, this.insecure(image.registry), round > 0)
        : undefined;
      if (!header || round === 2) {
        throw new HttpError(
          'http-status',
          `${image.registry}: access to ${image.repository} was refused (HTTP 401)${this.authorizations.has(key) ? ' even with a token' : ''}: is the image private? log in with docker login`,
          { host: image.registry, status: 401 },
        );
      }
      this.authorizations.set(key, header);
    }
    throw new HttpError('http-status', `${image.registry}: access to ${image.repository} was refused`, { host: image.registry, status: 401 });
  }

  private manifestFailure(image: ImageRepository, tag: string, status: number): HttpError {
    return new HttpError('http-status', `${image.registry}: the manifest of ${image.repository}:${tag} answered HTTP ${status}`, {
      host: image.registry,
      status,
    });
  }

  /** Every tag of a repository (sorted), or undefined when the registry does not know the repository. */
  async listTags(image: ImageRepository): Promise<string[] | undefined> {
    const first = new URL(`${this.baseUrl(image.registry)}/v2/${image.repository}/tags/list`);
    const tags = new Set<string>();
    const seen = new Set<string>();
    let url: URL | undefined = first;
    for (let page = 0; url; page++) {
      if (page >= MAX_PAGES || seen.has(url.href)) {
        throw new HttpError('http-bad-answer', `${image.registry}: the tag list of ${image.repository} pages in a loop (${url.href})`, {
          host: image.registry,
        });
      }
      seen.add(url.href);
      const current: URL = url;
      const result = await this.send(image, current, 'tags', 'GET', 'application/json', async (response) => {
        if (response.status === 404) return undefined;
        if (!response.ok) {
          throw new HttpError('http-status', `${image.registry}: listing the tags of ${image.repository} answered HTTP ${response.status}`, {
            host: image.registry,
            status: response.status,
          });
        }
        const text = await response.text();
        let body: { tags?: unknown };
        try {
          body = JSON.parse(text) as { tags?: unknown };
        } catch {
          throw new RetryableError(`the tag list of ${image.repository} was cut short or is not JSON`);
        }
        if (body.tags !== null && body.tags !== undefined && !(Array.isArray(body.tags) && body.tags.every((t) => typeof t === 'string'))) {
          throw new HttpError('http-bad-answer', `${image.registry}: the tag list of ${image.repository} is not a list of strings`, { host: image.registry });
        }
        return { tags: (body.tags ?? []) as string[], next: nextLink(response.header('link'), current) };
      });
      if (!result) {
        if (page === 0) return undefined;
        throw new HttpError('http-status', `${image.registry}: a later page of the tag list of ${image.repository} is missing (HTTP 404)`, {
          host: image.registry,
          status: 404,
        });
      }
      for (const tag of result.tags) tags.add(tag);
      url = result.next;
    }
    return [...tags].sort();
  }

  /** The manifest digest of a tag (`HEAD`), or null when the tag does not exist. */
  async digest(image: ImageRepository, tag: string): Promise<string | null> {
    const url = new URL(`${this.baseUrl(image.registry)}/v2/${image.repository}/manifests/${encodeURIComponent(tag)}`);
    const head = await this.send(image, url, 'digest', 'HEAD', MANIFEST_ACCEPT, async (response) => {
      if (response.status === 404) return null;
      if (!response.ok) throw this.manifestFailure(image, tag, response.status);
      return response.header('docker-content-digest') ?? '';
    });
    if (head !== '') return head;
    // No Docker-Content-Digest on HEAD: fetch the manifest and hash it.
    return this.send(image, url, 'manifest', 'GET', MANIFEST_ACCEPT, async (response) => {
      if (response.status === 404) return null;
      if (!response.ok) throw this.manifestFailure(image, tag, response.status);
      const bytes = await response.bytes();
      const length = Number(response.header('content-length') ?? bytes.length);
      if (bytes.length !== length) throw new RetryableError('the manifest was cut short');
      return response.header('docker-content-digest') ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    });
  }

  private async getJson(image: ImageRepository, path: string, kind: string, accept: string): Promise<Record<string, unknown> | undefined> {
    const url = new URL(`${this.baseUrl(image.registry)}/v2/${image.repository}/${path}`);
    return this.send(image, url, kind, 'GET', accept, async (response) => {
      if (response.status === 404) return undefined;
      if (!response.ok) {
        throw new HttpError('http-status', `${image.registry}: ${path} of ${image.repository} answered HTTP ${response.status}`, {
          host: image.registry,
          status: response.status,
        });
      }
      try {
        return JSON.parse(await response.text()) as Record<string, unknown>;
      } catch {
        throw new RetryableError(`${path} of ${image.repository} was cut short or is not JSON`);
      }
    });
  }

  /**
   * When the image a manifest digest names was built (the config's
   * `created`); for a multi-arch index, that of its linux/amd64 image (else
   * the first). Undefined when the registry or the image does not say.
   */
  async created(image: ImageRepository, digest: string): Promise<string | undefined> {
    let manifest = await this.getJson(image, `manifests/${digest}`, 'manifest', MANIFEST_ACCEPT);
    if (!manifest) return undefined;
    const mediaType = typeof manifest.mediaType === 'string' ? manifest.mediaType : '';
    if (INDEX_TYPES.has(mediaType) || Array.isArray(manifest.manifests)) {
      const entries = (manifest.manifests ?? []) as Array<{ digest?: string; platform?: { os?: string; architecture?: string } }>;
      const chosen = entries.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? entries[0];
      if (!chosen?.digest) return undefined;
      manifest = await this.getJson(image, `manifests/${chosen.digest}`, 'manifest', MANIFEST_ACCEPT);
      if (!manifest) return undefined;
    }
    const configDigest = (manifest.config as { digest?: string } | undefined)?.digest;
    if (!configDigest) return undefined;
    const config = await this.getJson(image, `blobs/${configDigest}`, 'config', 'application/json, */*');
    const created = config?.created;
    return typeof created === 'string' && !Number.isNaN(Date.parse(created)) ? created : undefined;
  }
}
