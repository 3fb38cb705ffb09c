// A real OCI distribution registry (Debian's `docker-registry`, distribution
// 2.8) on a free loopback port, with filesystem storage in a temp dir and no
// auth, plus ways to fill it with images and tags.
//
// Quirks of this registry worth knowing in tests (see
// shared/reference/catalogue.md): tags/list ignores `n`/`last`, sends no
// `Link` header and returns tags unsorted. Paging, bearer auth and 429s need a
// proxy in front of it.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort, waitForHttp } from './net.js';
import { type ManagedProcess, makeTempDir, removeTempDir, startProcess } from './process.js';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** The Accept header a client should send for manifests (all four types). */
export const MANIFEST_ACCEPT = [MediaTypes.ociIndex, MediaTypes.ociManifest, MediaTypes.dockerManifestList, MediaTypes.dockerManifest].join(', ');

export type ManifestFormat = 'oci' | 'docker';

export interface SeedImageOptions {
  /** A different config (a label with the tag) per tag, so every tag has its own digest. Default false: all tags share one manifest. */
  distinctDigests?: boolean;
  /** OCI image manifest (default) or Docker schema 2. */
  format?: ManifestFormat;
  /** Parallel requests (default 8). */
  concurrency?: number;
}

export interface SeedTagsFastOptions {
  distinctDigests?: boolean;
  format?: ManifestFormat;
}

export interface SeedIndexOptions {
  /** `os/arch[/variant]` (default linux/amd64 and linux/arm64). */
  platforms?: string[];
  format?: ManifestFormat;
}

export interface SeededIndex {
  /** The digest a multi-arch pin uses. */
  digest: string;
  manifests: Array<{ platform: string; digest: string }>;
}

export interface LocalRegistry {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** 127.0.0.1:PORT, as in an image reference */
  readonly host: string;
  readonly port: number;
  /** The registry's filesystem storage root (`docker/registry/v2/...` below it). */
  readonly storageDir: string;
  /** Pushes an image and one manifest per tag over the API; returns tag → manifest digest. */
  seedImage(name: string, tags: readonly string[], options?: SeedImageOptions): Promise<Map<string, string>>;
  /** One real push, then the other tags as link files written into storage (5000 tags: ~1.5–3 s under /tmp here, <1 s on tmpfs); returns tag → manifest digest. */
  seedTagsFast(name: string, tags: readonly string[], options?: SeedTagsFastOptions): Promise<Map<string, string>>;
  /** Pushes one image per platform and an index (manifest list) tagged `tag`. */
  seedIndex(name: string, tag: string, options?: SeedIndexOptions): Promise<SeededIndex>;
  /** GET /v2/<name>/tags/list (unsorted, as the registry answers). */
  listTags(name: string): Promise<string[]>;
  /** HEAD /v2/<name>/manifests/<reference> with all four manifest types accepted; undefined on 404. */
  headDigest(name: string, reference: string): Promise<string | undefined>;
  /** The folder holding a repository's links (`.../repositories/<name>`). */
  repositoryDir(name: string): string;
  /** The registry's recent log output. */
  logs(): string;
  stop(): Promise<void>;
}

export interface StartRegistryOptions {
  /** distribution log level (default 'error'; 'info' logs every request). */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** Start timeout (default 15000 ms). */
  timeoutMs?: number;
  /**
   * Where its temp dir (config + storage) is made, default os.tmpdir(). The
   * disk behind /tmp is slow for many small files on these machines; /dev/shm
   * (tmpfs) makes seedTagsFast and stop() with thousands of tags ~10x faster.
   */
  parentDir?: string;
}

const NAME_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;

function checkName(name: string): void {
  if (!NAME_RE.test(name)) throw new Error(`invalid repository name: ${JSON.stringify(name)}`);
}
function checkTag(tag: string): void {
  if (!TAG_RE.test(tag)) throw new Error(`invalid tag: ${JSON.stringify(tag)}`);
}

export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

const EPOCH = '2024-01-01T00:00:00Z';
/** An empty tar (two zero blocks) and its deterministic gzip (mtime 0). */
const EMPTY_TAR = Buffer.alloc(1024);
const EMPTY_LAYER = gzipSync(EMPTY_TAR);
const EMPTY_LAYER_DIFF_ID = sha256Digest(EMPTY_TAR);

export interface BuiltBlob {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Buffer;
}

export interface BuiltImage {
  config: BuiltBlob;
  layer: BuiltBlob;
  manifest: BuiltBlob;
}

/** A one-layer image (empty layer). `variant` goes into the config's labels, so it changes the digests. */
export function buildImage(options: { format?: ManifestFormat; variant?: string; os?: string; architecture?: string; cpuVariant?: string } = {}): BuiltImage {
  const docker = options.format === 'docker';
  const labels: Record<string, string> = { 'org.galley.test': 'seed' };
  if (options.variant !== undefined) labels['org.galley.variant'] = options.variant;
  const configJson: Record<string, unknown> = {
    created: EPOCH,
    architecture: options.architecture ?? 'amd64',
    os: options.os ?? 'linux',
    config: { Labels: labels },
    rootfs: { type: 'layers', diff_ids: [EMPTY_LAYER_DIFF_ID] },
    history: [{ created: EPOCH, created_by: 'galley test support' }],
  };
  if (options.cpuVariant !== undefined) configJson.variant = options.cpuVariant;
  const configBytes = Buffer.from(JSON.stringify(configJson));
  const config: BuiltBlob = {
    mediaType: docker ? MediaTypes.dockerConfig : MediaTypes.ociConfig,
    digest: sha256Digest(configBytes),
    size: configBytes.length,
    bytes: configBytes,
  };
  const layer: BuiltBlob = {
    mediaType: docker ? MediaTypes.dockerLayer : MediaTypes.ociLayer,
    digest: sha256Digest(EMPTY_LAYER),
    size: EMPTY_LAYER.length,
    bytes: EMPTY_LAYER,
  };
  const manifestType = docker ? MediaTypes.dockerManifest : MediaTypes.ociManifest;
  const manifestBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestType,
      config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
    }),
  );
  const manifest: BuiltBlob = {
    mediaType: manifestType,
    digest: sha256Digest(manifestBytes),
    size: manifestBytes.length,
    bytes: manifestBytes,
  };
  return { config, layer, manifest };
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

async function expectStatus(res: Response, expected: number, what: string): Promise<void> {
  if (res.status !== expected) {
    const body = await res.text().catch(() => '');
    throw new Error(`${what}: HTTP ${res.status} (expected ${expected}) ${body.slice(0, 500)}`);
  }
  await res.arrayBuffer().catch(() => undefined);
}

function registryConfig(storageDir: string, port: number, logLevel: string): string {
  // No blob descriptor cache: seedTagsFast writes to storage behind the
  // registry's back, and the registry must see those files at once.
  return [
    'version: 0.1',
    'log:',
    `  level: ${logLevel}`,
    '  formatter: text',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storageDir)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    '  headers:',
    '    X-Content-Type-Options: [nosniff]',
    'health:',
    '  storagedriver:',
    '    enabled: false',
    '',
  ].join('\n');
}

/** Starts Debian's distribution registry (`docker-registry serve`) on a free loopback port. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<LocalRegistry> {
  const dir = await makeTempDir('registry', options.parentDir);
  const storageDir = join(dir, 'storage');
  await mkdir(storageDir);
  const configPath = join(dir, 'config.yml');

  let proc: ManagedProcess | undefined;
  let port = 0;
  // The port is free when we ask but could be taken before the registry binds it: retry.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    await writeFile(configPath, registryConfig(storageDir, port, options.logLevel ?? 'error'));
    const p = startProcess(REGISTRY_BINARY, ['serve', configPath], { cwd: dir });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/v2/`, {
        timeoutMs: options.timeoutMs ?? 15_000,
        description: `docker-registry on 127.0.0.1:${port}`,
        failIf: () => {
          const s = p.exitStatus();
          return s ? `docker-registry exited (${s.code ?? s.signal}): ${p.output().trim().slice(-1000)}` : undefined;
        },
      });
      proc = p;
      break;
    } catch (err) {
      await p.stop();
      const inUse = /address already in use/.test(p.output());
      if (!inUse || attempt >= 3) {
        await removeTempDir(dir);
        throw err;
      }
    }
  }
  if (!proc) throw new Error('docker-registry did not start');
  const running = proc;
  const url = `http://127.0.0.1:${port}`;
  const host = `127.0.0.1:${port}`;
  const v2 = join(storageDir, 'docker/registry/v2');
  const pushedBlobs = new Set<string>();

  const repositoryDir = (name: string): string => {
    checkName(name);
    return join(v2, 'repositories', name);
  };

  const uploadBlob = async (name: string, blob: BuiltBlob): Promise<void> => {
    const key = `${name}@${blob.digest}`;
    if (pushedBlobs.has(key)) return;
    const start = await fetch(`${url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
    await expectStatus(start, 202, `POST /v2/${name}/blobs/uploads/`);
    const location = start.headers.get('location');
    if (!location) throw new Error(`POST /v2/${name}/blobs/uploads/: no Location header`);
    const target = new URL(location, url);
    target.searchParams.set('digest', blob.digest);
    const put = await fetch(target, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(blob.bytes),
    });
    await expectStatus(put, 201, `PUT blob ${blob.digest} to ${name}`);
    pushedBlobs.add(key);
  };

  const putManifest = async (name: string, reference: string, manifest: BuiltBlob): Promise<string> => {
    const res = await fetch(`${url}/v2/${name}/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': manifest.mediaType },
      body: new Uint8Array(manifest.bytes),
    });
    await expectStatus(res, 201, `PUT /v2/${name}/manifests/${reference}`);
    const digest = res.headers.get('docker-content-digest');
    if (digest !== manifest.digest) {
      throw new Error(`PUT /v2/${name}/manifests/${reference}: registry says ${digest}, computed ${manifest.digest}`);
    }
    return digest;
  };

  const pushImage = async (name: string, tag: string, image: BuiltImage): Promise<string> => {
    await uploadBlob(name, image.layer);
    await uploadBlob(name, image.config);
    return putManifest(name, tag, image.manifest);
  };

  const seedImage = async (name: string, tags: readonly string[], opts: SeedImageOptions = {}): Promise<Map<string, string>> => {
    checkName(name);
    tags.forEach(checkTag);
    const result = new Map<string, string>();
    if (tags.length === 0) return result;
    const shared = buildImage({ format: opts.format });
    // Blobs once (sequentially, so concurrent manifest PUTs never race an upload).
    await uploadBlob(name, shared.layer);
    if (!opts.distinctDigests) await uploadBlob(name, shared.config);
    const digests = await mapLimit(tags, opts.concurrency ?? 8, async (tag) => {
      const image = opts.distinctDigests ? buildImage({ format: opts.format, variant: tag }) : shared;
      return pushImage(name, tag, image);
    });
    tags.forEach((tag, i) => {
      result.set(tag, digests[i] as string);
    });
    return result;
  };

  const writeLink = async (path: string, digest: string): Promise<void> => {
    await mkdir(path, { recursive: true });
    await writeFile(join(path, 'link'), digest);
  };
  const hexOf = (digest: string): string => digest.slice('sha256:'.length);
  const writeBlobData = async (blob: BuiltBlob): Promise<void> => {
    const hex = hexOf(blob.digest);
    const folder = join(v2, 'blobs/sha256', hex.slice(0, 2), hex);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'data'), blob.bytes);
  };

  const seedTagsFast = async (name: string, tags: readonly string[], opts: SeedTagsFastOptions = {}): Promise<Map<string, string>> => {
    checkName(name);
    tags.forEach(checkTag);
    const result = new Map<string, string>();
    const [first, ...rest] = tags;
    if (first === undefined) return result;
    // One real push creates the repository, the layer link and a manifest revision.
    const firstDigests = await seedImage(name, [first], opts);
    result.set(first, firstDigests.get(first) as string);
    const repo = repositoryDir(name);
    const shared = opts.distinctDigests ? undefined : buildImage({ format: opts.format });
    await mapLimit(rest, 32, async (tag) => {
      let digest: string;
      if (shared) {
        digest = shared.manifest.digest;
      } else {
        const image = buildImage({ format: opts.format, variant: tag });
        await writeBlobData(image.config);
        await writeLink(join(repo, '_layers/sha256', hexOf(image.config.digest)), image.config.digest);
        await writeBlobData(image.manifest);
        await writeLink(join(repo, '_manifests/revisions/sha256', hexOf(image.manifest.digest)), image.manifest.digest);
        digest = image.manifest.digest;
      }
      const tagDir = join(repo, '_manifests/tags', tag);
      await writeLink(join(tagDir, 'current'), digest);
      await writeLink(join(tagDir, 'index/sha256', hexOf(digest)), digest);
      result.set(tag, digest);
    });
    return result;
  };

  const seedIndex = async (name: string, tag: string, opts: SeedIndexOptions = {}): Promise<SeededIndex> => {
    checkName(name);
    checkTag(tag);
    const platforms = opts.platforms ?? ['linux/amd64', 'linux/arm64'];
    const docker = opts.format === 'docker';
    const entries: Array<{ platform: string; image: BuiltImage; os: string; architecture: string; cpuVariant?: string }> = [];
    for (const platform of platforms) {
      const [os, architecture, cpuVariant] = platform.split('/');
      if (!os || !architecture) throw new Error(`invalid platform ${JSON.stringify(platform)} (want os/arch[/variant])`);
      const image = buildImage({ format: opts.format, variant: `${tag} ${platform}`, os, architecture, cpuVariant });
      entries.push({ platform, image, os, architecture, cpuVariant });
    }
    const manifests: SeededIndex['manifests'] = [];
    for (const e of entries) {
      await pushImage(name, e.image.manifest.digest, e.image);
      manifests.push({ platform: e.platform, digest: e.image.manifest.digest });
    }
    const indexType = docker ? MediaTypes.dockerManifestList : MediaTypes.ociIndex;
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: indexType,
        manifests: entries.map((e) => ({
          mediaType: e.image.manifest.mediaType,
          digest: e.image.manifest.digest,
          size: e.image.manifest.size,
          platform: {
            architecture: e.architecture,
            os: e.os,
            ...(e.cpuVariant !== undefined ? { variant: e.cpuVariant } : {}),
          },
        })),
      }),
    );
    const digest = await putManifest(name, tag, { mediaType: indexType, digest: sha256Digest(bytes), size: bytes.length, bytes });
    return { digest, manifests };
  };

  const listTags = async (name: string): Promise<string[]> => {
    checkName(name);
    const res = await fetch(`${url}/v2/${name}/tags/list`);
    if (res.status !== 200) throw new Error(`GET /v2/${name}/tags/list: HTTP ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { tags?: string[] | null };
    return body.tags ?? [];
  };

  const headDigest = async (name: string, reference: string): Promise<string | undefined> => {
    checkName(name);
    const res = await fetch(`${url}/v2/${name}/manifests/${reference}`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT },
    });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`HEAD /v2/${name}/manifests/${reference}: HTTP ${res.status}`);
    return res.headers.get('docker-content-digest') ?? undefined;
  };

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await running.stop();
      await removeTempDir(dir);
    })();
    return stopped;
  };

  return {
    url,
    host,
    port,
    storageDir,
    seedImage,
    seedTagsFast,
    seedIndex,
    listTags,
    headDigest,
    repositoryDir,
    logs: () => running.output(),
    stop,
  };
}
