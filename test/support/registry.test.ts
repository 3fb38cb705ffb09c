import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type LocalRegistry, MANIFEST_ACCEPT, MediaTypes, run, sha256Digest, startRegistry } from './index.js';

const TIMEOUT = 120_000;

describe('startRegistry (Debian docker-registry)', () => {
  let registry: LocalRegistry;

  beforeAll(async () => {
    // tmpfs: thousands of small files are ~10x faster there than on this
    // machine's /tmp disk; the last test covers the default (os.tmpdir()).
    registry = await startRegistry({ parentDir: '/dev/shm' });
  }, TIMEOUT);

  afterAll(async () => {
    await registry?.stop();
  }, TIMEOUT);

  it('answers /v2/ on a loopback port', async () => {
    expect(registry.host).toBe(`127.0.0.1:${registry.port}`);
    expect(registry.url).toBe(`http://127.0.0.1:${registry.port}`);
    expect(registry.storageDir.startsWith('/dev/shm/galley-registry-')).toBe(true);
    const res = await fetch(`${registry.url}/v2/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it(
    'seeds 300 tags over the API: tags/list, HEAD digests and skopeo agree',
    async () => {
      const tags = Array.from({ length: 300 }, (_, i) => `1.${Math.floor(i / 10)}.${i % 10}`);
      const digests = await registry.seedImage('acme/app', tags);
      expect(digests.size).toBe(300);
      // one shared manifest
      expect(new Set(digests.values()).size).toBe(1);

      const listed = await registry.listTags('acme/app');
      expect([...listed].sort()).toEqual([...tags].sort());

      const res = await fetch(`${registry.url}/v2/acme/app/manifests/1.4.2`, {
        method: 'HEAD',
        headers: { accept: MANIFEST_ACCEPT },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(MediaTypes.ociManifest);
      expect(res.headers.get('docker-content-digest')).toBe(digests.get('1.4.2'));

      // The manifest body hashes to the digest we computed.
      const body = Buffer.from(await (await fetch(`${registry.url}/v2/acme/app/manifests/1.4.2`, { headers: { accept: MANIFEST_ACCEPT } })).arrayBuffer());
      expect(sha256Digest(body)).toBe(digests.get('1.4.2'));

      const skopeo = await run('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry.host}/acme/app`]);
      const skopeoTags = (JSON.parse(skopeo.stdout) as { Tags: string[] }).Tags;
      expect([...skopeoTags].sort()).toEqual([...tags].sort());

      const inspect = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${registry.host}/acme/app:1.0.0`]);
      const info = JSON.parse(inspect.stdout) as { Digest: string; Labels: Record<string, string> };
      expect(info.Digest).toBe(digests.get('1.0.0'));
      expect(info.Labels['org.galley.test']).toBe('seed');
    },
    TIMEOUT,
  );

  it(
    'seeds distinct digests per tag, OCI and Docker formats',
    async () => {
      const tags = ['1.0', '1.1', '2.0-alpine', 'latest'];
      const oci = await registry.seedImage('acme/distinct', tags, { distinctDigests: true });
      expect(new Set(oci.values()).size).toBe(tags.length);
      for (const tag of tags) expect(await registry.headDigest('acme/distinct', tag)).toBe(oci.get(tag));

      const docker = await registry.seedImage('acme/dockerfmt', ['3.1'], { format: 'docker' });
      const res = await fetch(`${registry.url}/v2/acme/dockerfmt/manifests/3.1`, {
        method: 'HEAD',
        headers: { accept: MANIFEST_ACCEPT },
      });
      expect(res.headers.get('content-type')).toBe(MediaTypes.dockerManifest);
      expect(res.headers.get('docker-content-digest')).toBe(docker.get('3.1'));
    },
    TIMEOUT,
  );

  it(
    'seeds a multi-arch index whose digest differs from its platform manifests',
    async () => {
      const index = await registry.seedIndex('acme/multi', '5.0');
      expect(index.manifests.map((m) => m.platform)).toEqual(['linux/amd64', 'linux/arm64']);
      expect(await registry.headDigest('acme/multi', '5.0')).toBe(index.digest);
      expect(index.manifests.map((m) => m.digest)).not.toContain(index.digest);
      const raw = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/acme/multi:5.0`]);
      expect((JSON.parse(raw.stdout) as { mediaType: string }).mediaType).toBe(MediaTypes.ociIndex);
    },
    TIMEOUT,
  );

  it(
    'seeds 5000 tags fast through storage, seen by the real registry',
    async () => {
      const tags = Array.from({ length: 5000 }, (_, i) => `v${Math.floor(i / 100)}.${i % 100}.0`);
      const digests = await registry.seedTagsFast('acme/many', tags);
      expect(digests.size).toBe(5000);

      const link = await readFile(join(registry.repositoryDir('acme/many'), '_manifests/tags/v49.99.0/current/link'), 'utf8');
      expect(link).toBe(digests.get('v49.99.0'));

      const listed = await registry.listTags('acme/many');
      expect(listed.length).toBe(5000);
      expect(new Set(listed)).toEqual(new Set(tags));
      expect(await registry.headDigest('acme/many', 'v49.99.0')).toBe(digests.get('v49.99.0'));
      expect(await registry.headDigest('acme/many', 'v50.0.0')).toBeUndefined();

      const skopeo = await run('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry.host}/acme/many`]);
      expect((JSON.parse(skopeo.stdout) as { Tags: string[] }).Tags.length).toBe(5000);
    },
    TIMEOUT,
  );

  it(
    'seeds fast tags with distinct digests that skopeo can inspect',
    async () => {
      const tags = Array.from({ length: 200 }, (_, i) => `2.${i}`);
      const digests = await registry.seedTagsFast('acme/fastdistinct', tags, { distinctDigests: true });
      expect(new Set(digests.values()).size).toBe(200);
      expect(await registry.headDigest('acme/fastdistinct', '2.199')).toBe(digests.get('2.199'));
      const inspect = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${registry.host}/acme/fastdistinct:2.150`]);
      const info = JSON.parse(inspect.stdout) as { Digest: string; Labels: Record<string, string> };
      expect(info.Digest).toBe(digests.get('2.150'));
      expect(info.Labels['org.galley.variant']).toBe('2.150');
    },
    TIMEOUT,
  );

  it(
    'stop() ends the registry and removes its storage',
    async () => {
      const other = await startRegistry();
      expect(other.storageDir.startsWith(join(tmpdir(), 'galley-registry-'))).toBe(true);
      await other.seedTagsFast('x/y', ['1', '2', '3']);
      expect([...(await other.listTags('x/y'))].sort()).toEqual(['1', '2', '3']);
      expect(existsSync(other.storageDir)).toBe(true);
      await other.stop();
      expect(existsSync(other.storageDir)).toBe(false);
      await expect(fetch(`${other.url}/v2/`)).rejects.toThrow();
    },
    TIMEOUT,
  );
});
