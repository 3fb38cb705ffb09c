import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@galley/platform/fs';
import { type HttpClient, HttpError } from '@galley/platform/http';
import type { MediaFile } from './types.js';

/**
 * Copies of recipe icons and README images, so the catalogue site never
 * makes a visitor's browser ask another host (a README author could track
 * visitors through an image). Files are content-addressed
 * (`<sha256>.<ext>`): kept in the cache (`<cache>/media/`), and copied into
 * the media folder beside the catalogue (`media/`) that the catalogue's
 * entries point at. Only images that are what they say they are are kept:
 * PNG, JPEG, GIF, WebP by their magic bytes, and SVG without scripts, event
 * handlers, foreign objects or references to other files.
 */

export const MEDIA_DIR = 'media';
/** Larger images are not mirrored (the site shows a link instead). */
export const MAX_MEDIA_BYTES = 2 * 1024 * 1024;
const REMOTE_INDEX = 'remote-index.json';
/** A remote image that failed is asked again after this long. */
const RETRY_FAILED_MS = 7 * 86_400_000;

const TYPES = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
} as const;
type Ext = keyof typeof TYPES;

/** What the bytes are, or why they are refused. */
export function sniffImage(bytes: Uint8Array): { ext: Ext } | { reason: string } {
  if (bytes.length === 0) return { reason: 'empty' };
  if (bytes.length > MAX_MEDIA_BYTES) return { reason: `larger than ${MAX_MEDIA_BYTES / 1024 / 1024} MiB` };
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { ext: 'png' };
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { ext: 'jpg' };
  if (b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a') return { ext: 'gif' };
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return { ext: 'webp' };
  const text = b.toString('utf8');
  const start = text
    .replace(/^\uFEFF/, '')
    .replace(/^(?:\s|<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*>)*/i, '')
    .slice(0, 5);
  if (start.toLowerCase() !== '<svg' && !/^<svg[\s>]/i.test(start)) return { reason: 'not a PNG, JPEG, GIF, WebP or SVG image' };
  const unsafe = svgProblem(text);
  return unsafe ? { reason: `an SVG with ${unsafe}` } : { ext: 'svg' };
}

/** Why an SVG is not safe to serve from the site's own origin, if it is not. */
function svgProblem(text: string): string | undefined {
  if (/<script[\s>/]/i.test(text)) return 'a script';
  if (/<foreignObject[\s>/]/i.test(text)) return 'a foreignObject';
  if (/\son[a-z]+\s*=/i.test(text)) return 'an event handler';
  if (/<!ENTITY/i.test(text)) return 'an entity declaration';
  if (/javascript:/i.test(text)) return 'a javascript: link';
  // Links to anything but fragments of itself (other files, other hosts).
  for (const m of text.matchAll(/\s(?:xlink:)?href\s*=\s*["']([^"']*)["']/gi)) if (!m[1]!.startsWith('#')) return `a reference to ${m[1]}`;
  if (/url\(\s*["']?(?!#)[^)]/i.test(text)) return 'a url() to another file';
  if (/@import/i.test(text)) return 'an @import';
  return undefined;
}

interface RemoteEntry {
  sha256?: string;
  ext?: Ext;
  bytes?: number;
  error?: string;
  at: string;
}

/** The media store of a catalogue run: the cache's copies, and where remote images came from. */
export class MediaStore {
  private readonly dir: string;
  private remote: Record<string, RemoteEntry> = {};
  private remoteChanged = false;

  /** `prefix`: the media folder as the catalogue names it, relative to the catalogue file's folder (`media`). */
  constructor(
    cacheDir: string,
    private readonly prefix = MEDIA_DIR,
  ) {
    this.dir = path.join(cacheDir, MEDIA_DIR);
  }

  /** The same file under this run's media folder name (a cached scan may have recorded another). */
  relocate<T extends MediaFile>(file: T): T {
    return { ...file, file: `${this.prefix}/${path.posix.basename(file.file)}` };
  }

  async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    try {
      const data = JSON.parse(await readFile(path.join(this.dir, REMOTE_INDEX), 'utf8')) as unknown;
      if (data && typeof data === 'object' && !Array.isArray(data)) this.remote = data as Record<string, RemoteEntry>;
    } catch {
      this.remote = {};
    }
  }

  /** Keeps the bytes in the cache when they are an image galley mirrors; the media file, or why not. */
  async put(bytes: Uint8Array): Promise<MediaFile | { reason: string }> {
    const kind = sniffImage(bytes);
    if ('reason' in kind) return kind;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const name = `${sha256}.${kind.ext}`;
    const file = path.join(this.dir, name);
    if (!(await stat(file).catch(() => undefined))) await writeFileAtomic(file, Buffer.from(bytes));
    return { file: `${this.prefix}/${name}`, type: TYPES[kind.ext], bytes: bytes.length, sha256 };
  }

  /**
   * An https image, from the cache when it was fetched before (images at a
   * URL rarely change: `refresh` asks again), else fetched through the
   * polite client. Failures are remembered for a week, so a dead image host
   * costs one request a week, not one a run.
   */
  async remoteImage(url: string, http: HttpClient | undefined, options: { refresh: boolean; now: number }): Promise<MediaFile | undefined> {
    const known = this.remote[url];
    if (known && !options.refresh) {
      if (known.sha256 && known.ext && (await stat(path.join(this.dir, `${known.sha256}.${known.ext}`)).catch(() => undefined))) {
        return { file: `${this.prefix}/${known.sha256}.${known.ext}`, type: TYPES[known.ext], bytes: known.bytes ?? 0, sha256: known.sha256 };
      }
      if (known.error && options.now - Date.parse(known.at) < RETRY_FAILED_MS) return undefined;
    }
    if (!http || !/^https:\/\//i.test(url)) return undefined;
    const at = new Date(options.now).toISOString();
    try {
      const bytes = await http.request(
        url,
        { kind: 'media', headers: { accept: 'image/png,image/jpeg,image/gif,image/webp,image/svg+xml' } },
        async (response) => {
          const host = new URL(url).host;
          if (!response.ok) throw new HttpError('http-status', `${host}: HTTP ${response.status} for ${url}`, { host, status: response.status });
          const length = Number(response.header('content-length') ?? 0);
          if (length > MAX_MEDIA_BYTES) throw new HttpError('http-bad-answer', `${url}: larger than ${MAX_MEDIA_BYTES} bytes`, { host, transient: false });
          return new Uint8Array(await response.bytes());
        },
      );
      const stored = await this.put(bytes);
      this.remoteChanged = true;
      if ('reason' in stored) {
        this.remote[url] = { error: stored.reason, at };
        return undefined;
      }
      this.remote[url] = { sha256: stored.sha256, ext: stored.file.slice(stored.file.lastIndexOf('.') + 1) as Ext, bytes: stored.bytes, at };
      return stored;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      this.remote[url] = { error: error.message, at };
      this.remoteChanged = true;
      return undefined;
    }
  }

  async save(): Promise<void> {
    if (this.remoteChanged) await writeFileAtomic(path.join(this.dir, REMOTE_INDEX), `${JSON.stringify(this.remote, null, 1)}\n`);
  }

  /**
   * Makes `outDir` hold exactly the files the catalogue points at: copies
   * the missing ones from the cache (atomically), and
   * removes content-addressed files nobody points at any more (other files
   * are left alone).
   */
  async publish(outDir: string, files: Iterable<MediaFile>): Promise<void> {
    await mkdir(outDir, { recursive: true });
    const wanted = new Set<string>();
    for (const f of files) wanted.add(path.basename(f.file));
    const present = new Set(await readdir(outDir));
    for (const name of wanted) {
      if (!present.has(name)) await writeFileAtomic(path.join(outDir, name), await readFile(path.join(this.dir, name)));
    }
    for (const name of present) {
      if (/^[0-9a-f]{64}\.(?:png|jpg|gif|webp|svg)$/.test(name) && !wanted.has(name)) await rm(path.join(outDir, name), { force: true });
    }
  }
}
