import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { describe, expect, it } from '@jest/globals';
import { parseSourceFlag, resolveCatalogueSettings } from './config.js';

describe('parseSourceFlag', () => {
  it('reads github:, gitea: and list: sources', () => {
    expect(parseSourceFlag('github:coop-cloud', '/w')).toEqual({
      kind: 'github',
      id: 'github:coop-cloud',
      org: 'coop-cloud',
      apiUrl: 'https://api.github.com',
      tokenEnv: 'GITHUB_TOKEN',
    });
    expect(parseSourceFlag('gitea:https://git.coopcloud.tech/coop-cloud', '/w')).toEqual({
      kind: 'gitea',
      id: 'gitea:https://git.coopcloud.tech/coop-cloud',
      url: 'https://git.coopcloud.tech',
      org: 'coop-cloud',
      tokenEnv: 'GITEA_TOKEN',
    });
    expect(parseSourceFlag('list:recipes.txt', '/w')).toEqual({ kind: 'list', id: 'list:recipes.txt', file: '/w/recipes.txt' });
    expect(() => parseSourceFlag('gitlab:x', '/w')).toThrow(GalleyError);
  });
});

describe('resolveCatalogueSettings', () => {
  it('reads galley-catalogue.yml from the folder, resolves its paths against it, and lets flags win', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-config-'));
    try {
      await writeFile(
        path.join(dir, 'galley-catalogue.yml'),
        'sources:\n  - list: recipes.txt\n  - github: coop-cloud\ncache: cache\nout: out/recipes.json\nregistry:\n  concurrency: 3\n  ttl: { tags: 30m, digests: 2d }\n  backoff: { base: 1s }\n  hosts:\n    docker.io: { url: "http://127.0.0.1:5000" }\n',
      );
      const settings = await resolveCatalogueSettings({ concurrency: 5 }, dir, { XDG_CACHE_HOME: '/nowhere' });
      expect(settings.sources.map((s) => s.id)).toEqual(['list:recipes.txt', 'github:coop-cloud']);
      expect(settings.cacheDir).toBe(path.join(dir, 'cache'));
      expect(settings.out).toBe(path.join(dir, 'out/recipes.json'));
      expect(settings.registry).toMatchObject({
        concurrency: 5,
        tagsTtlMs: 1_800_000,
        digestsTtlMs: 172_800_000,
        backoffBaseMs: 1000,
        retries: 5,
        hosts: { 'docker.io': { url: 'http://127.0.0.1:5000' } },
      });
      const flagged = await resolveCatalogueSettings({ source: ['github:other'], cache: 'c2' }, dir, {});
      expect(flagged.sources.map((s) => s.id)).toEqual(['github:other']);
      expect(flagged.cacheDir).toBe(path.join(dir, 'c2'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('needs a source, and names the line of a wrong setting', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-config-'));
    try {
      await expect(resolveCatalogueSettings({}, dir, { XDG_CACHE_HOME: '/nowhere' })).rejects.toThrow(/no recipe sources/);
      const file = path.join(dir, 'galley-catalogue.yml');
      await writeFile(file, 'sources:\n  - list: a.txt\nregistry:\n  ttl:\n    tags: soon\n');
      const error = (await resolveCatalogueSettings({}, dir, {}).catch((e: unknown) => e)) as GalleyError;
      expect(error).toBeInstanceOf(GalleyError);
      expect(error.span).toMatchObject({ file, line: 5, col: 11 });
      expect(error.exitCode).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
