import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { RegistryAuth, RegistryClient } from '@galley/catalogue';
import { HttpClient } from '@galley/platform/http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REPO_ROOT, runGalley } from '../support/cli.js';
import { type LocalRegistry, makeTempDir, type RegistryProxy, removeTempDir, run, startRegistry, startRegistryProxy } from '../support/index.js';
import { postgresTags } from './world.js';

const exec = promisify(execFile);
let dir: string;
let registry: LocalRegistry;
let proxy: RegistryProxy;

beforeAll(async () => {
  dir = await makeTempDir('catalogue-cli');
  registry = await startRegistry({ parentDir: '/dev/shm' });
  await registry.seedImage('library/nginx', ['1.25.3', '1.25.4', '1.26.0', '2.0.0', '1.25.3-alpine', '1.25.5-alpine', 'latest'], { distinctDigests: true });
  await registry.seedTagsFast('library/postgres', postgresTags(), { distinctDigests: true });
  proxy = await startRegistryProxy(registry.url);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  if (dir) await removeTempDir(dir);
});

/** The example recipes as tagged git repositories, listed by local path (what the README's offline demo does). */
async function exampleRepos(): Promise<string> {
  const root = path.join(dir, 'examples');
  const lines: string[] = [];
  for (const name of ['forum', 'notes', 'wiki']) {
    const repo = path.join(root, name);
    await cp(path.join(REPO_ROOT, 'examples/recipes', name), repo, { recursive: true });
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
      GIT_AUTHOR_DATE: '2024-05-01T00:00:00Z',
      GIT_COMMITTER_DATE: '2024-05-01T00:00:00Z',
    };
    await exec('git', ['init', '-q', '-b', 'main'], { cwd: repo, env });
    await exec('git', ['add', '-A'], { cwd: repo, env });
    await exec('git', ['commit', '-qm', 'import'], { cwd: repo, env });
    await exec('git', ['tag', '-a', '1.0.0+1', '-m', 'chore: publish 1.0.0+1 release'], { cwd: repo, env });
    lines.push(name === 'wiki' ? `file://${repo}` : `examples/${name}`);
  }
  const list = path.join(dir, 'recipes.txt');
  await writeFile(list, `# the examples\n${lines.join('\n')}\n`);
  return list;
}

describe('galley catalogue generate (CLI)', () => {
  it('works offline on a list of local repositories: no registry, digests unknown, exit 0; JSON events with --json', async () => {
    await exampleRepos();
    const out = path.join(dir, 'offline.json');
    const result = await runGalley(['catalogue', 'generate', '--source', 'list:recipes.txt', '--offline', '--cache', 'cache', '--out', out], { cwd: dir });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/wrote .*offline\.json: 3 recipes \(3 repositories read/);
    expect(result.stderr).toMatch(/requests: none/);
    const catalogue = JSON.parse(await readFile(out, 'utf8')) as Record<
      string,
      { versions: Record<string, Record<string, { digest: string }>>[]; galley: { upgrades: object } }
    >;
    expect(Object.keys(catalogue)).toEqual(['forum', 'notes', 'wiki']);
    const services = Object.values(catalogue.forum!.versions[0]!['1.0.0+1']!);
    expect(services.length).toBeGreaterThan(0);
    expect(services.every((s) => s.digest === 'unknown')).toBe(true);
    expect(catalogue.forum!.galley.upgrades).toEqual({});

    const json = await runGalley(['catalogue', 'generate', '--source', 'list:recipes.txt', '--offline', '--cache', 'cache', '--out', out, '--json'], {
      cwd: dir,
    });
    expect(json.code).toBe(0);
    const events = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; status?: string; summary?: { unchanged: number } });
    expect(events[0]!.type).toBe('sources');
    expect(events.at(-1)).toMatchObject({ type: 'summary', status: 'complete', changed: false, summary: { unchanged: 3 } });
  }, 60_000);

  it('names the file and line of a bad configuration and exits 2', async () => {
    const config = path.join(dir, 'galley-catalogue.yml');
    await writeFile(config, 'sources:\n  - list: recipes.txt\nregistry:\n  retires: 3\n');
    const bad = await runGalley(['catalogue', 'generate', '--offline'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`galley: ${config}:4:3: unknown setting "retires" in registry (see docs/catalogue.md for the settings)\n`);
    await writeFile(config, 'sources:\n  - gitlab: foo\n');
    const source = await runGalley(['catalogue', 'generate', '--offline'], { cwd: dir });
    expect(source.code).toBe(2);
    expect(source.stderr).toMatch(new RegExp(`${config}:2:5: .*gitlab`));
    await writeFile(config, 'sources: [\n');
    const yaml = await runGalley(['catalogue', 'generate'], { cwd: dir });
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/galley-catalogue\.yml:\d+:\d+: /);
    const missing = await runGalley(['catalogue', 'generate', '--source', 'list:nope.txt', '--config', '/dev/null'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the list .*nope\.txt: it does not exist/);
    await writeFile(config, '');
    // Four CLI runs: generous on a busy machine.
  }, 60_000);

  it('exits 3 (partial) when a repository cannot be fetched, keeping the others', async () => {
    await writeFile(path.join(dir, 'partial.txt'), 'examples/notes\ngit://127.0.0.1:1/gone.git\n');
    const result = await runGalley(
      ['catalogue', 'generate', '--source', 'list:partial.txt', '--offline', '--cache', 'cache', '--out', 'partial.json', '--config', '/dev/null'],
      { cwd: dir },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/gone: cloning git:\/\/127\.0\.0\.1:1\/gone\.git failed/);
    expect(result.stderr).toMatch(/partial result \(exit code 3\)/);
    expect(Object.keys(JSON.parse(await readFile(path.join(dir, 'partial.json'), 'utf8')) as object)).toEqual(['notes']);
  }, 30_000);
});

describe('skopeo agrees with our tag lists', () => {
  it('lists the same tags as skopeo list-tags, also through paging and bearer auth', async () => {
    const expected = JSON.parse((await run('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry.host}/library/postgres`])).stdout) as {
      Tags: string[];
    };
    expect(expected.Tags.length).toBe(postgresTags().length);
    const http = new HttpClient({ concurrency: 4, timeoutMs: 5000, retries: 2, backoffBaseMs: 10, backoffMaxMs: 1000 });
    const direct = new RegistryClient(http, new RegistryAuth(http, new Map()), {});
    expect(await direct.listTags({ registry: registry.host, repository: 'library/postgres' })).toEqual([...expected.Tags].sort());
    for (const link of ['relative', 'absolute', 'opaque'] as const) {
      proxy.configure({ auth: {}, paging: { pageSize: 20, link } });
      const client = new RegistryClient(http, new RegistryAuth(http, new Map()), {});
      expect(await client.listTags({ registry: proxy.host, repository: 'library/postgres' })).toEqual([...expected.Tags].sort());
      const viaSkopeo = JSON.parse((await run('skopeo', ['list-tags', '--tls-verify=false', `docker://${proxy.host}/library/postgres`])).stdout) as {
        Tags: string[];
      };
      expect([...viaSkopeo.Tags].sort()).toEqual([...expected.Tags].sort());
    }
    proxy.configure({});
  }, 60_000);
});

describe('galley recipe upgrade', () => {
  const composeText = (host: string) => `version: "3.8"

services:
  app:
    # the web server; keep this comment
    image: ${host}/library/nginx:1.25.3   # pinned on purpose
    deploy:
      labels:
        - "coop-cloud.\${STACK_NAME}.version=1.0.0+1.25.3"
  side:
    image: "${host}/library/nginx:\${SIDE_TAG:-1.25.3-alpine}"
  db:
    image: '${host}/library/postgres:14.2'
  floating:
    image: ${host}/library/nginx
  varonly:
    image: \${IMAGE}
`;

  it('prints a diff and a table with --dry-run and changes nothing; then edits only the tags', async () => {
    const recipe = path.join(dir, 'upgrade-me');
    await cp(path.join(REPO_ROOT, 'examples/recipes/notes'), recipe, { recursive: true });
    const original = composeText(registry.host);
    await writeFile(path.join(recipe, 'compose.yml'), original);

    const dry = await runGalley(['recipe', 'upgrade', recipe, '--dry-run'], { cwd: dir });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(await readFile(path.join(recipe, 'compose.yml'), 'utf8')).toBe(original);
    expect(dry.stdout).toContain(`-    image: ${registry.host}/library/nginx:1.25.3   # pinned on purpose`);
    expect(dry.stdout).toContain(`+    image: ${registry.host}/library/nginx:1.26.0   # pinned on purpose`);
    expect(dry.stdout).toMatch(/side\s+compose\.yml:11\s+\S+\/library\/nginx\s+1\.25\.3-alpine\s+1\.25\.5-alpine\s+patch/);
    expect(dry.stdout).toMatch(/db\s+compose\.yml:13\s+\S+\/library\/postgres\s+14\.2\s+14\.24\s+minor/);
    expect(dry.stdout).toMatch(/floating .* skipped\s+no tag \(it means latest\)/);
    expect(dry.stdout).toMatch(/varonly .* skipped\s+the image is built from variables without defaults/);
    expect(dry.stdout).toContain('dry run: nothing was written');

    const patch = await runGalley(['recipe', 'upgrade', recipe, '--patch'], { cwd: dir });
    expect(patch.code).toBe(0);
    const after = await readFile(path.join(recipe, 'compose.yml'), 'utf8');
    expect(after).toBe(original.replace('nginx:1.25.3   #', 'nginx:1.25.4   #').replace('${SIDE_TAG:-1.25.3-alpine}', '${SIDE_TAG:-1.25.5-alpine}'));
    expect(patch.stdout).toMatch(/db .*up to date\s+minor 14\.24 available \(--minor\)/);

    const major = await runGalley(['recipe', 'upgrade', recipe, '--major', '--json'], { cwd: dir });
    expect(major.code).toBe(0);
    const plan = JSON.parse(major.stdout) as { images: { service: string; target?: string; kind?: string }[] };
    expect(plan.images.find((i) => i.service === 'app')).toMatchObject({ target: '2.0.0', kind: 'major' });
    expect(await readFile(path.join(recipe, 'compose.yml'), 'utf8')).toContain(`image: ${registry.host}/library/nginx:2.0.0   # pinned on purpose`);
  }, 60_000);

  it('replaces a pinned digest with the new tag’s, and refuses conflicting flags', async () => {
    const recipe = path.join(dir, 'pinned');
    const digests = await registry.seedImage('library/redis', ['7.2.1', '7.2.4'], { distinctDigests: true });
    await cp(path.join(REPO_ROOT, 'examples/recipes/notes'), recipe, { recursive: true });
    await writeFile(path.join(recipe, 'compose.yml'), `services:\n  app:\n    image: ${registry.host}/library/redis:7.2.1@${digests.get('7.2.1')}\n`);
    const result = await runGalley(['recipe', 'upgrade', recipe], { cwd: dir });
    expect(result.code).toBe(0);
    expect(await readFile(path.join(recipe, 'compose.yml'), 'utf8')).toBe(
      `services:\n  app:\n    image: ${registry.host}/library/redis:7.2.4@${digests.get('7.2.4')}\n`,
    );
    const both = await runGalley(['recipe', 'upgrade', recipe, '--patch', '--major'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/option '--patch' cannot be used with option '--major'/);
  }, 60_000);
});
