// The little world the catalogue tests run in: the real distribution
// registry (holding images with hundreds of tags, distinct digests and a
// multi-arch index) behind the registry proxy, and recipe repositories served
// by a real `git daemon` (annotated and lightweight release tags, a README
// metadata block, release notes, a repository that is no recipe).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type GitServer,
  type LocalRegistry,
  makeTempDir,
  type RegistryProxy,
  removeTempDir,
  startGitServer,
  startRegistry,
  startRegistryProxy,
} from '../support/index.js';

export const README = (title: string, image: string) => `# ${title}

A ${title} for tests.

<!-- metadata -->
* **Category**: Apps
* **Status**: 3, stable
* **Image**: [\`${image}\`](https://hub.docker.com/_/${image}), 4, upstream
* **Healthcheck**: Yes
* **Backups**: No
* **Email**: N/A
* **Tests**: 2
* **SSO**: No
<!-- endmetadata -->
`;

const compose = (services: Record<string, string>, extra = ''): string =>
  `version: "3.8"\n# the stack\nservices:\n${Object.entries(services)
    .map(([name, image]) => `  ${name}:\n    image: ${image}\n    networks: [internal]\n`)
    .join('')}${extra}networks:\n  internal:\n`;

/** Many tags for one image: 12.0 … 16.24 and their -alpine variants, plus noise. */
export function postgresTags(): string[] {
  const tags: string[] = [];
  for (let major = 12; major <= 16; major++) {
    for (let minor = 0; minor <= 24; minor++) tags.push(`${major}.${minor}`, `${major}.${minor}-alpine`);
  }
  tags.push('latest', 'alpine', 'sha-0123abcd', '20240101', '17beta1');
  return tags;
}

export const NGINX_TAGS = ['1.24.0', '1.25.3', '1.25.4', '1.26.1', '2.0.0', '1.25.3-alpine', '1.25.5-alpine', 'mainline', 'latest', '2.1.0-rc1'];
export const NODEBB_TAGS = ['3.8.3', '3.8.4', '3.9.0', '4.0.1', 'v3.9.1', 'latest'];

export interface World {
  registry: LocalRegistry;
  proxy: RegistryProxy;
  git: GitServer;
  dir: string;
  digests: Record<string, Map<string, string>>;
  traefikIndex: string;
  /** A list file naming every recipe repository by its git:// URL. */
  listFile: string;
  /** Writes a galley-catalogue.yml for this world (extra YAML appended under registry:). */
  config(file: string, options?: { registryExtra?: string; sources?: string; top?: string; timeout?: string }): Promise<string>;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const dir = await makeTempDir('catalogue');
  const registry = await startRegistry({ parentDir: '/dev/shm' });
  const digests: Record<string, Map<string, string>> = {};
  digests['library/nginx'] = await registry.seedImage('library/nginx', NGINX_TAGS, { distinctDigests: true });
  digests['nodebb/nodebb'] = await registry.seedImage('nodebb/nodebb', NODEBB_TAGS, { distinctDigests: true, format: 'docker' });
  digests['library/postgres'] = await registry.seedTagsFast('library/postgres', postgresTags(), { distinctDigests: true });
  const traefik = await registry.seedIndex('library/traefik', '2.11.0');
  await registry.seedImage('library/traefik', ['2.11.2', '3.0.0'], { distinctDigests: true });
  const proxy = await startRegistryProxy(registry.url);

  const git = await startGitServer([
    {
      name: 'forum',
      commits: [
        {
          message: 'first release',
          date: '2024-02-01T10:00:00Z',
          files: {
            'compose.yml': compose({ app: 'ghcr.io/nodebb/nodebb:3.8.3', db: 'postgres:14.2' }),
            'README.md': README('Forum', 'nodebb/nodebb'),
            '.env.sample': 'TYPE=forum\nDOMAIN=forum.example.com\n',
          },
          tags: [{ name: '0.1.0+3.8.3', annotated: true, message: 'chore: publish 0.1.0+3.8.3 release', date: '2024-02-02T12:00:00Z' }],
        },
        {
          message: 'bump nodebb',
          date: '2024-03-01T10:00:00Z',
          files: {
            'compose.yml': compose({ app: 'ghcr.io/nodebb/nodebb:3.8.4', db: 'postgres:14.2' }),
            'release/0.2.0+3.8.4': 'Nodebb 3.8.4.\n',
          },
          tags: [{ name: '0.2.0+3.8.4', annotated: false }],
        },
      ],
    },
    {
      name: 'notes',
      commits: [
        {
          message: 'notes',
          date: '2024-01-10T00:00:00Z',
          files: {
            'compose.yml': compose({ app: 'nginx:${NGINX_TAG:-1.25.3}', proxy: 'traefik:2.11.0' }),
            'compose.postgres.yml': 'version: "3.8"\nservices:\n  db:\n    image: postgres:15.3-alpine\n',
            'README.md': README('Notes', 'nginx'),
          },
          tags: [{ name: '1.0.0+1.25.3', annotated: true, date: '2024-01-11T00:00:00Z' }],
        },
      ],
    },
    {
      name: 'tools',
      commits: [{ message: 'not a recipe', files: { 'README.md': '# Tools\n\nScripts.\n' } }],
    },
  ]);
  const listFile = path.join(dir, 'recipes.txt');
  await writeFile(listFile, `# recipe repositories\n${git.url('forum')}\n${git.url('notes')}\n${git.url('tools')}\n`);

  return {
    registry,
    proxy,
    git,
    dir,
    digests,
    traefikIndex: traefik.digest,
    listFile,
    async config(file, options = {}) {
      const text = `sources:\n${options.sources ?? `  - list: ${listFile}\n`}${options.top ?? ''}registry:\n  retries: 8\n  backoff: { base: 10ms, max: 2s }\n  timeout: ${options.timeout ?? '5s'}\n  hosts:\n    docker.io: { url: ${proxy.url} }\n    ghcr.io: { url: ${proxy.url} }\n${options.registryExtra ?? ''}`;
      await writeFile(file, text);
      return file;
    },
    async stop() {
      await Promise.allSettled([proxy.stop(), registry.stop(), git.stop()]);
      await removeTempDir(dir);
    },
  };
}
