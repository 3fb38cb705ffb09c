// The nightly simulation: 30 runs of the generator over a world that
// changes between them the way a recipe organisation does (new releases,
// a moved tag, new upstream versions, the registry down for a night, a
// repository unreachable for two nights, the organisation renamed, a recipe
// added and one deleted, an invalid tag). Real git (git daemon), the real
// distribution registry behind the test proxy, and the Gitea API double as
// the source. After every night: no recipe that still exists was lost, each
// entry says what git says, and the changelog lists exactly what changed
// that night — the changes are planned here, not read back from galley.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CatalogueChanges, type CatalogueRecipe, generateCatalogue, resolveCatalogueSettings } from '@galley/catalogue';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type ForgeDouble,
  type ForgeRepo,
  type GitServer,
  type LocalRegistry,
  makeTempDir,
  type RegistryProxy,
  removeTempDir,
  startGiteaDouble,
  startGitServer,
  startRegistry,
  startRegistryProxy,
} from '../support/index.js';
import { NGINX_TAGS, README } from './world.js';

let dir: string;
let registry: LocalRegistry;
let proxy: RegistryProxy;
let git: GitServer;
let forge: ForgeDouble;
const orgs: Record<string, ForgeRepo[]> = {};

const APP_TAGS = [...Array.from({ length: 10 }, (_, i) => `1.0.${i}`), '2.0.0'];

/** What the world holds for one recipe. */
interface Sim {
  name: string;
  app: number;
  /** Release versions, oldest first. */
  releases: string[];
  /** Versions the catalogue showed after its last successful read. */
  published?: string[];
  reachable: boolean;
}
const recipes = new Map<string, Sim>();

const composeFor = (sim: Sim, k: number) => `version: "3.8"\nservices:\n  app:\n    image: sim/app-${sim.app}:1.0.${k}\n  web:\n    image: nginx:1.25.3\n`;

let pushes = 0;
/** The forge's `updated_at` of a repository moves with every push (what a forge source compares). */
function pushed(name: string): void {
  for (const list of Object.values(orgs)) {
    const repo = list.find((r) => r.name === name);
    if (repo) repo.pushedAt = new Date(Date.parse('2030-01-01T00:00:00Z') + ++pushes * 60_000).toISOString();
  }
}

async function addRelease(sim: Sim): Promise<string> {
  const k = sim.releases.length;
  const version = `1.${k}.0+1.0.${k}`;
  await git.addCommit(sim.name, {
    message: `release ${version}`,
    files: { 'compose.yml': composeFor(sim, k), ...(k === 0 ? { 'README.md': README(sim.name, 'nginx') } : {}) },
    tags: [{ name: version, annotated: true }],
  });
  sim.releases.push(version);
  pushed(sim.name);
  return version;
}

async function addRecipe(n: number): Promise<Sim> {
  const sim: Sim = { name: `r${n}`, app: n, releases: [], reachable: true };
  await git.addRepo({ name: sim.name });
  await addRelease(sim);
  await addRelease(sim);
  recipes.set(sim.name, sim);
  return sim;
}

/** What one night's changes should be (every list; the test fills in what it planned). */
type Expected = { [K in keyof CatalogueChanges]?: Array<Partial<CatalogueChanges[K][number]>> };

/** A night: what happens to the world before the run, what the run must report, how it must end. */
interface Night {
  title: string;
  before?: () => Promise<void>;
  expect: Expected;
  partial?: boolean;
}

const sim = (name: string) => recipes.get(name)!;
let orgName = 'coop';
let sourceOrg = 'coop';
let registryDown = false;

async function moveTag(name: string): Promise<Partial<CatalogueChanges['movedTags'][number]>> {
  const s = sim(name);
  const version = s.releases[0]!;
  await git.addCommit(name, { message: 'rewrite history', files: { 'README.md': `${README(name, 'nginx')}\nRewritten.\n` } });
  await git.addTag(name, { name: version, annotated: true });
  pushed(name);
  return { recipe: name, version };
}

const upstream = (n: number, tag: string) => async () => {
  await registry.seedImage(`sim/app-${n}`, [tag], { distinctDigests: true });
};
const release =
  (...names: string[]) =>
  async () => {
    for (const name of names) await addRelease(sim(name));
  };
const everyRecipe = () => [...recipes.values()].filter((s) => orgs[orgName]!.some((r) => r.name === s.name));

const nights: Night[] = [
  { title: 'the first run', expect: { newRecipes: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'].map((recipe) => ({ recipe, latest: '1.1.0+1.0.1' })) } },
  { title: 'a quiet night', expect: {} },
  { title: 'a new release', before: release('r1'), expect: { newReleases: [{ recipe: 'r1', version: '1.2.0+1.0.2' }] } },
  {
    title: 'a new upstream major version',
    before: upstream(2, '2.1.0'),
    expect: { upstream: [{ recipe: 'r2', service: 'app', kind: 'major', tag: '2.1.0' }] },
  },
  { title: 'a quiet night', expect: {} },
  { title: 'a moved release tag', before: async () => void (await moveTag('r3')), expect: { movedTags: [{ recipe: 'r3', version: '1.0.0+1.0.0' }] } },
  {
    title: 'the registry is down',
    before: async () => {
      registryDown = true;
    },
    expect: { newlyStale: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'].map((recipe) => ({ recipe, scope: 'registry' as const })) },
    partial: true,
  },
  {
    title: 'the registry is back, and a release',
    before: async () => {
      registryDown = false;
      await addRelease(sim('r0'));
    },
    expect: {
      recovered: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'].map((recipe) => ({ recipe, scope: 'registry' as const })),
      newReleases: [{ recipe: 'r0', version: '1.2.0+1.0.2' }],
    },
  },
  {
    title: 'a repository is unreachable',
    before: async () => {
      // Something was pushed, and then its git became unreachable.
      pushed('r4');
      await rename(git.repoPath('r4'), `${git.repoPath('r4')}.away`);
      sim('r4').reachable = false;
    },
    expect: { newlyStale: [{ recipe: 'r4', scope: 'entry' }] },
    partial: true,
  },
  {
    title: 'still unreachable, and a release elsewhere',
    before: release('r5'),
    expect: { newReleases: [{ recipe: 'r5', version: '1.2.0+1.0.2' }] },
    partial: true,
  },
  {
    title: 'the repository is back',
    before: async () => {
      await rename(`${git.repoPath('r4')}.away`, git.repoPath('r4'));
      sim('r4').reachable = true;
    },
    expect: { recovered: [{ recipe: 'r4', scope: 'entry' }] },
  },
  {
    title: 'a new recipe',
    before: async () => {
      await addRecipe(6);
      orgs[orgName]!.push({ name: 'r6', cloneUrl: git.url('r6') });
    },
    expect: { newRecipes: [{ recipe: 'r6', latest: '1.1.0+1.0.1' }] },
  },
  {
    title: 'a tag that is no version',
    before: async () => {
      await git.addTag('r2', { name: 'nightly-build', annotated: false });
      pushed('r2');
    },
    expect: { invalidReleases: [{ recipe: 'r2', tag: 'nightly-build' }] },
  },
  {
    title: 'the organisation is renamed on the forge',
    before: async () => {
      orgs['coop-cloud'] = orgs.coop!;
      delete orgs.coop;
      orgName = 'coop-cloud';
    },
    expect: { newlyStale: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map((recipe) => ({ recipe, scope: 'entry' as const })) },
    partial: true,
  },
  {
    title: 'the maintainer points the source at the new name',
    before: async () => {
      sourceOrg = 'coop-cloud';
    },
    expect: { recovered: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map((recipe) => ({ recipe, scope: 'entry' as const })) },
  },
  { title: 'a quiet night', expect: {} },
  { title: 'a release of the new recipe', before: release('r6'), expect: { newReleases: [{ recipe: 'r6', version: '1.2.0+1.0.2' }] } },
  {
    title: 'a recipe deleted from the organisation',
    before: async () => {
      orgs[orgName] = orgs[orgName]!.filter((r) => r.name !== 'r5');
      recipes.delete('r5');
    },
    expect: { removedRecipes: [{ recipe: 'r5', reason: 'no source lists it any more' }] },
  },
  {
    title: 'a new upstream major version',
    before: upstream(0, '2.1.0'),
    expect: { upstream: [{ recipe: 'r0', service: 'app', kind: 'major', tag: '2.1.0' }] },
  },
  { title: 'a quiet night', expect: {} },
  {
    title: 'two releases',
    before: release('r2', 'r3'),
    expect: {
      newReleases: [
        { recipe: 'r2', version: '1.2.0+1.0.2' },
        { recipe: 'r3', version: '1.2.0+1.0.2' },
      ],
    },
  },
  { title: 'a quiet night', expect: {} },
  { title: 'another moved tag', before: async () => void (await moveTag('r6')), expect: { movedTags: [{ recipe: 'r6', version: '1.0.0+1.0.0' }] } },
  { title: 'a quiet night', expect: {} },
  { title: 'a release', before: release('r1'), expect: { newReleases: [{ recipe: 'r1', version: '1.3.0+1.0.3' }] } },
  {
    title: 'a new upstream major version',
    before: upstream(1, '2.1.0'),
    expect: { upstream: [{ recipe: 'r1', service: 'app', kind: 'major', tag: '2.1.0' }] },
  },
  { title: 'a quiet night', expect: {} },
  { title: 'a release of the recipe that was away', before: release('r4'), expect: { newReleases: [{ recipe: 'r4', version: '1.2.0+1.0.2' }] } },
  { title: 'a quiet night', expect: {} },
  { title: 'a quiet night', expect: {} },
];

beforeAll(async () => {
  dir = await makeTempDir('catalogue-nightly');
  registry = await startRegistry({ parentDir: '/dev/shm' });
  await registry.seedImage('library/nginx', NGINX_TAGS, { distinctDigests: true });
  for (let n = 0; n <= 6; n++) await registry.seedTagsFast(`sim/app-${n}`, APP_TAGS, { distinctDigests: true });
  proxy = await startRegistryProxy(registry.url);
  git = await startGitServer();
  for (let n = 0; n <= 5; n++) await addRecipe(n);
  orgs.coop = [...recipes.values()].map((s) => ({ name: s.name, cloneUrl: git.url(s.name) }));
  forge = await startGiteaDouble({ orgs });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([forge?.stop(), proxy?.stop(), registry?.stop(), git?.stop()]);
  if (dir) await removeTempDir(dir);
});

/** Every change the run reported, as (kind, fields the night planned) for comparison. */
function pick(changes: CatalogueChanges, expected: Expected): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [kind, list] of Object.entries(changes) as Array<[keyof CatalogueChanges, Array<Record<string, unknown>>]>) {
    if (list.length === 0) continue;
    const fields = Object.keys(expected[kind]?.[0] ?? { recipe: 0 });
    out[kind] = list.map((item) => Object.fromEntries(fields.map((f) => [f, item[f]])));
  }
  return out;
}

describe('thirty nights', () => {
  it('lose no recipe that still exists, and each changelog lists exactly what changed', async () => {
    expect(nights).toHaveLength(30);
    const out = path.join(dir, 'recipes.json');
    const changesFile = path.join(dir, 'changes.json');
    for (const [i, night] of nights.entries()) {
      await night.before?.();
      proxy.configure(registryDown ? { faults: { rate: 1, kinds: ['500'] } } : {});
      const config = path.join(dir, 'galley-catalogue.yml');
      await writeFile(
        config,
        `sources:\n  - gitea: { url: ${forge.url}, org: ${sourceOrg} }\nregistry:\n  retries: 1\n  backoff: { base: 10ms, max: 100ms }\n  timeout: 5s\n  ttl: { tags: 0s, digests: 0s }\n  hosts:\n    docker.io: { url: ${proxy.url} }\nchanges: changes.json\n`,
      );
      const settings = await resolveCatalogueSettings({ config, cache: path.join(dir, 'cache'), out }, dir, {});
      const night0 = Date.parse('2030-01-01T03:00:00Z');
      const result = await generateCatalogue(settings, { now: () => new Date(night0 + i * 86_400_000), env: {} });
      const label = `night ${i + 1} (${night.title})`;

      // It ends as the night says.
      expect([label, result.status]).toEqual([label, night.partial ? 'partial' : 'complete']);
      // The changelog: exactly what was planned, in the summary, the --changes file and the sidecar.
      expect([label, pick(result.summary.changes, night.expect)]).toEqual([label, night.expect]);
      expect(JSON.parse(await readFile(changesFile, 'utf8'))).toEqual(result.summary.changes);
      const sidecar = JSON.parse(await readFile(path.join(dir, 'recipes.galley.json'), 'utf8')) as { changes: CatalogueChanges };
      expect(sidecar.changes).toEqual(result.summary.changes);

      // Nothing that exists is lost, and each entry says what git says (or what it said last, when stale).
      const catalogue = JSON.parse(await readFile(out, 'utf8')) as Record<string, CatalogueRecipe>;
      const existing = everyRecipe().map((s) => s.name);
      expect([label, Object.keys(catalogue)]).toEqual([label, existing.sort()]);
      for (const s of everyRecipe()) {
        const versions = catalogue[s.name]!.versions.map((v) => Object.keys(v)[0]);
        const stale = catalogue[s.name]!.galley?.stale !== undefined;
        if (!stale) s.published = [...s.releases];
        expect([label, s.name, versions]).toEqual([label, s.name, s.published]);
        expect([label, s.name, stale]).toEqual([label, s.name, !s.reachable || (night.partial === true && sourceOrg !== orgName)]);
      }
    }
  }, 300_000);
});
