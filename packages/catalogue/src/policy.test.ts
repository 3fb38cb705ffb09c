import { describe, expect, it } from '@jest/globals';
import { emptyFeatures } from './abra.js';
import { diffCatalogues } from './changes.js';
import { type AssembleInput, assembleCatalogue, buildEntry, noImages, type RecipeImages, type RepoOutcome, shrinkProblem } from './policy.js';
import type { RepoScan, ScannedService } from './scan.js';
import type { RepoDescriptor } from './sources/types.js';
import type { Catalogue, CatalogueRecipe, ServiceUpgrades } from './types.js';

// Table tests of the catalogue's policy (Renovate's `it.each` style): what a
// run keeps, marks stale or removes, and what its changelog says.

const NOW = '2030-01-02T00:00:00.000Z';
const EARLIER = '2030-01-01T00:00:00.000Z';
const D = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const C = (n: number) => String(n).repeat(40).slice(0, 40);

const repo = (name: string, sourceId = 'gitea:https://git.example/coop'): RepoDescriptor => ({
  name,
  sourceId,
  sourceKind: 'gitea',
  fetchUrl: `git://git.example/${name}.git`,
  repository: `https://git.example/coop/${name}.git`,
  sshUrl: '',
  website: '',
  description: `${name} recipe`,
  icon: '',
  archived: false,
});

const nginx = (tag: string): ScannedService => ({ image: 'nginx', tag, registry: 'docker.io', repository: 'library/nginx' });
const ghcr = (tag: string): ScannedService => ({ image: 'ghcr.io/nodebb/nodebb', tag, registry: 'ghcr.io', repository: 'nodebb/nodebb' });

/** A scan of releases `1.0.0+<tag>`, … each pinning nginx:<tag> (and nodebb from ghcr). */
function scanOf(name: string, tags: string[], extra: Partial<RepoScan> = {}): RepoScan {
  return {
    name,
    defaultBranch: 'main',
    isRecipe: true,
    category: 'Apps',
    features: emptyFeatures(),
    readmeDescription: '',
    versions: tags.map((tag, i) => ({
      version: `1.${i}.0+${tag}`,
      commit: C(i + 1),
      date: `2029-0${i + 1}-01T00:00:00+00:00`,
      annotated: true,
      services: { app: nginx(tag), forum: ghcr('3.8.4') },
    })),
    otherTags: [],
    invalid: [],
    ...extra,
  };
}

const upgrade = (current: string, minor?: string): ServiceUpgrades => ({
  image: 'docker.io/library/nginx',
  current,
  unparseable: [],
  ...(minor ? { minor: { tag: minor, digest: D(9) } } : {}),
  daysBehind: minor ? undefined : 0,
});

/** Registry answers for the scan of `tags`: a digest per tag (D(i+1)) and nginx upgrades. */
function answered(tags: string[], minor?: string): RecipeImages {
  const images = noImages();
  for (const [i, tag] of tags.entries()) images.digests.set(`docker.io/library/nginx:${tag}`, D(i + 1));
  images.digests.set('ghcr.io/nodebb/nodebb:3.8.4', D(7));
  images.upgrades.app = upgrade(tags[tags.length - 1]!, minor);
  images.upgrades.forum = { image: 'ghcr.io/nodebb/nodebb', current: '3.8.4', unparseable: [], daysBehind: 0 };
  return images;
}

const recipe = (name: string, tags: string[], minor?: string, sourceId?: string): RepoOutcome => ({
  kind: 'recipe',
  repo: repo(name, sourceId),
  scan: scanOf(name, tags),
  images: answered(tags, minor),
});

/** The entry a clean run writes for `name` with these releases. */
const entryOf = (name: string, tags: string[], minor?: string, sourceId?: string): CatalogueRecipe =>
  buildEntry(repo(name, sourceId), scanOf(name, tags), answered(tags, minor), undefined, { since: EARLIER, offline: false });

const run = (input: Partial<AssembleInput> & Pick<AssembleInput, 'outcomes'>) =>
  assembleCatalogue({
    previous: {},
    since: NOW,
    sources: [{ id: 'gitea:https://git.example/coop' }],
    skipped: [],
    offline: false,
    ...input,
  });

describe('buildEntry', () => {
  it('writes image names as abra does and every digest the registry gave', () => {
    const entry = entryOf('notes', ['1.25.3', '1.25.4']);
    expect(entry.versions).toEqual([
      { '1.0.0+1.25.3': { app: { image: 'nginx', tag: '1.25.3', digest: D(1) }, forum: { image: 'nodebb/nodebb', tag: '3.8.4', digest: D(7) } } },
      { '1.1.0+1.25.4': { app: { image: 'nginx', tag: '1.25.4', digest: D(2) }, forum: { image: 'nodebb/nodebb', tag: '3.8.4', digest: D(7) } } },
    ]);
    expect(entry.galley?.staleDigests).toBeUndefined();
    expect(entry.galley?.health).toEqual({ lastRelease: '2029-02-01T00:00:00+00:00', daysBehind: { app: 0, forum: 0 } });
  });

  it('records invalid releases and the biggest upstream move in the health', () => {
    const invalid = [{ tag: '0.5.0-2.0.5', reason: 'not a version', commit: C(5) }];
    const entry = buildEntry(repo('notes'), scanOf('notes', ['1.25.3'], { invalid }), answered(['1.25.3'], '1.26.0'), undefined, {
      since: NOW,
      offline: false,
    });
    expect(entry.galley?.invalidReleases).toEqual(invalid);
    expect(entry.galley?.health?.upgrade).toBe('minor');
  });
});

describe('assembleCatalogue: a registry that fails marks only what it could not tell', () => {
  const previous: Catalogue = { notes: entryOf('notes', ['1.25.3'], '1.26.0') };

  it.each([
    ['offline: previous digests and upgrades, unmarked', true, [] as string[], false],
    ['the registry failed for every lookup: previous values, marked stale', false, ['docker.io/library/nginx:1.25.3', 'docker.io/library/nginx:1.25.4'], true],
  ])('%s', (_title, offline, failed, marked) => {
    const images = noImages();
    if (!offline) {
      for (const key of failed) images.failedDigests.set(key, 'registry down (HTTP 500)');
      images.digests.set('ghcr.io/nodebb/nodebb:3.8.4', D(7));
      images.failedUpgrades.app = 'registry down (HTTP 500)';
      images.upgrades.forum = { image: 'ghcr.io/nodebb/nodebb', current: '3.8.4', unparseable: [], daysBehind: 0 };
    }
    const result = run({
      previous,
      offline,
      outcomes: [{ kind: 'recipe', repo: repo('notes'), scan: scanOf('notes', ['1.25.3', '1.25.4']), images }],
    });
    const notes = result.catalogue.notes!;
    // The new release is published from git.
    expect(notes.versions.map((v) => Object.keys(v)[0])).toEqual(['1.0.0+1.25.3', '1.1.0+1.25.4']);
    // The digest the previous catalogue knew stays; the new one is unknown.
    expect(notes.versions.map((v) => Object.values(v)[0]!.app!.digest)).toEqual([D(1), 'unknown']);
    expect(notes.galley?.stale).toBeUndefined();
    if (marked) {
      expect(notes.galley?.staleDigests).toEqual({ error: 'registry down (HTTP 500)', since: NOW, images: failed });
      // The current tag moved: no previous candidates apply, the service says why it has none.
      expect(notes.galley?.upgrades.app).toEqual({
        image: 'docker.io/library/nginx',
        current: '1.25.4',
        unparseable: [],
        stale: { error: 'registry down (HTTP 500)', since: NOW },
      });
      expect(result.registryStale).toEqual([{ name: 'notes', error: 'registry down (HTTP 500)' }]);
      expect(result.failures).toEqual([{ subject: 'notes', error: 'registry down (HTTP 500)' }]);
      expect(notes.galley?.health?.staleSince).toBe(NOW);
    } else {
      expect(notes.galley?.staleDigests).toBeUndefined();
      // Offline: the service whose tag did not move keeps what the previous catalogue knew.
      expect(notes.galley?.upgrades).toEqual({ forum: previous.notes!.galley!.upgrades.forum });
      expect(result.failures).toEqual([]);
    }
  });

  it('keeps the previous candidates of a service whose tag did not move, marked stale since the first failure', () => {
    const before = { notes: entryOf('notes', ['1.25.3'], '1.26.0') };
    before.notes.galley!.upgrades.app!.stale = { error: 'old outage', since: EARLIER };
    const images = answered(['1.25.3']);
    delete images.upgrades.app;
    images.failedUpgrades.app = 'registry down';
    const result = run({ previous: before, outcomes: [{ kind: 'recipe', repo: repo('notes'), scan: scanOf('notes', ['1.25.3']), images }] });
    expect(result.catalogue.notes!.galley!.upgrades.app).toMatchObject({ minor: { tag: '1.26.0' }, stale: { error: 'registry down', since: EARLIER } });
  });
});

describe('assembleCatalogue: what happens to previous entries', () => {
  const previous: Catalogue = {
    forum: entryOf('forum', ['1.25.3']),
    notes: entryOf('notes', ['1.25.3']),
    wiki: entryOf('wiki', ['1.24.0'], undefined, 'github:coop'),
  };
  const stalePrevious: Catalogue = {
    ...previous,
    notes: { ...previous.notes!, galley: { ...previous.notes!.galley!, stale: { error: 'x', since: EARLIER } } },
  };

  it.each<
    [string, Partial<AssembleInput> & Pick<AssembleInput, 'outcomes'>, { kept: string[]; stale: [string, string, string][]; removed: [string, string][] }]
  >([
    [
      'a repository that cannot be read keeps its entry, stale from now',
      { previous, outcomes: [recipe('forum', ['1.25.3']), { kind: 'failed', repo: repo('notes'), error: 'fetch failed' }] },
      { kept: ['forum', 'notes'], stale: [['notes', 'fetch failed', NOW]], removed: [['wiki', 'no source lists it any more']] },
    ],
    [
      'a failure that lasts keeps the time of the first',
      { previous: stalePrevious, outcomes: [recipe('forum', ['1.25.3']), { kind: 'failed', repo: repo('notes'), error: 'fetch failed' }] },
      { kept: ['forum', 'notes'], stale: [['notes', 'fetch failed', EARLIER]], removed: [['wiki', 'no source lists it any more']] },
    ],
    [
      'a repository that is no recipe any more is removed, saying why',
      { previous, outcomes: [recipe('forum', ['1.25.3']), { kind: 'not-a-recipe', repo: repo('notes'), scan: { ...scanOf('notes', []), isRecipe: false } }] },
      {
        kept: ['forum'],
        stale: [],
        removed: [
          ['notes', 'no compose.yml on its default branch (main): no recipe any more'],
          ['wiki', 'no source lists it any more'],
        ],
      },
    ],
    [
      'a failing source removes nothing: its own entries are kept with its error',
      {
        previous,
        sources: [{ id: 'gitea:https://git.example/coop' }, { id: 'github:coop', error: 'api.github.com: HTTP 502' }],
        outcomes: [recipe('forum', ['1.25.3']), recipe('notes', ['1.25.3'])],
      },
      { kept: ['forum', 'notes', 'wiki'], stale: [['wiki', 'api.github.com: HTTP 502', NOW]], removed: [] },
    ],
    [
      'a renamed source that fails (a mistyped organisation) removes nothing either',
      {
        previous,
        sources: [{ id: 'gitea:https://git.example/coop-typo', error: 'git.example: no organisation "coop-typo"' }],
        outcomes: [],
      },
      {
        kept: ['forum', 'notes', 'wiki'],
        stale: ['forum', 'notes', 'wiki'].map((n) => [
          n,
          'no source that answered lists it, and gitea:https://git.example/coop-typo failed: git.example: no organisation "coop-typo"',
          NOW,
        ]) as [string, string, string][],
        removed: [],
      },
    ],
    [
      'a repository the source now skips is removed with the reason',
      {
        previous,
        skipped: [{ name: 'wiki', sourceId: 'github:coop', reason: 'archived (includeArchived: true scans it)' }],
        outcomes: [recipe('forum', ['1.25.3']), recipe('notes', ['1.25.3'])],
      },
      { kept: ['forum', 'notes'], stale: [], removed: [['wiki', 'github:coop: archived (includeArchived: true scans it)']] },
    ],
    [
      '--only leaves the other entries as they are',
      { previous, only: new Set(['forum']), outcomes: [recipe('forum', ['1.25.3', '1.25.4'])] },
      { kept: ['forum', 'notes', 'wiki'], stale: [], removed: [] },
    ],
  ])('%s', (_title, input, expected) => {
    const result = run(input);
    expect(Object.keys(result.catalogue)).toEqual(expected.kept);
    expect(
      Object.entries(result.catalogue)
        .filter(([, e]) => e.galley?.stale)
        .map(([n, e]) => [n, e.galley!.stale!.error, e.galley!.stale!.since]),
    ).toEqual(expected.stale);
    expect(result.stale.map((s) => s.name)).toEqual(expected.stale.map(([n]) => n));
    expect(result.removed.map((r) => [r.name, r.reason])).toEqual(expected.removed);
    // A kept stale entry is the previous one apart from the mark.
    for (const [name] of expected.stale) {
      const { stale: _s, health: _h, ...rest } = result.catalogue[name]!.galley!;
      const { stale: _s2, health: _h2, ...before } = input.previous![name]!.galley!;
      expect(rest).toEqual(before);
    }
  });
});

describe('shrinkProblem', () => {
  it.each([
    [200, 20, 0.1, false],
    [200, 21, 0.1, true],
    [3, 1, 0.1, false],
    [3, 2, 0.1, true],
    [10, 3, 0.5, false],
    [0, 0, 0.1, false],
  ])('of %i recipes, losing %i with maxShrink %d refuses: %s', (count, lost, max, refused) => {
    const removed = Array.from({ length: lost }, (_, i) => ({ name: `r${i}`, reason: 'no source lists it any more' }));
    const problem = shrinkProblem(count, removed, max);
    expect(problem !== undefined).toBe(refused);
    if (problem) expect(problem).toMatch(/^the catalogue would lose \d+ of its \d+ recipes.*r0 \(no source lists it any more\).*--allow-shrink$/);
  });
});

describe('diffCatalogues: the changelog says exactly what changed', () => {
  const base: Catalogue = { forum: entryOf('forum', ['1.25.3'], '1.26.0'), notes: entryOf('notes', ['1.25.3']) };
  const moved = (): Catalogue => {
    const next = structuredClone(base);
    next.forum!.galley!.versions['1.0.0+1.25.3']!.commit = C(8);
    return next;
  };
  it.each<[string, () => Catalogue, Record<string, unknown[]>]>([
    ['nothing', () => structuredClone(base), {}],
    [
      'a new recipe, a new release and a new upstream minor',
      () => ({
        ...structuredClone(base),
        notes: entryOf('notes', ['1.25.3', '1.25.4'], '1.26.0'),
        wiki: entryOf('wiki', ['1.0.0']),
      }),
      {
        newRecipes: [{ recipe: 'wiki', latest: '1.0.0+1.0.0' }],
        newReleases: [{ recipe: 'notes', version: '1.1.0+1.25.4', date: '2029-02-01T00:00:00+00:00' }],
        upstream: [{ recipe: 'notes', service: 'app', image: 'docker.io/library/nginx', current: '1.25.4', kind: 'minor', tag: '1.26.0' }],
      },
    ],
    ['a moved release tag', moved, { movedTags: [{ recipe: 'forum', version: '1.0.0+1.25.3', from: C(1), to: C(8) }] }],
    [
      'a recipe gone stale',
      () => ({ ...structuredClone(base), notes: { ...base.notes!, galley: { ...base.notes!.galley!, stale: { error: 'fetch failed', since: NOW } } } }),
      { newlyStale: [{ recipe: 'notes', scope: 'entry', error: 'fetch failed' }] },
    ],
    [
      'an invalid release and a removed recipe',
      () => {
        const next = structuredClone(base);
        next.forum!.galley!.invalidReleases = [{ tag: '0.5.0-2.0.5', reason: 'not a version' }];
        delete next.notes;
        return next;
      },
      {
        invalidReleases: [{ recipe: 'forum', tag: '0.5.0-2.0.5', reason: 'not a version' }],
        removedRecipes: [{ recipe: 'notes', reason: 'no longer in the catalogue' }],
      },
    ],
  ])('%s', (_title, next, expected) => {
    const changes = diffCatalogues(base, next());
    const nonEmpty = Object.fromEntries(Object.entries(changes).filter(([, list]) => (list as unknown[]).length > 0));
    expect(nonEmpty).toEqual(expected);
  });

  it('lists recovered recipes', () => {
    const stale = structuredClone(base);
    stale.notes!.galley!.staleDigests = { error: 'down', since: NOW, images: ['docker.io/library/nginx:1.25.3'] };
    expect(diffCatalogues(stale, base).recovered).toEqual([{ recipe: 'notes', scope: 'registry' }]);
  });
});
