import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@galley/platform/fs';
import type { ImageRepository, RegistryClient } from './client.js';

/**
 * What the registries said, asked at most once per run and kept on disk with
 * a time to live: tag lists per image repository, digests per image:tag, and
 * image creation dates per manifest digest (content-addressed, so they never
 * expire). Concurrent askers of the same thing share one request.
 */

export const REGISTRY_CACHE_VERSION = 1;
/** Entries unused this long are dropped when the cache is saved. */
const FORGET_AFTER_MS = 30 * 86_400_000;

interface TimedEntry<T> {
  at: number;
  value: T;
}

interface RegistryCacheFile {
  version: number;
  tags: Record<string, TimedEntry<string[] | null>>;
  digests: Record<string, TimedEntry<string | null>>;
  created: Record<string, TimedEntry<string | null>>;
}

export interface CacheHits {
  tags: number;
  digests: number;
  created: number;
}

export interface ResolverSettings {
  tagsTtlMs: number;
  digestsTtlMs: number;
  /** Ignore what the cache holds (still write what is learnt). */
  refresh: boolean;
}

function emptyCache(): RegistryCacheFile {
  return { version: REGISTRY_CACHE_VERSION, tags: {}, digests: {}, created: {} };
}

export async function loadRegistryCache(file: string): Promise<RegistryCacheFile> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as RegistryCacheFile;
    if (data.version !== REGISTRY_CACHE_VERSION || typeof data.tags !== 'object' || typeof data.digests !== 'object') return emptyCache();
    data.created ??= {};
    return data;
  } catch {
    return emptyCache();
  }
}

const keyOf = (image: ImageRepository): string => `${image.registry}/${image.repository}`;

export class ImageResolver {
  readonly hits: CacheHits = { tags: 0, digests: 0, created: 0 };
  private readonly inflight = new Map<string, Promise<unknown>>();
  private dirty = false;

  constructor(
    private readonly client: RegistryClient,
    private readonly cache: RegistryCacheFile,
    private readonly settings: ResolverSettings,
    private readonly now: () => number = Date.now,
  ) {}

  private once<T>(key: string, ask: () => Promise<T>): Promise<T> {
    let pending = this.inflight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = ask();
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private fresh<T>(entry: TimedEntry<T> | undefined, ttl: number): entry is TimedEntry<T> {
    return entry !== undefined && !this.settings.refresh && this.now() - entry.at < ttl;
  }

  /** Sorted tags, or null when the registry does not know the repository. */
  tags(image: ImageRepository): Promise<string[] | null> {
    const key = keyOf(image);
    return this.once(`tags ${key}`, async () => {
      const cached = this.cache.tags[key];
      if (this.fresh(cached, this.settings.tagsTtlMs)) {
        this.hits.tags++;
        return cached.value;
      }
      const value = (await this.client.listTags(image)) ?? null;
      this.cache.tags[key] = { at: this.now(), value };
      this.dirty = true;
      return value;
    });
  }

  /** The digest of image:tag, or null when the tag does not exist. */
  digest(image: ImageRepository, tag: string): Promise<string | null> {
    const key = `${keyOf(image)}:${tag}`;
    return this.once(`digest ${key}`, async () => {
      const cached = this.cache.digests[key];
      if (this.fresh(cached, this.settings.digestsTtlMs)) {
        this.hits.digests++;
        return cached.value;
      }
      const value = await this.client.digest(image, tag);
      this.cache.digests[key] = { at: this.now(), value };
      this.dirty = true;
      return value;
    });
  }

  /** When the image behind a manifest digest was created (never expires: digests are content). */
  created(image: ImageRepository, digest: string): Promise<string | null> {
    const key = `${keyOf(image)}@${digest}`;
    return this.once(`created ${key}`, async () => {
      const cached = this.cache.created[key];
      if (cached !== undefined && !this.settings.refresh) {
        this.hits.created++;
        cached.at = this.now();
        return cached.value;
      }
      const value = (await this.client.created(image, digest)) ?? null;
      this.cache.created[key] = { at: this.now(), value };
      this.dirty = true;
      return value;
    });
  }

  /** Writes the cache back (atomically) when something was learnt. */
  async save(file: string): Promise<void> {
    if (!this.dirty) return;
    const limit = this.now() - FORGET_AFTER_MS;
    const keep = <T>(map: Record<string, TimedEntry<T>>): Record<string, TimedEntry<T>> =>
      Object.fromEntries(Object.entries(map).filter(([, e]) => e.at >= limit));
    const data: RegistryCacheFile = {
      version: REGISTRY_CACHE_VERSION,
      tags: keep(this.cache.tags),
      digests: keep(this.cache.digests),
      created: keep(this.cache.created),
    };
    await writeFileAtomic(file, JSON.stringify(data), { createFolder: true });
  }
}
