import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { discoverRepos, generateCatalogue, listGitea, listGitHub, resolveCatalogueSettings, type SourceSpec } from '@galley/catalogue';
import { HttpClient } from '@galley/platform/http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type ForgeDouble,
  type ForgeRepo,
  type GitServer,
  makeTempDir,
  removeTempDir,
  startGiteaDouble,
  startGitHttpServer,
  startGitHubDouble,
  startGitServer,
} from '../support/index.js';
import { README } from './world.js';

let git: GitServer;
let dir: string;
const names = Array.from({ length: 7 }, (_, i) => `recipe-${i}`);

beforeAll(async () => {
  dir = await makeTempDir('catalogue-sources');
  git = await startGitServer(
    names.map((name) => ({
      name,
      commits: [
        {
          message: 'init',
          files: { 'compose.yml': `version: "3.8"\nservices:\n  app:\n    image: nginx:1.25.${names.indexOf(name)}\n`, 'README.md': README(name, 'nginx') },
          tags: [{ name: '1.0.0+1', annotated: true }],
        },
      ],
    })),
  );
}, 60_000);

afterAll(async () => {
  await git?.stop();
  if (dir) await removeTempDir(dir);
});

const repos = (): ForgeRepo[] =>
  names.map((name, i) => ({ name, cloneUrl: git.url(name), description: `Recipe ${i}`, website: `https://${name}.example`, archived: i === 6 }));
const http = (retries = 3) => new HttpClient({ concurrency: 4, timeoutMs: 5000, retries, backoffBaseMs: 10, backoffMaxMs: 2000 });
const github = (api: string, org = 'coop'): Extract<SourceSpec, { kind: 'github' }> => ({
  kind: 'github',
  id: `github:${org}`,
  org,
  apiUrl: api,
  tokenEnv: 'GITHUB_TOKEN',
});
const gitea = (url: string, org = 'coop'): Extract<SourceSpec, { kind: 'gitea' }> => ({
  kind: 'gitea',
  id: `gitea:${url}/${org}`,
  url,
  org,
  tokenEnv: 'GITEA_TOKEN',
});

describe('GitHub (octokit against the API double)', () => {
  it('lists an organisation across Link pages, sending the token from GITHUB_TOKEN', async () => {
    const double = await startGitHubDouble({ orgs: { coop: repos() }, token: 'good', maxPageSize: 3 });
    try {
      const listing = await listGitHub(github(double.url), http(2), { GITHUB_TOKEN: 'good' });
      expect(listing.error).toBeUndefined();
      expect(listing.repos.map((r) => r.name)).toEqual(names);
      expect(listing.repos[0]).toMatchObject({
        fetchUrl: git.url('recipe-0'),
        repository: git.url('recipe-0'),
        website: 'https://recipe-0.example',
        description: 'Recipe 0',
        defaultBranch: 'main',
        sshUrl: 'git@github.com:coop/recipe-0.git',
      });
      expect(listing.repos[6]!.archived).toBe(true);
      // per_page is capped at 3 by the double: three pages, each found through Link.
      expect(double.requests.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(double.requests.every((r) => r.authorization === 'token')).toBe(true);
    } finally {
      await double.stop();
    }
  });

  it('falls back to a user, waits out rate limits, and names a bad token', async () => {
    const double = await startGitHubDouble({
      users: { someone: repos().slice(0, 2) },
      token: 'good',
      faults: { at: { 2: 'rate-limit', 3: 'secondary-rate-limit' } },
    });
    try {
      const listing = await listGitHub(github(double.url, 'someone'), http(3), {});
      expect(listing.error).toBeUndefined();
      expect(listing.repos.map((r) => r.name)).toEqual(['recipe-0', 'recipe-1']);
      expect(double.requests.map((r) => r.status)).toEqual([404, 403, 403, 200]);
      const bad = await listGitHub(github(double.url, 'someone'), http(1), { GITHUB_TOKEN: 'wrong' });
      expect(bad.error).toMatch(/rejected the token in GITHUB_TOKEN \(HTTP 401\)/);
    } finally {
      await double.stop();
    }
  }, 30_000);
});

describe('Gitea (fetch against the API double)', () => {
  it('lists an organisation across Link pages, retries 429 and 500, skips empty repositories', async () => {
    const list = [...repos(), { name: 'empty-one', cloneUrl: 'git://nowhere/empty.git', empty: true }];
    const double = await startGiteaDouble({ orgs: { coop: list }, maxPageSize: 50, faults: { at: { 1: '429', 3: '500' } }, waitSeconds: 0 });
    try {
      const listing = await listGitea(gitea(double.url), http(), {});
      expect(listing.error).toBeUndefined();
      expect(listing.repos.map((r) => r.name)).toEqual(names);
      expect(listing.skipped).toEqual([{ name: 'empty-one', sourceId: `gitea:${double.url}/coop`, reason: 'the repository is empty' }]);
      expect(listing.repos[1]).toMatchObject({
        website: 'https://recipe-1.example',
        sshUrl: expect.stringMatching(/^ssh:\/\/git@127\.0\.0\.1:\d+\/coop\/recipe-1\.git$/),
      });
    } finally {
      await double.stop();
    }
  });

  it('pages with limit/page and Link; a bad token is a failed source with the reason', async () => {
    const double = await startGiteaDouble({ orgs: { coop: repos() }, token: 'good', maxPageSize: 2 });
    try {
      const listing = await listGitea(gitea(double.url), http(), { GITEA_TOKEN: 'good' });
      expect(listing.repos).toHaveLength(7);
      expect(double.requests.filter((r) => r.status === 200)).toHaveLength(4);
      expect(double.requests[0]!.authorization).toBe('token');
      const bad = await listGitea(gitea(double.url), http(), { GITEA_TOKEN: 'nope' });
      expect(bad.error).toMatch(/refused the listing of coop \(HTTP 401\): check the token in GITEA_TOKEN/);
      const missing = await listGitea(gitea(double.url, 'nobody'), http(), {});
      expect(missing.error).toMatch(/no organisation or user "nobody"/);
    } finally {
      await double.stop();
    }
  });
});

describe('several sources in one run', () => {
  it('merges sources in order, skips duplicates and archived repositories, and keeps entries of a failed source, marked stale', async () => {
    const hub = await startGitHubDouble({ orgs: { coop: repos().slice(0, 4) } });
    const tea = await startGiteaDouble({ orgs: { coop: repos().slice(2) } });
    try {
      const config = path.join(dir, 'galley-catalogue.yml');
      await writeFile(
        config,
        `sources:\n  - github: { org: coop, api: ${hub.url} }\n  - gitea: { url: ${tea.url}, org: coop }\noffline: true\nforge: { retries: 1 }\n`,
      );
      const settings = await resolveCatalogueSettings({ config, cache: path.join(dir, 'cache'), out: path.join(dir, 'recipes.json') }, dir, {});
      const discovery = await discoverRepos(settings.sources, { forgeHttp: http(1), includeArchived: false, env: {} });
      expect(discovery.repos.map((r) => [r.name, r.sourceKind])).toEqual([
        ['recipe-0', 'github'],
        ['recipe-1', 'github'],
        ['recipe-2', 'github'],
        ['recipe-3', 'github'],
        ['recipe-4', 'gitea'],
        ['recipe-5', 'gitea'],
      ]);
      expect(discovery.skipped.map((s) => [s.name, s.reason])).toEqual([
        ['recipe-2', `github:${hub.url}/coop lists a recipe of that name already`],
        ['recipe-3', `github:${hub.url}/coop lists a recipe of that name already`],
        ['recipe-6', 'archived (includeArchived: true scans it)'],
      ]);
      const complete = await generateCatalogue(settings);
      expect(complete.status).toBe('complete');
      expect(Object.keys(complete.catalogue)).toEqual(names.slice(0, 6));
      expect(complete.catalogue['recipe-4']!.galley).toMatchObject({ source: 'gitea', sourceId: `gitea:${tea.url}/coop`, upgrades: {} });
      expect(complete.catalogue['recipe-4']!.versions).toEqual([{ '1.0.0+1': { app: { image: 'nginx', tag: '1.25.4', digest: 'unknown' } } }]);
      // The Gitea forge goes away: its recipes keep their entries, marked stale.
      await tea.stop();
      const partial = await generateCatalogue(settings, { now: () => new Date('2031-05-01T00:00:00Z') });
      expect(partial.status).toBe('partial');
      expect(partial.summary.stale).toEqual(['recipe-4', 'recipe-5']);
      expect(partial.catalogue['recipe-5']!.galley!.stale).toEqual({ error: expect.stringMatching(/connection refused/), since: '2031-05-01T00:00:00.000Z' });
      expect(partial.catalogue['recipe-0']!.galley!.stale).toBeUndefined();
    } finally {
      await hub.stop();
      await tea.stop();
    }
  }, 60_000);
});

describe("a forge's push times", () => {
  /** A recipe repository with one release, 1.0.0+1.25.3. */
  const addReleased = (name: string) =>
    git.addRepo({
      name,
      commits: [
        {
          message: 'init',
          files: { 'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.25.3\n' },
          tags: [{ name: '1.0.0+1.25.3', annotated: true }],
        },
      ],
    });

  // The recipes are fetched over smart HTTP from the real `git http-backend`, which records every request:
  // a repository the forge says nobody pushed to since the last run is not asked anything.
  it.each([
    ['GitHub', 'pushed_at', startGitHubDouble, (url: string) => `github: { org: coop, api: ${url} }`],
    ['Gitea', 'updated_at', startGiteaDouble, (url: string) => `gitea: { url: ${url}, org: coop }`],
  ] as const)(
    '%s: a repository whose %s did not move gets no git request; one pushed to is read',
    async (forgeName, _field, startDouble, sourceLine) => {
      const pushed = ['a', 'b', 'c'].map((x) => `pushed-${forgeName.toLowerCase()}-${x}`);
      for (const name of pushed) await addReleased(name);
      const gitHttp = await startGitHttpServer(git.root);
      const listed: ForgeRepo[] = pushed.map((name) => ({ name, cloneUrl: gitHttp.url(name), pushedAt: '2030-01-01T00:00:00Z' }));
      let forge: ForgeDouble | undefined;
      try {
        forge = await startDouble({ orgs: { coop: listed } });
        const work = path.join(dir, `pushed-${forgeName}`);
        const config = path.join(dir, `pushed-${forgeName}.yml`);
        await writeFile(config, `sources:\n  - ${sourceLine(forge.url)}\noffline: true\n`);
        const settings = await resolveCatalogueSettings({ config, cache: path.join(work, 'cache'), out: path.join(work, 'recipes.json') }, dir, {});
        const asked = () => [...new Set(gitHttp.requests.map((r) => /\/(pushed-[^/]+)\.git\//.exec(r)?.[1]))].sort();

        const first = await generateCatalogue(settings);
        expect(first.status).toBe('complete');
        expect(asked()).toEqual(pushed);

        // Nothing pushed: no git request at all, the same catalogue.
        gitHttp.requests.splice(0);
        const quiet = await generateCatalogue(settings);
        expect(gitHttp.requests).toEqual([]);
        expect(quiet.summary).toMatchObject({ read: 0, unchanged: 3 });
        expect(quiet.catalogue).toEqual(first.catalogue);

        // A release pushed to one: the forge moves its push time, and only that repository is asked and read.
        await git.addCommit(pushed[1]!, {
          message: 'release',
          files: { 'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.25.4\n' },
          tags: [{ name: '1.1.0+1.25.4', annotated: true }],
        });
        listed[1]!.pushedAt = '2030-01-02T00:00:00Z';
        const next = await generateCatalogue(settings);
        expect(asked()).toEqual([pushed[1]]);
        expect(next.summary).toMatchObject({ read: 1, unchanged: 2 });
        expect(next.catalogue[pushed[1]!]!.versions.map((v) => Object.keys(v)[0])).toEqual(['1.0.0+1.25.3', '1.1.0+1.25.4']);

        // --refresh asks every repository again.
        gitHttp.requests.splice(0);
        await generateCatalogue({ ...settings, refresh: true });
        expect(asked()).toEqual(pushed);
      } finally {
        await forge?.stop();
        await gitHttp.stop();
      }
    },
    120_000,
  );

  it("asks a Gitea pull mirror every time (its updated_at is its newest commit's date, which a new tag does not move)", async () => {
    const name = 'pushed-mirror';
    await addReleased(name);
    const gitHttp = await startGitHttpServer(git.root);
    const forge = await startGiteaDouble({ orgs: { coop: [{ name, cloneUrl: gitHttp.url(name), pushedAt: '2030-01-01T00:00:00Z', mirror: true }] } });
    try {
      const config = path.join(dir, 'pushed-mirror.yml');
      await writeFile(config, `sources:\n  - gitea: { url: ${forge.url}, org: coop }\noffline: true\n`);
      const settings = await resolveCatalogueSettings({ config, cache: path.join(dir, 'pushed-mirror'), out: path.join(dir, 'pushed-mirror.json') }, dir, {});
      await generateCatalogue(settings);
      await git.addTag(name, { name: '1.0.1+1.25.3', annotated: true });
      gitHttp.requests.splice(0);
      const next = await generateCatalogue(settings);
      expect(gitHttp.requests.length).toBeGreaterThan(0);
      expect(next.catalogue[name]!.versions.map((v) => Object.keys(v)[0])).toEqual(['1.0.0+1.25.3', '1.0.1+1.25.3']);
    } finally {
      await forge.stop();
      await gitHttp.stop();
    }
  }, 60_000);
});
