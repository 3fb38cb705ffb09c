import { connect } from 'node:net';
import path from 'node:path';
import { findGitDir, readRefs } from '@galley/platform/git';
import { HttpClient } from '@galley/platform/http';

/**
 * The branches and tags a remote has, asked without starting git: the ref
 * advertisement of git's protocol v0 over `git://` (one TCP exchange) or
 * smart HTTP (`GET …/info/refs?service=git-upload-pack`, through the polite
 * HTTP client and its keep-alive connections), and the ref files of a local repository. A warm
 * catalogue run compares these with its mirrors and fetches only the
 * repositories that changed.
 *
 * Undefined means "cannot tell this way" (ssh, dumb HTTP, an error, an odd
 * answer): the caller then fetches with git, which decides. Only tag objects
 * are compared, never the peeled `^{}` lines.
 */
export async function remoteRefs(url: string, timeoutMs: number): Promise<Map<string, string> | undefined> {
  try {
    if (url.startsWith('git://')) return await gitProtocolRefs(new URL(url), timeoutMs);
    if (url.startsWith('https://') || url.startsWith('http://')) return await smartHttpRefs(url, timeoutMs);
    if (url.startsWith('file://')) return await localRefs(new URL(url).pathname);
    if (path.isAbsolute(url)) return await localRefs(url);
    return undefined;
  } catch {
    return undefined;
  }
}

/** Whether two ref maps name the same branches and tags at the same objects. */
export function sameRefs(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, oid] of a) if (b.get(name) !== oid) return false;
  return true;
}

async function localRefs(dir: string): Promise<Map<string, string> | undefined> {
  const gitDir = await findGitDir(dir);
  return gitDir ? readRefs(gitDir) : undefined;
}

const MIRRORED = /^refs\/(heads|tags)\//;

/** Reads pkt-lines up to the first flush packet; undefined when incomplete or malformed. */
export function parseAdvertisement(data: Buffer, skipServiceHeader: boolean): Map<string, string> | undefined {
  const refs = new Map<string, string>();
  let pos = 0;
  let first = true;
  let sawServiceFlush = !skipServiceHeader;
  while (pos + 4 <= data.length) {
    const length = Number.parseInt(data.subarray(pos, pos + 4).toString('latin1'), 16);
    if (Number.isNaN(length)) return undefined;
    if (length === 0) {
      pos += 4;
      if (!sawServiceFlush) {
        sawServiceFlush = true;
        continue;
      }
      return refs;
    }
    if (length < 4 || pos + length > data.length) return undefined;
    let line = data.subarray(pos + 4, pos + length).toString('utf8');
    pos += length;
    if (!sawServiceFlush) continue; // `# service=git-upload-pack`
    if (line.startsWith('ERR ')) return undefined;
    if (first) {
      if (line.startsWith('version ')) return undefined; // protocol v2: not asked for, not understood here
      line = line.split('\0')[0]!;
      first = false;
    }
    const [oid, name] = line.replace(/\n$/, '').split(' ');
    if (!oid || !name || !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(oid)) return undefined;
    if (/^0+$/.test(oid)) continue; // an empty repository advertises only capabilities
    if (MIRRORED.test(name) && !name.endsWith('^{}')) refs.set(name, oid);
  }
  return undefined;
}

function gitProtocolRefs(url: URL, timeoutMs: number): Promise<Map<string, string> | undefined> {
  return new Promise((resolve) => {
    const port = Number(url.port || 9418);
    const host = url.hostname;
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (refs: Map<string, string> | undefined) => {
      if (settled) return;
      settled = true;
      // A flush packet tells upload-pack we want nothing; then hang up.
      socket.end('0000');
      resolve(refs);
    };
    socket.setTimeout(timeoutMs, () => {
      done(undefined);
      socket.destroy();
    });
    socket.on('error', () => done(undefined));
    socket.on('connect', () => {
      const request = `git-upload-pack ${decodeURIComponent(url.pathname)}\0host=${url.port ? `${host}:${port}` : host}\0`;
      socket.write(`${(request.length + 4).toString(16).padStart(4, '0')}${request}`);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const data = Buffer.concat(chunks);
      // The advertisement ends with a flush packet: parse once one has arrived.
      if (data.includes('0000', Math.max(0, data.length - chunk.length - 4))) {
        const refs = parseAdvertisement(data, false);
        if (refs) done(refs);
      }
    });
    socket.on('end', () => done(parseAdvertisement(Buffer.concat(chunks), false)));
  });
}

/**
 * No retries: a failed ask only means "fetch with git", which retries and
 * decides. A host that fails three asks in a row is not asked again this run.
 */
const refsHttp = new HttpClient({ concurrency: 16, timeoutMs: 30_000, retries: 0, backoffBaseMs: 500, backoffMaxMs: 5_000, userAgent: 'git/galley' });

function smartHttpRefs(url: string, timeoutMs: number): Promise<Map<string, string> | undefined> {
  const headers = { accept: 'application/x-git-upload-pack-advertisement' };
  return refsHttp.request(`${url.replace(/\/+$/, '')}/info/refs?service=git-upload-pack`, { kind: 'refs', headers, timeoutMs }, async (response) => {
    const type = response.header('content-type') ?? '';
    if (!response.ok || !type.startsWith('application/x-git-upload-pack-advertisement')) return undefined;
    return parseAdvertisement(await response.bytes(), true);
  });
}
