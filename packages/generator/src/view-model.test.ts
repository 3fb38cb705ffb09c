import { describe, expect, it } from '@jest/globals';
import { fixtureCatalogue } from './testing/fixture-catalogue.js';
import { buildSiteModel, isPinned, versionDeploy } from './view-model.js';

describe('buildSiteModel', () => {
  const model = buildSiteModel(fixtureCatalogue());
  const recipe = (name: string) => model.recipes.find((r) => r.name === name)!;

  it('sorts recipes and categories by name, and groups recipes by category', () => {
    expect(model.recipes.map((r) => r.name)).toEqual([
      'agora',
      'custom-php',
      'forum',
      'gitea',
      'keycloak',
      'matrix-synapse',
      'nextcloud',
      'traefik',
      'uptime-kuma',
      'wordpress',
    ]);
    expect(model.categories.map((c) => [c.name, c.recipes.length])).toEqual([
      ['Apps', 4],
      ['Communication', 1],
      ['Development', 2],
      ['Utilities', 3],
    ]);
    expect(recipe('forum')).toMatchObject({ path: 'recipes/forum.html', badgePath: 'badges/forum.svg', categoryPath: 'categories/apps.html' });
  });

  it('lists versions newest first with recipe and upstream parts, dates and services (app first)', () => {
    const nextcloud = recipe('nextcloud');
    expect(nextcloud.versions.map((v) => [v.version, v.recipePart, v.upstreamPart, v.date])).toEqual([
      ['6.0.0+28.0.2-fpm', '6.0.0', '28.0.2-fpm', '2024-05-20'],
      ['5.1.0+27.1.3-fpm', '5.1.0', '27.1.3-fpm', '2023-11-02'],
      ['5.0.0+27.0.1-fpm', '5.0.0', '27.0.1-fpm', '2023-08-01'],
    ]);
    expect(nextcloud.latest?.services.map((s) => [s.service, s.familiar, s.tag, s.imageUrl])).toEqual([
      ['app', 'nextcloud', '28.0.2-fpm', 'https://hub.docker.com/_/nextcloud'],
      ['cache', 'redis', '7.2.4-alpine', 'https://hub.docker.com/_/redis'],
      ['db', 'postgres', '15.5', 'https://hub.docker.com/_/postgres'],
    ]);
    expect(nextcloud.images).toEqual(['nextcloud', 'postgres', 'redis']);
  });

  it('summarises how far behind upstream a recipe is', () => {
    expect(recipe('nextcloud').behind).toEqual({ level: 'major', services: 2, days: 41, text: 'major update upstream · 2 services · 41 days behind' });
    expect(recipe('keycloak').behind).toMatchObject({ level: 'patch', services: 2 });
    expect(recipe('wordpress').behind).toEqual({ level: 'none', services: 0, days: 0, text: 'up to date with upstream' });
    expect(recipe('gitea').behind).toMatchObject({ level: 'minor', services: 1, text: 'minor update upstream · 1 service · 10 days behind' });
    expect(recipe('agora').behind.level).toBe('unknown');
    expect(recipe('uptime-kuma').behind.level).toBe('unknown');
    // Asked, but pinned to `latest`: nothing to compare, which is not "not checked".
    const catalogue = fixtureCatalogue();
    catalogue.wordpress!.galley!.upgrades = {
      app: { image: 'docker.io/library/wordpress', current: 'latest', unparseable: [], currentUnparseable: '"latest" is no version' },
    };
    const latest = buildSiteModel(catalogue).recipes.find((r) => r.name === 'wordpress')!;
    expect(latest.behind).toEqual({ level: 'unknown', services: 0, text: 'no version tag to compare with upstream' });
    expect(recipe('gitea').behind.text).not.toMatch(/no version tag/);
    expect(
      recipe('nextcloud')
        .upgrades.find((u) => u.service === 'app')
        ?.candidates.map((c) => [c.kind, c.tag]),
    ).toEqual([
      ['major', '29.0.1-fpm'],
      ['patch', '28.0.6-fpm'],
    ]);
  });

  it('judges "recently released" against the newest release in the catalogue, not the clock', () => {
    expect(model.newestRelease).toBe('2024-06-01');
    expect(model.recentSince).toBe('2024-03-03');
    expect(model.recipes.filter((r) => r.recent).map((r) => r.name)).toEqual(['forum', 'gitea', 'keycloak', 'nextcloud', 'wordpress']);
    expect(model.releases[0]).toMatchObject({ date: '2024-06-01' });
    expect(model.releases[0]!.recipe.name).toBe('wordpress');
  });

  it('shows the entry’s name but keeps the catalogue key for commands, and slugs unsafe keys', () => {
    const catalogue = fixtureCatalogue();
    catalogue.forum!.name = 'Forum <b>';
    const forum = buildSiteModel(catalogue).recipes.find((r) => r.key === 'forum')!;
    expect(forum.name).toBe('Forum <b>');
    expect(forum.slug).toBe('forum');
  });

  it('keeps stale notices, lint summaries and recipes without releases', () => {
    expect(recipe('agora').stale).toEqual({ error: 'git fetch failed: repository not found', since: '2024-05-30' });
    const docs = (id: string) => `https://git.coopcloud.tech/toolshed/galley/src/branch/main/docs/rules/${id}.md`;
    expect(recipe('forum').lint).toEqual({
      version: '0.2.0+3.8.4',
      errors: 1,
      warnings: 1,
      infos: 0,
      rules: [
        { id: 'recipe/config-version-bump', count: 1, docs: docs('recipe/config-version-bump') },
        { id: 'swarm/healthcheck', count: 1, docs: docs('swarm/healthcheck') },
      ],
      findings: [
        {
          rule: 'recipe/config-version-bump',
          title: 'A config whose content changed gets a new version.',
          severity: 'error',
          message: 'entrypoint.sh.tmpl changed since 0.1.0+3.8.3 but ENTRYPOINT_VERSION did not',
          where: 'abra.sh:1:8',
          docs: docs('recipe/config-version-bump'),
        },
        {
          rule: 'swarm/healthcheck',
          title: 'Services have a healthcheck swarm can use.',
          severity: 'warning',
          message: 'service "redis" has no healthcheck',
          where: 'compose.yml:20:3',
          docs: docs('swarm/healthcheck'),
        },
      ],
      total: 2,
      text: '1 error · 1 warning',
    });
    expect(recipe('traefik').latest).toBeUndefined();
    expect(recipe('traefik').versions).toEqual([]);
  });

  it('measures "recently released" and "unmaintained" from the catalogue’s date (the sidecar), else its newest release', () => {
    const dated = buildSiteModel(fixtureCatalogue(), { facts: { generatedAt: '2024-06-15T06:00:00Z', upstreamCheckedAt: '2024-06-14T22:00:00Z' } });
    expect(dated).toMatchObject({
      catalogueDate: '2024-06-15',
      catalogueDateFrom: 'generated',
      upstreamChecked: '2024-06-14',
      recentSince: '2024-03-17',
      unmaintainedBefore: '2023-06-15',
    });
    const flagged = (m: typeof dated) => m.recipes.filter((r) => r.unmaintained).map((r) => r.key);
    expect(flagged(dated)).toEqual(['agora', 'custom-php', 'traefik']);
    expect(dated.recipes.filter((r) => r.recent).map((r) => r.key)).toEqual(['forum', 'gitea', 'keycloak', 'nextcloud', 'wordpress']);
    expect(model).toMatchObject({ catalogueDate: '2024-06-01', catalogueDateFrom: 'newest release', recentSince: '2024-03-03' });
    expect(flagged(buildSiteModel(fixtureCatalogue(), { facts: { generatedAt: '2026-06-01T00:00:00Z' }, unmaintainedMonths: 24 }))).toEqual([
      'agora',
      'custom-php',
      'forum',
      'gitea',
      'keycloak',
      'matrix-synapse',
      'nextcloud',
      'traefik',
    ]);
  });

  it('tells pinned images from floating ones', () => {
    expect(['1.2.3', '16-alpine', 'v1.98.0', '20240101', 'a1b2c3d4e5f6'].map(isPinned)).toEqual([true, true, true, true, true]);
    expect(['', 'latest', 'stable', 'main', '${VERSION}', 'production'].map(isPinned)).toEqual([false, false, false, false, false, false]);
    expect(recipe('uptime-kuma')).toMatchObject({ pinned: false, unpinned: ['app: louislam/uptime-kuma:latest'] });
    expect(recipe('forum')).toMatchObject({ pinned: true, unpinned: [] });
    expect(recipe('traefik').pinned).toBeUndefined();
  });

  it('gives deploy commands for each version, and a rollback to the one before', () => {
    const nextcloud = recipe('nextcloud');
    const latest = versionDeploy(nextcloud, nextcloud.versions[0]!);
    expect(latest.rollback).toEqual({
      version: '5.1.0+27.1.3-fpm',
      galley: 'galley deploy ~/.abra/servers/example.org/nextcloud.example.org.env --version 5.1.0+27.1.3-fpm --force',
      abra: 'abra app rollback nextcloud.example.org 5.1.0+27.1.3-fpm',
    });
    expect(latest.galley.map((s) => s.label)).toEqual(['New app', 'Secrets', 'Config', 'Deploy']);
    expect(versionDeploy(nextcloud, nextcloud.versions[2]!).rollback).toBeUndefined();
  });
});

describe('upgrade notes of a version', () => {
  it('shows what upgrading from the previous release asks, breaking changes first, one line each', () => {
    const catalogue = fixtureCatalogue();
    // The field the catalogue writes per version (galley.versions[v].upgrade).
    Object.assign(catalogue.nextcloud!.galley!.versions['6.0.0+28.0.2-fpm']!, {
      upgrade: {
        from: '5.1.0+27.1.3-fpm',
        level: 'major',
        breaking: 1,
        changes: [
          {
            kind: 'image-changed',
            category: 'images',
            breaking: false,
            message: 'cache: redis 7.2.3-alpine → 7.2.4-alpine (patch)',
            location: 'compose.yml:30',
          },
          {
            kind: 'secret-added',
            category: 'secrets',
            breaking: true,
            message: 'secret smtp_pass added',
            action: 'generate it:\ngalley secret generate <app env> smtp_pass',
          },
        ],
        omitted: 3,
      },
    });
    const versions = buildSiteModel(catalogue).recipes.find((r) => r.name === 'nextcloud')!.versions;
    expect(versions[0]!.upgrade).toEqual({
      from: '5.1.0+27.1.3-fpm',
      level: 'major',
      breaking: [{ message: 'secret smtp_pass added', action: 'generate it: galley secret generate <app env> smtp_pass' }],
      others: [{ message: 'cache: redis 7.2.3-alpine → 7.2.4-alpine (patch)', location: 'compose.yml:30' }],
      omitted: 3,
    });
    expect(versions[1]!.upgrade).toEqual({ from: '5.0.0+27.0.1-fpm', breaking: [], others: [], omitted: 0 });
    // The oldest release has none to upgrade from.
    expect(versions[2]!.upgrade).toBeUndefined();
  });
});
