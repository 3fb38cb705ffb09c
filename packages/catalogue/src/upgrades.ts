import { findUpgrades } from '@galley/recipe';
import type { ImageResolver } from './registry/resolver.js';
import type { ScannedService } from './scan.js';
import type { ServiceUpgrades, UpgradeCandidate } from './types.js';

export interface UpgradeOptions {
  /** Read image creation dates for `daysBehind` (extra requests). */
  imageDates: boolean;
  /** At most this many unparseable tags are listed (the total is in `unparseableTotal`). */
  maxUnparseable: number;
}

const DAY_MS = 86_400_000;

/**
 * Where upstream has moved on for one service of a recipe's latest release:
 * the best compatible patch, minor and major tags with their digests, the
 * newest tag of another variant line, the tags that cannot be compared
 * (with the reason), and how many days the pinned image is behind the
 * newest candidate. Registry failures throw.
 */
/** What upgrades need from the registry (an ImageResolver, or one that counts its lookups). */
export type RegistryLookups = Pick<ImageResolver, 'tags' | 'digest' | 'created'>;

export async function serviceUpgrades(
  service: ScannedService,
  currentDigest: string,
  resolver: RegistryLookups,
  options: UpgradeOptions,
): Promise<ServiceUpgrades> {
  if (service.error || !service.registry || !service.repository) {
    return { image: service.image, current: service.tag, unparseable: [], currentUnparseable: service.error ?? 'the image reference cannot be parsed' };
  }
  const image = { registry: service.registry, repository: service.repository };
  const out: ServiceUpgrades = { image: `${image.registry}/${image.repository}`, current: service.tag, unparseable: [] };
  const tags = await resolver.tags(image);
  if (tags === null) {
    out.error = `${image.registry} has no repository ${image.repository}`;
    return out;
  }
  const found = findUpgrades(service.tag, tags);
  if (found.currentUnparseable) out.currentUnparseable = found.currentUnparseable;
  if (found.unparseable.length > options.maxUnparseable) {
    out.unparseable = found.unparseable.slice(0, options.maxUnparseable);
    out.unparseableTotal = found.unparseable.length;
  } else out.unparseable = found.unparseable;
  const candidates: Array<['patch' | 'minor' | 'major' | 'variant', string]> = [];
  for (const kind of ['patch', 'minor', 'major', 'variant'] as const) {
    const tag = found[kind];
    if (tag !== undefined) candidates.push([kind, tag]);
  }
  const resolved = await Promise.all(candidates.map(async ([, tag]) => ({ tag, digest: (await resolver.digest(image, tag)) ?? 'unknown' })));
  candidates.forEach(([kind], i) => {
    out[kind] = resolved[i] as UpgradeCandidate;
  });
  if (found.currentUnparseable) return out;
  // A newer variant line (alpine3.13 → alpine3.19) also means the pinned image is not the newest build.
  const newest = out.major ?? out.minor ?? out.patch ?? out.variant;
  if (!newest) {
    out.daysBehind = 0;
    return out;
  }
  if (options.imageDates && currentDigest.startsWith('sha256:') && newest.digest.startsWith('sha256:')) {
    const [from, to] = await Promise.all([resolver.created(image, currentDigest), resolver.created(image, newest.digest)]);
    if (from && to) out.daysBehind = Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS));
  }
  return out;
}
