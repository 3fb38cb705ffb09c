// The demo's upstream: Debian's distribution registry (`docker-registry`,
// installed by scripts/provision.sh) on a free loopback port, seeded with
// the sample of upstream tags in examples/upstream-tags.json (one small
// image per tag, with its build date), so `galley catalogue generate` can
// show digests, upgrade candidates and how far behind each recipe is,
// without the internet. The seed is deterministic: the same tags get the
// same digests on every machine.
//
//   const registry = await startDemoRegistry(dir);   // { url, stop() } or { notice }
//   GALLEY_DEMO_REGISTRY=/path/to/registry   another registry binary
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BINARY = process.env.GALLEY_DEMO_REGISTRY ?? '/usr/bin/docker-registry';
const root = new URL('..', import.meta.url).pathname;

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForRegistry(url, child, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with code ${child.exitCode}`);
    const ok = await fetch(`${url}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not answer within ${timeoutMs / 1000} s`);
}

async function upload(url, name, bytes) {
  const digest = sha256(bytes);
  if ((await fetch(`${url}/v2/${name}/blobs/${digest}`, { method: 'HEAD' })).ok) return digest;
  const start = await fetch(`${url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`starting an upload to ${name}: HTTP ${start.status}`);
  const target = new URL(start.headers.get('location'), url);
  target.searchParams.set('digest', digest);
  const put = await fetch(target, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`uploading a blob to ${name}: HTTP ${put.status}`);
  return digest;
}

/** One image per tag: a shared layer, a config that says when it was built. */
async function seed(url, tags) {
  const layerTar = Buffer.alloc(1024);
  const layer = gzipSync(layerTar, { level: 9 });
  for (const [name, dated] of Object.entries(tags)) {
    if (name.startsWith('$')) continue;
    const layerDigest = await upload(url, name, layer);
    for (const [tag, date] of Object.entries(dated)) {
      const config = Buffer.from(
        JSON.stringify({
          created: `${date}T00:00:00Z`,
          architecture: 'amd64',
          os: 'linux',
          config: { Labels: { 'org.opencontainers.image.version': tag } },
          rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
        }),
      );
      const configDigest = await upload(url, name, config);
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
      });
      const put = await fetch(`${url}/v2/${name}/manifests/${tag}`, {
        method: 'PUT',
        body: manifest,
        headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      });
      if (put.status !== 201) throw new Error(`pushing ${name}:${tag}: HTTP ${put.status}`);
    }
  }
}

/**
 * Starts the registry with its storage in `<dir>/registry` and seeds it.
 * Resolves with `{ url, stop }`, or with `{ notice }` saying why there is none
 * (the demo then runs the catalogue offline).
 */
export async function startDemoRegistry(dir) {
  if (!existsSync(BINARY)) return { notice: `${BINARY} is not installed (apt-get install docker-registry, or scripts/provision.sh)` };
  const home = path.join(dir, 'registry');
  rmSync(home, { recursive: true, force: true });
  mkdirSync(path.join(home, 'storage'), { recursive: true });
  const port = await freePort();
  const config = path.join(home, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${JSON.stringify(path.join(home, 'storage'))}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${createHash('sha256').update(home).digest('hex').slice(0, 32)}`,
      '',
    ].join('\n'),
  );
  const child = spawn(BINARY, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (d) => {
    errors = `${errors}${d}`.slice(-2000);
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('close', () => resolve());
      child.kill('SIGTERM');
    });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForRegistry(url, child, 15_000);
    await seed(url, JSON.parse(readFileSync(path.join(root, 'examples/upstream-tags.json'), 'utf8')));
  } catch (error) {
    await stop();
    return { notice: `the local registry did not start (${error.message}${errors ? `: ${errors.trim().split('\n').pop()}` : ''})` };
  }
  return { url, stop };
}
