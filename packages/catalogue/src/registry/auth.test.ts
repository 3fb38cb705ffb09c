import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { mayReceiveCredentials, parseChallenge, readDockerCredentials } from './auth.js';

describe('parseChallenge', () => {
  it('reads Docker Hub, GHCR and Quay style challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
    });
    expect(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"')?.params.service).toBe('ghcr.io');
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge(null)).toBeUndefined();
  });
});

describe('credentials', () => {
  it('are sent only to their own host or its token service, and not over plain http', () => {
    const token = new URL('https://auth.docker.io/token');
    expect(mayReceiveCredentials('docker.io', 'registry-1.docker.io', token, false)).toBe(true);
    expect(mayReceiveCredentials('ghcr.io', 'ghcr.io', new URL('https://ghcr.io/token'), false)).toBe(true);
    expect(mayReceiveCredentials('ghcr.io', 'ghcr.io', new URL('https://evil.example/token'), false)).toBe(false);
    expect(mayReceiveCredentials('quay.io', 'quay.io', new URL('http://quay.io/v2/auth'), false)).toBe(false);
    expect(mayReceiveCredentials('127.0.0.1:5000', '127.0.0.1:5000', new URL('http://127.0.0.1:5000/token'), true)).toBe(true);
  });

  it('come from the Docker config (auth or username/password), Docker Hub under docker.io', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-docker-'));
    try {
      const file = path.join(dir, 'config.json');
      await writeFile(
        file,
        JSON.stringify({
          auths: {
            'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hubpass').toString('base64') },
            'ghcr.io': { username: 'me', password: 'tok' },
            'quay.io': {},
          },
          credsStore: 'desktop',
        }),
      );
      const { credentials } = await readDockerCredentials(file);
      expect([...credentials]).toEqual([
        ['docker.io', { username: 'hubuser', password: 'hubpass' }],
        ['ghcr.io', { username: 'me', password: 'tok' }],
      ]);
      await writeFile(file, '{ not json');
      expect((await readDockerCredentials(file)).warning).toMatch(/is not valid JSON/);
      expect((await readDockerCredentials(path.join(dir, 'missing.json'))).credentials.size).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
