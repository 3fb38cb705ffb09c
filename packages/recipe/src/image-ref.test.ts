import { describe, expect, it } from '@jest/globals';
import { parseImageRef } from './image-ref.js';

describe('parseImageRef', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', normalized: 'docker.io/library/nginx', familiar: 'nginx' }],
    ['nginx:1.25', { repository: 'library/nginx', tag: '1.25', normalized: 'docker.io/library/nginx:1.25', familiar: 'nginx:1.25' }],
    [
      'bonfirenetworks/bonfire:1.0.6-social-amd64',
      { registry: 'docker.io', repository: 'bonfirenetworks/bonfire', tag: '1.0.6-social-amd64', familiar: 'bonfirenetworks/bonfire:1.0.6-social-amd64' },
    ],
    ['docker.io/library/redis:7', { repository: 'library/redis', familiar: 'redis:7' }],
    ['index.docker.io/library/redis:7', { registry: 'docker.io', normalized: 'docker.io/library/redis:7' }],
    [
      'ghcr.io/baosystems/postgis:17-3.5',
      { registry: 'ghcr.io', repository: 'baosystems/postgis', tag: '17-3.5', normalized: 'ghcr.io/baosystems/postgis:17-3.5' },
    ],
    ['localhost:5000/app:dev', { registry: 'localhost:5000', repository: 'app', tag: 'dev' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['127.0.0.1:5000/a/b/c:1', { registry: '127.0.0.1:5000', repository: 'a/b/c', tag: '1' }],
    ['quay.io/prometheus/node-exporter:v1.7.0', { registry: 'quay.io', tag: 'v1.7.0' }],
    [
      'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      { digest: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
    ],
    [
      'nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      { tag: '1.25', normalized: 'docker.io/library/nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
    ],
    ['git.coopcloud.tech/coop-cloud/abra:0.9', { registry: 'git.coopcloud.tech', repository: 'coop-cloud/abra' }],
    ['my_org/my-app__x:1', { repository: 'my_org/my-app__x' }],
  ])('%s', (input, expected) => {
    const result = parseImageRef(input);
    expect(result.ok).toBe(true);
    expect(result.ok && result.ref).toMatchObject(expected);
  });

  it('has no tag when only a digest pins the image', () => {
    const result = parseImageRef('nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
    expect(result.ok && 'tag' in result.ref).toBe(false);
  });

  it.each([
    ['', 'the image is empty'],
    ['${IMAGE}:1', '"${IMAGE}:1" still contains a variable'],
    ['Nginx:1', '"Nginx" must be lowercase in an image name'],
    ['nginx:', '"" is not a valid tag (letters, digits, _ . -; at most 128)'],
    ['nginx:-bad', '"-bad" is not a valid tag (letters, digits, _ . -; at most 128)'],
    ['nginx@sha256:short', '"sha256:short" is not a valid digest (expected e.g. sha256:<64 hex>)'],
    ['a//b', '"a//b" has an empty path component'],
    ['nginx 1.2', '"nginx 1.2" contains whitespace'],
    ['-app:1', '"-app" is not a valid image name component'],
  ])('refuses %j: %s', (input, reason) => {
    expect(parseImageRef(input)).toEqual({ ok: false, reason });
  });
});
