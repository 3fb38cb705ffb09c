// What goes wrong on a maintainer's nightly run, one test per defect of
// issue 12, through the built CLI with real git (git daemon) and the real
// distribution registry (behind the test proxy): failing and renamed
// sources, git killed by a signal, corrupt mirrors, invalid releases, a
// registry outage, .env.sample in `recipe upgrade`, a closed pipe, newer
// variant lines, --offline, and the small ones (a reused pid in the lock, a
// killed write's temp file, moved tags, JSON on failures, bad ports,
// exclusions).
import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CatalogueChanges, CatalogueRecipe, CatalogueSidecar } from '@galley/catalogue';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GALLEY_BIN, REPO_ROOT, runGalley } from '../support/cli.js';
import { type ForgeDouble, freePort, run, startGiteaDouble } from '../support/index.js';
import { README, startWorld, type World } from './world.js';

let world: World;
let gitea: ForgeDouble;
let realGit: string;

const compose = (services: Record<string, string>): string =>
  `version: "3.8"\nservices:\n${Object.entries(services)
    .map(([name, image]) => `  ${name}:\n    image: ${image}\n`)
    .join('')}`;

/** A recipe repository on the git server: one annotated release per entry. */
async function addRecipe(name: string, releases: Array<{ version: string; services: Record<string, string> }>): Promise<void> {
  await world.git.addRepo({
    name,
    commits: releases.map((r, i) => ({
      message: `release ${r.version}`,
      date: `2024-0${i + 1}-01T00:00:00Z`,
      files: { 'compose.yml': compose(r.services), ...(i === 0 ? { 'README.md': README(name, 'nginx') } : {}) },
      tags: [{ name: r.version, annotated: true }],
    })),
  });
}

async function release(name: string, version: string, services: Record<string, string>, date = '2024-06-01T00:00:00Z'): Promise<void> {
  await world.git.addCommit(name, {
    message: `release ${version}`,
    date,
    files: { 'compose.yml': compose(services) },
    tags: [{ name: version, annotated: true }],
  });
}

/** A folder for one test: a list file of these repositories and a configuration pointing the registries at the proxy. */
async function setup(label: string, repos: string[], registryExtra = ''): Promise<{ dir: string; config: string; out: string; cache: string }> {
  const dir = path.join(world.dir, label);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'recipes.txt'), `${repos.map((r) => world.git.url(r)).join('\n')}\n`);
  const config = await world.config(path.join(dir, 'galley-catalogue.yml'), { sources: '  - list: recipes.txt\n', registryExtra });
  return { dir, config, out: path.join(dir, 'recipes.json'), cache: path.join(dir, 'cache') };
}

const generate = (t: { dir: string; config: string; out: string; cache: string }, extra: string[] = [], env: Record<string, string> = {}) =>
  runGalley(['catalogue', 'generate', '--config', t.config, '--cache', t.cache, '--out', t.out, ...extra], { cwd: t.dir, env: { CI: '1', ...env } });

const readCatalogue = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, CatalogueRecipe>;
const versionsOf = (entry: CatalogueRecipe | undefined) => (entry?.versions ?? []).map((v) => Object.keys(v)[0]);
const sidecarOf = async (file: string) => JSON.parse(await readFile(file.replace(/\.json$/, '.galley.json'), 'utf8')) as CatalogueSidecar;

beforeAll(async () => {
  world = await startWorld();
  realGit = (await run('sh', ['-c', 'command -v git'])).stdout.trim();
  await world.registry.seedImage('library/php', ['8.0-fpm-alpine3.13', '8.0-fpm-alpine3.19', '8.1-fpm-bookworm', '8.0-apache'], { distinctDigests: true });
}, 120_000);

afterAll(async () => {
  await gitea?.stop();
  await world?.stop();
});

describe('sources that fail or change', () => {
  it('a mistyped organisation removes nothing (entries kept stale, exit 3); a source that lists fewer repositories is refused unless --allow-shrink', async () => {
    const names = ['src-a', 'src-b', 'src-c', 'src-d'];
    for (const name of names) await addRecipe(name, [{ version: '1.0.0+1.25.3', services: { app: 'nginx:1.25.3' } }]);
    gitea = await startGiteaDouble({
      orgs: { coop: names.map((name) => ({ name, cloneUrl: world.git.url(name) })), other: [{ name: 'src-a', cloneUrl: world.git.url('src-a') }] },
    });
    const t = await setup('sources', []);
    const source = (org: string) => ['--source', `gitea:${gitea.url}/${org}`];
    const first = await generate(t, source('coop'));
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.code).toBe(0);
    const good = await readFile(t.out, 'utf8');
    expect(Object.keys(JSON.parse(good) as object)).toEqual(names);

    const typo = await generate(t, source('coop-typo'));
    expect(typo.code).toBe(3);
    expect(typo.stderr).toMatch(/source gitea:.*coop-typo failed: .*no organisation or user "coop-typo"/);
    const kept = await readCatalogue(t.out);
    expect(Object.keys(kept)).toEqual(names);
    for (const name of names) expect(kept[name]!.galley!.stale!.error).toMatch(/coop-typo failed/);

    // A source that answers, but lists one of the four: a run must not publish that.
    const before = await readFile(t.out, 'utf8');
    const shrunk = await generate(t, [...source('other'), '--json']);
    expect(shrunk.code).toBe(1);
    expect(shrunk.stderr).toMatch(/would lose 3 of its 4 recipes.*src-b \(no source lists it any more\).*--allow-shrink/);
    // A JSON reader's stream ends with the refusal, not cut short.
    expect(JSON.parse(shrunk.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'error', exitCode: 1, code: 'catalogue-shrink' });
    expect(await readFile(t.out, 'utf8')).toBe(before);
    const allowed = await generate(t, [...source('other'), '--allow-shrink']);
    expect(allowed.code).toBe(0);
    expect(Object.keys(await readCatalogue(t.out))).toEqual(['src-a']);
    expect((await sidecarOf(t.out)).changes!.removedRecipes.map((r) => r.recipe)).toEqual(['src-b', 'src-c', 'src-d']);
  }, 120_000);
});

describe('git killed by a signal', () => {
  /** A `git` first on PATH that kills itself (SIGKILL) when asked for $GALLEY_TEST_KILL_GIT, leaving lock files as a killed git does. */
  async function killingGit(): Promise<string> {
    const bin = path.join(world.dir, 'killing-git');
    await mkdir(bin, { recursive: true });
    await writeFile(
      path.join(bin, 'git'),
      `#!/bin/sh
if [ -n "$GALLEY_TEST_KILL_GIT" ]; then
  case " $* " in
    *" $GALLEY_TEST_KILL_GIT "*)
      gitdir=""; prev=""
      for a in "$@"; do [ "$prev" = "--git-dir" ] && gitdir="$a"; prev="$a"; done
      if [ -n "$gitdir" ] && [ -d "$gitdir/refs" ]; then : > "$gitdir/packed-refs.lock"; : > "$gitdir/refs/tags/half.lock"; fi
      kill -KILL $$ ;;
  esac
fi
exec ${realGit} "$@"
`,
    );
    await chmod(path.join(bin, 'git'), 0o755);
    return bin;
  }

  it('a killed clone, fetch or object reader fails the run (exit 3) and drops nothing; lock files left behind do not fail the next run', async () => {
    await addRecipe('killed', [{ version: '1.0.0+1.25.3', services: { app: 'nginx:1.25.3' } }]);
    await addRecipe('steady', [{ version: '1.0.0+1.25.3', services: { app: 'nginx:1.25.3' } }]);
    const t = await setup('killed', ['killed', 'steady']);
    const bin = await killingGit();
    const killing = (what: string) => ({ PATH: `${bin}:${process.env.PATH}`, GALLEY_TEST_KILL_GIT: what });

    const clone = await generate(t, [], killing('clone'));
    expect(clone.code).toBe(3);
    expect(clone.stderr).toMatch(/failed killed: cloning .*killed\.git failed: killed by SIGKILL/);
    expect(clone.stderr).not.toMatch(/not a recipe/);
    // Nothing was catalogued before: the recipe is not there yet, and not "removed" either.
    expect(Object.keys(await readCatalogue(t.out))).toEqual([]);

    const good = await generate(t);
    expect(good.code).toBe(0);
    expect(versionsOf((await readCatalogue(t.out)).killed)).toEqual(['1.0.0+1.25.3']);

    await release('killed', '1.1.0+1.25.4', { app: 'nginx:1.25.4' });
    const fetch = await generate(t, [], killing('fetch'));
    expect(fetch.code).toBe(3);
    expect(fetch.stderr).toMatch(/fetching .*killed\.git failed.*killed by SIGKILL/);
    const stale = await readCatalogue(t.out);
    expect(versionsOf(stale.killed)).toEqual(['1.0.0+1.25.3']);
    expect(stale.killed!.galley!.stale!.error).toMatch(/killed by SIGKILL/);
    const mirror = path.join(t.cache, 'mirrors', 'killed.git');
    expect((await readdir(mirror)).includes('packed-refs.lock')).toBe(true);

    const next = await generate(t);
    expect(next.stderr).not.toMatch(/failed|internal error/);
    expect(next.code).toBe(0);
    const caught = await readCatalogue(t.out);
    expect(versionsOf(caught.killed)).toEqual(['1.0.0+1.25.3', '1.1.0+1.25.4']);
    expect(caught.killed!.galley!.stale).toBeUndefined();

    // The object reader killed while a repository is read: a failure, never "not a recipe".
    const reader = await generate(t, ['--refresh'], killing('cat-file'));
    expect(reader.code).toBe(3);
    expect(reader.stderr).toMatch(/cat-file was killed by SIGKILL/);
    expect(reader.stderr).not.toMatch(/not a recipe|removed/);
    expect(Object.keys(await readCatalogue(t.out))).toEqual(['killed', 'steady']);
  }, 180_000);
});

describe('a corrupt mirror', () => {
  /** Unpacks the mirror into loose objects and overwrites the release's commit with garbage (a disk that lost data). */
  async function corrupt(mirror: string, tag: string): Promise<void> {
    const packs = path.join(mirror, 'objects', 'pack');
    for (const file of (await readdir(packs)).filter((f) => f.endsWith('.pack'))) {
      const moved = path.join(mirror, `${file}.old`);
      await rename(path.join(packs, file), moved);
      await rm(path.join(packs, file.replace(/\.pack$/, '.idx')), { force: true });
      await run(realGit, ['--git-dir', mirror, 'unpack-objects', '-q'], { input: await readFile(moved) });
      await rm(moved);
    }
    const commit = (await run(realGit, ['--git-dir', mirror, 'rev-parse', `${tag}^{commit}`])).stdout.trim();
    const object = path.join(mirror, 'objects', commit.slice(0, 2), commit.slice(2));
    await chmod(object, 0o644);
    await writeFile(object, 'garbage');
  }

  it.each([
    ['with its scan state', false],
    ['without its scan state', true],
  ])(
    'is found and cloned again, %s',
    async (label, dropState) => {
      const name = `corrupt-${dropState ? 'nostate' : 'state'}`;
      await addRecipe(name, [{ version: '1.0.0+1.25.3', services: { app: 'nginx:1.25.3' } }]);
      const t = await setup(name, [name]);
      expect((await generate(t)).code).toBe(0);
      await corrupt(path.join(t.cache, 'mirrors', `${name}.git`), '1.0.0+1.25.3');
      if (dropState) await rm(path.join(t.cache, 'catalogue-state.json'));
      await release(name, '1.1.0+1.25.4', { app: 'nginx:1.25.4' });
      const repaired = await generate(t);
      expect(repaired.stderr).not.toMatch(/internal error/);
      expect(repaired.stderr).toMatch(new RegExp(`${name}: the mirror is broken .*; cloning it again`));
      expect(repaired.code).toBe(0);
      const entry = (await readCatalogue(t.out))[name];
      expect(versionsOf(entry)).toEqual(['1.0.0+1.25.3', '1.1.0+1.25.4']);
      expect(entry!.galley!.stale).toBeUndefined();
      expect(label).toBeDefined();
    },
    120_000,
  );
});

describe('releases that cannot be published', () => {
  it('records a tag that is no version and a release whose compose does not parse, and publishes neither', async () => {
    await addRecipe('invalid', [{ version: '1.0.0+1.25.3', services: { app: 'nginx:1.25.3' } }]);
    await world.git.addCommit('invalid', {
      message: 'broken',
      date: '2024-05-01T00:00:00Z',
      files: { 'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.25.4\n    ports: [80\n' },
      tags: [
        { name: '1.1.0+1.25.4', annotated: true },
        { name: '0.5.0-2.0.5', annotated: true },
      ],
    });
    const t = await setup('invalid', ['invalid']);
    const result = await generate(t, ['--json']);
    expect(result.code).toBe(0);
    const entry = (await readCatalogue(t.out)).invalid!;
    expect(versionsOf(entry)).toEqual(['1.0.0+1.25.3']);
    expect(entry.versions.every((v) => Object.keys(Object.values(v)[0]!).length > 0)).toBe(true);
    expect(entry.galley!.invalidReleases).toEqual([
      { tag: '0.5.0-2.0.5', reason: expect.stringMatching(/is neither <recipe semver>\+<image tag>/), commit: expect.any(String) },
      {
        tag: '1.1.0+1.25.4',
        reason: expect.stringMatching(/^compose\.yml does not parse: /),
        location: expect.stringMatching(/^compose\.yml:\d+:\d+$/),
        commit: expect.any(String),
      },
    ]);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { summary: { invalidReleases: unknown[]; changes: CatalogueChanges } };
    expect(summary.summary.invalidReleases).toHaveLength(2);
    expect(summary.summary.changes.invalidReleases.map((i) => i.tag)).toEqual(['0.5.0-2.0.5', '1.1.0+1.25.4']);
  }, 60_000);
});

describe('a registry outage', () => {
  it('publishes a new release from git and marks only the digests and upgrades the down registry could not give', async () => {
    await addRecipe('outage', [{ version: '1.0.0+3.8.3', services: { app: 'ghcr.io/nodebb/nodebb:3.8.3', web: 'nginx:1.25.3' } }]);
    const t = await setup('outage', ['outage']);
    expect((await generate(t)).code).toBe(0);
    const before = (await readCatalogue(t.out)).outage!;
    await release('outage', '1.1.0+3.8.4', { app: 'ghcr.io/nodebb/nodebb:3.8.4', web: 'nginx:1.25.4' });
    // ghcr.io is down (nothing listens there); docker.io answers.
    const down = await freePort();
    await writeFile(
      t.config,
      (await readFile(t.config, 'utf8')).replace(/ghcr\.io: \{ url: [^}]+\}/, `ghcr.io: { url: http://127.0.0.1:${down} }`).replace('retries: 8', 'retries: 1'),
    );
    const result = await generate(t, ['--refresh']);
    expect(result.code).toBe(3);
    const entry = (await readCatalogue(t.out)).outage!;
    expect(versionsOf(entry)).toEqual(['1.0.0+3.8.3', '1.1.0+3.8.4']);
    expect(entry.galley!.stale).toBeUndefined();
    const [v1, v2] = entry.versions.map((v) => Object.values(v)[0]!);
    expect(v1!.app!.digest).toBe(before.versions[0]!['1.0.0+3.8.3']!.app!.digest);
    expect(v2!.app!.digest).toBe('unknown');
    expect(v2!.web!.digest).toBe(world.digests['library/nginx']!.get('1.25.4'));
    expect(entry.galley!.staleDigests!.images).toEqual(['ghcr.io/nodebb/nodebb:3.8.3', 'ghcr.io/nodebb/nodebb:3.8.4']);
    expect(entry.galley!.upgrades.app!.stale).toBeDefined();
    expect(entry.galley!.upgrades.web).toMatchObject({ current: '1.25.4', minor: { tag: '1.26.1' } });
    expect(entry.galley!.upgrades.web!.stale).toBeUndefined();
  }, 120_000);
});

describe('galley recipe upgrade and .env.sample', () => {
  it('edits the .env.sample line that wins and the compose default with it; says when only a newer variant line exists', async () => {
    const dir = path.join(world.dir, 'upgrade-env');
    await cp(path.join(REPO_ROOT, 'examples/recipes/notes'), dir, { recursive: true });
    const host = world.proxy.host;
    await writeFile(
      path.join(dir, 'compose.yml'),
      `version: "3.8"\nservices:\n  app:\n    image: ${host}/library/nginx:\${NGINX_TAG:-1.25.3}\n  php:\n    image: ${host}/library/php:8.0-fpm-alpine3.13\n`,
    );
    const env = (await readFile(path.join(dir, '.env.sample'), 'utf8')).replace('TYPE=notes\n', 'TYPE=notes\nNGINX_TAG=1.25.3  # the web server\n');
    await writeFile(path.join(dir, '.env.sample'), env);
    const patch = await runGalley(['recipe', 'upgrade', dir, '--patch'], { cwd: dir });
    expect(patch.stderr).toBe('');
    expect(patch.code).toBe(0);
    expect(await readFile(path.join(dir, '.env.sample'), 'utf8')).toBe(env.replace('NGINX_TAG=1.25.3', 'NGINX_TAG=1.25.4'));
    expect(await readFile(path.join(dir, 'compose.yml'), 'utf8')).toContain('nginx:${NGINX_TAG:-1.25.4}');
    expect(patch.stdout).toMatch(
      /php\s+compose\.yml:6\s+\S+\/library\/php\s+8\.0-fpm-alpine3\.13\s+-\s+newer variant\s+newer variant available: 8\.0-fpm-alpine3\.19/,
    );
    // A .env.sample value ahead of the default: it wins, and the default follows it.
    await writeFile(path.join(dir, '.env.sample'), env.replace('NGINX_TAG=1.25.3', 'NGINX_TAG=1.25.4'));
    const minor = await runGalley(['recipe', 'upgrade', dir, '--minor'], { cwd: dir });
    expect(minor.code).toBe(0);
    expect(await readFile(path.join(dir, '.env.sample'), 'utf8')).toContain('NGINX_TAG=1.26.1  # the web server');
    expect(await readFile(path.join(dir, 'compose.yml'), 'utf8')).toContain('nginx:${NGINX_TAG:-1.26.1}');
  }, 60_000);
});

describe('newer variant lines in the catalogue', () => {
  it('says a newer variant exists instead of "up to date"', async () => {
    await addRecipe('variant', [{ version: '1.0.0+8.0', services: { app: 'php:8.0-fpm-alpine3.13' } }]);
    const t = await setup('variant', ['variant']);
    expect((await generate(t)).code).toBe(0);
    const entry = (await readCatalogue(t.out)).variant!;
    expect(entry.galley!.upgrades.app).toMatchObject({ current: '8.0-fpm-alpine3.13', variant: { tag: '8.0-fpm-alpine3.19' } });
    expect(entry.galley!.upgrades.app!.daysBehind).toBeUndefined();
    expect(entry.galley!.health!.upgrade).toBe('variant');
  }, 60_000);
});

describe('a closed output pipe', () => {
  it('is no reason to stop: the catalogue is written, the lock released, the exit code is the run’s', async () => {
    await addRecipe('piped', [{ version: '1.0.0+1.25.3', services: { app: 'nginx:1.25.3' } }]);
    const t = await setup('piped', ['piped']);
    for (const closed of ['stderr', 'stdout'] as const) {
      await rm(t.out, { force: true });
      const child = spawn(
        process.execPath,
        [
          GALLEY_BIN,
          'catalogue',
          'generate',
          '--config',
          t.config,
          '--cache',
          t.cache,
          '--out',
          t.out,
          '--refresh',
          ...(closed === 'stdout' ? ['--json'] : []),
        ],
        { cwd: t.dir, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      // Like `… | head -c0`: the reader goes away before the first line.
      child[closed].destroy();
      child[closed === 'stderr' ? 'stdout' : 'stderr'].resume();
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(Object.keys(await readCatalogue(t.out))).toEqual(['piped']);
      expect(await stat(path.join(t.cache, 'catalogue.lock.lock')).catch(() => undefined)).toBeUndefined();
    }
  }, 60_000);
});

describe('--offline on an existing catalogue', () => {
  it('keeps the digests and upgrades the previous catalogue knew, and when upstream was last checked', async () => {
    await addRecipe('offline', [{ version: '1.0.0+1.25.3', services: { app: 'nginx:1.25.3' } }]);
    const t = await setup('offline', ['offline']);
    expect((await generate(t, [], { SOURCE_DATE_EPOCH: '1900000000' })).code).toBe(0);
    const online = await readFile(t.out, 'utf8');
    expect((JSON.parse(online) as Record<string, CatalogueRecipe>).offline!.versions[0]!['1.0.0+1.25.3']!.app!.digest).toMatch(/^sha256:/);
    const offline = await generate(t, ['--offline', '--refresh'], { SOURCE_DATE_EPOCH: '1900086400' });
    expect(offline.code).toBe(0);
    expect(await readFile(t.out, 'utf8')).toBe(online);
    const sidecar = await sidecarOf(t.out);
    expect(sidecar).toMatchObject({ generatedAt: new Date(1900086400_000).toISOString(), upstreamCheckedAt: new Date(1900000000_000).toISOString() });
  }, 60_000);
});

describe('the small ones', () => {
  it('takes over a lock whose holder pid was reused by an unrelated live process, and removes a killed write’s temp file', async () => {
    await addRecipe('small', [{ version: '1.0.0+1.25.3', services: { app: 'nginx:1.25.3' } }]);
    const t = await setup('small', ['small']);
    expect((await generate(t)).code).toBe(0);
    // A run killed an hour ago left its lock; its pid now belongs to another, live process.
    const unrelated = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const lock = path.join(t.cache, 'catalogue.lock.lock');
      await mkdir(lock);
      const holder = { pid: unrelated.pid, host: os.hostname(), user: 'x', command: 'galley catalogue generate', started: '2024-01-01T00:00:00Z' };
      await writeFile(path.join(t.cache, 'catalogue.lock.holder.json'), JSON.stringify(holder));
      const hourAgo = new Date(Date.now() - 3600_000);
      await utimes(lock, hourAgo, hourAgo);
      const dead = spawn('true');
      await new Promise((resolve) => dead.on('close', resolve));
      const temp = path.join(t.dir, `.recipes.json.galley-${dead.pid}-0a1b2c3d.tmp`);
      await writeFile(temp, '{"half":');
      const next = await generate(t);
      expect(next.stderr).not.toMatch(/locked/);
      expect(next.code).toBe(0);
      expect(await stat(temp).catch(() => undefined)).toBeUndefined();
    } finally {
      unrelated.kill();
    }
  }, 60_000);

  it('reports a moved release tag', async () => {
    await addRecipe('moved', [{ version: '1.0.0+1.25.3', services: { app: 'nginx:1.25.3' } }]);
    const t = await setup('moved', ['moved']);
    expect((await generate(t)).code).toBe(0);
    await world.git.addCommit('moved', { message: 'rewrite', date: '2024-07-01T00:00:00Z', files: { 'compose.yml': compose({ app: 'nginx:1.25.4' }) } });
    await world.git.addTag('moved', { name: '1.0.0+1.25.3', annotated: true });
    const summaryFile = path.join(t.dir, 'step-summary.md');
    await writeFile(summaryFile, '# earlier step\n');
    const result = await generate(t, ['--changes', 'changes.md', '--changes', 'changes.json', '--format', 'abra'], { GITHUB_STEP_SUMMARY: summaryFile });
    expect(result.code).toBe(0);
    // abra's layout: four-space indent, no final newline.
    const text = await readFile(t.out, 'utf8');
    expect(text).toMatch(/^\{\n {4}"moved": \{\n {8}"category": /);
    expect(text.endsWith('}')).toBe(true);
    expect(await readFile(summaryFile, 'utf8')).toMatch(/^# earlier step\n## Catalogue changes \(.*\)\n\n### Moved release tags/);
    expect(result.stderr).toMatch(/moved release tag: moved 1\.0\.0\+1\.25\.3 now points at [0-9a-f]{12} \(was [0-9a-f]{12}\): releases should not change/);
    const changes = JSON.parse(await readFile(path.join(t.dir, 'changes.json'), 'utf8')) as CatalogueChanges;
    expect(changes.movedTags).toEqual([{ recipe: 'moved', version: '1.0.0+1.25.3', from: expect.any(String), to: expect.any(String) }]);
    expect(await readFile(path.join(t.dir, 'changes.md'), 'utf8')).toMatch(/### Moved release tags/);
  }, 60_000);

  it('ends a JSON stream with an error event on exit 2, refuses bad ports at once, and skips excluded repositories', async () => {
    const t = await setup('json-error', ['forum', 'tools']);
    await writeFile(path.join(t.dir, 'bad.yml'), 'sources:\n  - list: recipes.txt\nregistry:\n  retires: 3\n');
    const bad = await runGalley(['catalogue', 'generate', '--config', 'bad.yml', '--json'], { cwd: t.dir });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'error', exitCode: 2, code: 'bad-config' });

    await writeFile(path.join(t.dir, 'port.yml'), 'sources:\n  - list: recipes.txt\nregistry:\n  hosts:\n    docker.io: { url: "http://127.0.0.1:6000" }\n');
    const port = await runGalley(['catalogue', 'generate', '--config', 'port.yml', '--cache', t.cache], { cwd: t.dir });
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/registry\.hosts\.docker\.io\.url: port 6000 of http:\/\/127\.0\.0\.1:6000 is one HTTP clients refuse/);
    // Refused while the configuration is read, before any request: nothing was retried.
    expect(port.stderr).not.toMatch(/retr|attempt|connection refused/i);

    const excluded = await generate(t, ['--exclude', 'tool*', '--offline']);
    expect(excluded.code).toBe(0);
    expect(excluded.stderr).toMatch(/tools \(list:recipes\.txt\): excluded \(exclude: tool\*\)/);
  }, 60_000);
});
