import { describe, expect, it } from '@jest/globals';
import { assignSlugs, familiarImage, imagePageUrl, repositoryWebUrl, safeHttpUrl } from './links.js';

describe('links', () => {
  it('keeps only absolute http(s) URLs', () => {
    expect(safeHttpUrl('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(safeHttpUrl(' http://example.org ')).toBe('http://example.org/');
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '//example.org', '/local', 'ftp://x', 'https://', '', undefined])
      expect(safeHttpUrl(bad)).toBeUndefined();
  });

  it('turns clone URLs into repository web pages', () => {
    expect(repositoryWebUrl('https://git.coopcloud.tech/coop-cloud/forum.git')).toBe('https://git.coopcloud.tech/coop-cloud/forum');
    expect(repositoryWebUrl('ssh://git@git.coopcloud.tech:2222/coop-cloud/forum.git')).toBe('https://git.coopcloud.tech/coop-cloud/forum');
    expect(repositoryWebUrl('git@github.com:org/app.git')).toBe('https://github.com/org/app');
    expect(repositoryWebUrl('javascript:alert(1)')).toBeUndefined();
    expect(repositoryWebUrl('/srv/git/forum')).toBeUndefined();
  });

  it('links images to their registry pages', () => {
    expect(imagePageUrl('nginx')).toBe('https://hub.docker.com/_/nginx');
    expect(imagePageUrl('bonfirenetworks/bonfire:1.0')).toBe('https://hub.docker.com/r/bonfirenetworks/bonfire');
    expect(imagePageUrl('ghcr.io/nodebb/nodebb')).toBe('https://ghcr.io/nodebb/nodebb');
    expect(imagePageUrl('quay.io/keycloak/keycloak')).toBe('https://quay.io/repository/keycloak/keycloak');
    expect(imagePageUrl('registry.gitlab.com/org/app')).toBe('https://gitlab.com/org/app/container_registry');
    expect(imagePageUrl('127.0.0.1:5000/local/app')).toBeUndefined();
    expect(imagePageUrl('<script>')).toBeUndefined();
    expect(familiarImage('docker.io/library/nginx')).toBe('nginx');
    expect(familiarImage(`ghcr.io/org/app:1.2@sha256:${'a'.repeat(64)}`)).toBe('ghcr.io/org/app');
  });

  it('gives every name its own safe slug, keeping names that are already safe', () => {
    const slugs = assignSlugs(['forum', 'Forum', 'Apps', 'apps', '<script>', '../../etc', '', 'Sûr']);
    expect(slugs.get('forum')).toBe('forum');
    expect(slugs.get('apps')).toBe('apps');
    expect(slugs.get('Forum')).toMatch(/^forum-[0-9a-f]{8}$/);
    expect(slugs.get('Apps')).toMatch(/^apps-[0-9a-f]{8}$/);
    expect(slugs.get('<script>')).toMatch(/^script$/);
    expect(slugs.get('../../etc')).toBe('etc');
    expect(slugs.get('')).toMatch(/^x-[0-9a-f]{8}$/);
    expect(slugs.get('Sûr')).toBe('sur');
    const values = [...slugs.values()];
    expect(new Set(values).size).toBe(values.length);
    for (const slug of values) expect(slug).toMatch(/^[a-z0-9_-]+$/);
    // depends only on the set of names, not their order
    expect(assignSlugs(['Sûr', '', '../../etc', '<script>', 'apps', 'Apps', 'Forum', 'forum'])).toEqual(slugs);
  });
});
