import { HttpError } from '@galley/platform/http';
import { noImages, type RecipeImages, serviceKey } from './policy.js';
import type { ImageResolver } from './registry/resolver.js';
import type { RepoScan } from './scan.js';
import { type RegistryLookups, serviceUpgrades, type UpgradeOptions } from './upgrades.js';

/**
 * Asks the registries what one recipe's images need: the digest of every
 * image:tag its releases pin, and the upgrade candidates of each service of
 * its latest release. Each distinct lookup is asked once per run (shared
 * between recipes) and counted for the progress display. A registry that
 * fails fails only the lookups it was asked for: they are reported per
 * key, so the policy can keep the rest of the entry current.
 */
export class ImageLookups {
  private readonly lookups = new Map<string, Promise<unknown>>();
  private done = 0;
  /** Distinct image repositories and image:tag digests the catalogue needed (for the summary). */
  readonly neededTagLists = new Set<string>();
  readonly neededDigests = new Set<string>();
  private readonly lookup: RegistryLookups;

  constructor(
    resolver: ImageResolver,
    private readonly options: UpgradeOptions,
    private readonly onProgress: (total: number, done: number) => void = () => undefined,
  ) {
    this.lookup = {
      tags: (image) => this.track(`tags ${image.registry}/${image.repository}`, () => resolver.tags(image)),
      digest: (image, tag) => this.track(`digest ${image.registry}/${image.repository}:${tag}`, () => resolver.digest(image, tag)),
      created: (image, digest) => this.track(`created ${image.registry}/${image.repository}@${digest}`, () => resolver.created(image, digest)),
    };
  }

  private track<T>(key: string, work: () => Promise<T>): Promise<T> {
    let pending = this.lookups.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = work();
      this.lookups.set(key, pending);
      this.onProgress(this.lookups.size, this.done);
      const settle = () => this.onProgress(this.lookups.size, ++this.done);
      pending.then(settle, settle);
    }
    return pending;
  }

  /** Digests and upgrades of one recipe; registry failures are recorded per key, other errors thrown. */
  async resolve(scan: RepoScan): Promise<RecipeImages> {
    const result = noImages();
    const guard = async (work: () => Promise<void>, onFailure: (message: string) => void): Promise<void> => {
      try {
        await work();
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        onFailure(error.message);
      }
    };
    const jobs: Promise<void>[] = [];
    const asked = new Set<string>();
    for (const version of scan.versions) {
      for (const service of Object.values(version.services)) {
        const key = serviceKey(service);
        if (!key || service.pinned || asked.has(key)) continue;
        asked.add(key);
        this.neededDigests.add(key);
        const image = { registry: service.registry!, repository: service.repository! };
        jobs.push(
          guard(
            async () => {
              result.digests.set(key, (await this.lookup.digest(image, service.tag)) ?? 'unknown');
            },
            (message) => result.failedDigests.set(key, message),
          ),
        );
      }
    }
    await Promise.all(jobs);
    const latest = scan.versions[scan.versions.length - 1];
    if (!latest) return result;
    await Promise.all(
      Object.entries(latest.services).map(([name, service]) =>
        guard(
          async () => {
            if (service.registry && service.repository) this.neededTagLists.add(`${service.registry}/${service.repository}`);
            const key = serviceKey(service);
            const current = service.pinned ?? (key ? result.digests.get(key) : undefined) ?? 'unknown';
            const upgrades = await serviceUpgrades(service, current, this.lookup, this.options);
            for (const kind of ['patch', 'minor', 'major', 'variant'] as const) {
              const candidate = upgrades[kind];
              if (candidate) this.neededDigests.add(`${upgrades.image}:${candidate.tag}`);
            }
            result.upgrades[name] = upgrades;
          },
          (message) => {
            result.failedUpgrades[name] = message;
          },
        ),
      ),
    );
    return result;
  }
}
