/**
 * Image references as Docker reads them: `[registry[:port]/]path[:tag][@digest]`.
 * `nginx` is `docker.io/library/nginx`; a first path component with a `.` or
 * a `:`, or `localhost`, is a registry.
 */
export interface ImageRef {
  /** As written. */
  original: string;
  /** Registry host (with port), e.g. `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path in that registry, e.g. `library/nginx`. */
  repository: string;
  tag?: string;
  digest?: string;
  /** `registry/repository`, e.g. `docker.io/library/nginx`. */
  name: string;
  /** Fully qualified: `docker.io/library/nginx:1.25` (with `@digest` when pinned). */
  normalized: string;
  /** The short form people write: `nginx:1.25`, `bonfirenetworks/bonfire:1.0`. */
  familiar: string;
}

export type ImageRefResult = { ok: true; ref: ImageRef } | { ok: false; reason: string };

export const DOCKER_HUB = 'docker.io';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::\d+)?$|^\[[0-9a-fA-F:]+\](?::\d+)?$/;

export function parseImageRef(input: string): ImageRefResult {
  const original = input;
  const text = input.trim();
  if (!text) return { ok: false, reason: 'the image is empty' };
  if (text.includes('$')) return { ok: false, reason: `"${text}" still contains a variable` };
  if (/\s/.test(text)) return { ok: false, reason: `"${text}" contains whitespace` };

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { ok: false, reason: `"${digest}" is not a valid digest (expected e.g. sha256:<64 hex>)` };
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, reason: `"${tag}" is not a valid tag (letters, digits, _ . -; at most 128)` };
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || /[A-Z]/.test(first))) {
    registry = first;
    parts.shift();
    if (!HOST.test(registry)) return { ok: false, reason: `"${registry}" is not a valid registry host` };
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (parts.length === 0 || parts.some((p) => !p)) return { ok: false, reason: `"${text}" has an empty path component` };
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) {
      return {
        ok: false,
        reason: /[A-Z]/.test(part) ? `"${part}" must be lowercase in an image name` : `"${part}" is not a valid image name component`,
      };
    }
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  const name = `${registry}/${repository}`;
  const suffix = `${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  let familiarName = name;
  if (registry === DOCKER_HUB) familiarName = repository.startsWith('library/') ? repository.slice(8) : repository;
  const ref: ImageRef = {
    original,
    registry,
    repository,
    name,
    normalized: `${name}${suffix}`,
    familiar: `${familiarName}${suffix}`,
  };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return { ok: true, ref };
}
