import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalogue, CatalogueRecipe, MediaFile, VersionEntry } from '../catalogue-types.js';

/** A 32×20 PNG (a screenshot stand-in) and an SVG icon, mirrored by the fixture catalogue into `media/`. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAACAAAAAUCAIAAABj86gYAAAEMklEQVR42hWUndoEIQCF53JGVkZWVkZGRlZWVlZGkiR5JUmSJEmSJEmSJEmSuazv+c4NnOf8Liv3g3vjfnK/uHfug/vkfnN/uL/cP+6LW3BLbsUNt+Y23JbbcXvuwB25E3fmLtyVu3F37sE9uZeV+WBuzCfzxdyZB/Nkvpkf5pf5Y15MwZRMxYSpmYZpmY7pmYEZmYmZmYVZmY3ZmYM5mcvKeDA2xpPxYuyMg3Ey3owP48v4MS6GYEiGYsDQDMOwDMfwjMCIjMTIjMKojMbojMGYjGWlP+gb/Ul/0Xf6QT/pb/qH/qX/6Bdd0CVd0aFruqFbuqN7eqBHeqJneqFXeqN3+qBP+rLSHrSN9qS9aDvtoJ20N+1D+9J+tIsmaJKmaNA0zdAszdE8LdAiLdEyrdAqrdE6bdAmbVmpD+pGfVJf1J16UE/qm/qhfqk/6kUVVElVVKiaaqiW6qieGqiRmqiZWqiV2qidOqiTuqyUB2WjPCkvyk45KCflTflQvpQf5aIIiqQoChRNMRRLcRRPCZRISZRMKZRKaZROGZRJWVbyg7yRn+QXeScf5JP8Jn/IX/KPfJEFWZIVGbImG7IlO7InB3IkJ3ImF3IlN3InD/IkLyvpQdpIT9KLtJMO0kl6kz6kL+lHukiCJEmKBEmTDMmSHMmTAimSEimTCqmSGqmTBmmSlpX4IG7EJ/FF3IkH8SS+iR/il/gjXkRBlERFhKiJhmiJjuiJgRiJiZiJhViJjdiJgziJy0p4EDbCk/Ai7ISDcBLehA/hS/gRLoIgSIIiQNAEQ7AER/CEQIiERMiEQqiERuiEQZiEZcU/8Bv+iX/hd/yBP/Fv/Af/xf/wF17gJV7hwWu8wVu8w3t8wEd8wmd8wVd8w3f8wE/8suIeuA33xL1wO+7Anbg37oP74n64CydwEqdw4DTO4CzO4Twu4CIu4TKu4Cqu4Tpu4CZuWbEP7IZ9Yl/YHXtgT+wb+8F+sT/shRVYiVVYsBprsBbrsB4bsBGbsBlbsBXbsB07sBO7rJgHZsM8MS/MjjkwJ+aN+WC+mB/mwgiMxCgMGI0xGItxGI8JmIhJmIwpmIppmI4ZmIlZVvQDvaGf6Bd6Rx/oE/1Gf9Bf9A99oQVaohUatEYbtEU7tEcHdEQndEYXdEU3dEcP9EQvKzxggye8YIcDTnjDB77wgwsESFD8Q/MvxPIfiOe/WJH/gWT+h175P6zO//FOWFbUA7WhnqgXakcdqBP1Rn1QX9QPdaEESqLUP4XSKIOyKIfyqICKqITKqIKqqIbqqIGaqGVFPpAb8ol8IXfkgTyRb+QH+UX+kBdSICVS/cuQGmmQFumQHhmQEZmQGVmQFdmQHTmQE7msiAdiQzwRL8SOOBAn4o34IL6IH+JCCIREqH+rhEYYhEU4hEcEREQkREYUREU0REcMxET8AeXFzy7/JnmnAAAAAElFTkSuQmCC',
  'base64',
);
const ICON_SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="8" fill="#0b5cad"/></svg>\n');

function mediaFile(bytes: Buffer, ext: 'png' | 'svg'): MediaFile {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { file: `media/${sha256}.${ext}`, type: ext === 'png' ? 'image/png' : 'image/svg+xml', bytes: bytes.length, sha256 };
}

/** The mirrored files the fixture catalogue points at: path relative to the catalogue's folder → bytes. */
export function fixtureMedia(): Map<string, Buffer> {
  return new Map([
    [mediaFile(PNG, 'png').file, PNG],
    [mediaFile(ICON_SVG, 'svg').file, ICON_SVG],
  ]);
}

/** The sidecar beside the fixture catalogue (`recipes.galley.json`): when it was made and upstream checked. */
export const FIXTURE_SIDECAR = { generatedAt: '2024-06-15T06:00:00Z', upstreamCheckedAt: '2024-06-14T22:00:00Z', media: 'media' };

/**
 * A small catalogue written by hand (it follows schemas/catalogue.schema.json):
 * ten recipes across four categories with every kind of entry the site has
 * to show — scores in every written form, releases with dates and notes,
 * upgrade candidates of each kind, registry errors, a stale entry, an entry
 * with no release and one with no Galley data at all (plain abra).
 */
const digest = (seed: string): string => `sha256:${seed.repeat(64).slice(0, 64)}`;
const commit = (seed: string): string => seed.repeat(40).slice(0, 40);

function recipe(name: string, fields: Partial<CatalogueRecipe> & Pick<CatalogueRecipe, 'category' | 'description' | 'versions'>): CatalogueRecipe {
  return {
    name,
    default_branch: 'main',
    icon: '',
    repository: `https://git.coopcloud.tech/coop-cloud/${name}.git`,
    ssh_url: `ssh://git@git.coopcloud.tech:2222/coop-cloud/${name}.git`,
    website: `https://${name}.example.org`,
    features: { backups: '', email: '', healthcheck: '', tests: '', sso: '', status: 0, image: { image: '', rating: '', source: '', url: '' } },
    ...fields,
  };
}

function finding(rule: string, severity: 'error' | 'warning' | 'info', title: string, message: string, file: string, line: number, column: number) {
  return { rule, title, severity, message, file, line, column, docs: `https://git.coopcloud.tech/toolshed/galley/src/branch/main/docs/rules/${rule}.md` };
}

function versions(...entries: [string, Record<string, [string, string, string]>][]): VersionEntry[] {
  return entries.map(([version, services]) => ({
    [version]: Object.fromEntries(Object.entries(services).map(([service, [image, tag, d]]) => [service, { image, tag, digest: d }])),
  }));
}

export function fixtureCatalogue(): Catalogue {
  const catalogue: Catalogue = {
    nextcloud: recipe('nextcloud', {
      category: 'Apps',
      description: 'Cloud storage, calendars, contacts and office suite for your co-op',
      features: {
        backups: 'Yes',
        email: '3',
        healthcheck: 'Yes',
        tests: '2',
        sso: '3',
        status: 4,
        image: { image: 'nextcloud', rating: '4', source: 'upstream', url: 'https://hub.docker.com/_/nextcloud' },
      },
      versions: versions(
        [
          '5.0.0+27.0.1-fpm',
          { app: ['nextcloud', '27.0.1-fpm', digest('a')], db: ['postgres', '15.3', digest('b')], cache: ['redis', '7.0.11-alpine', digest('c')] },
        ],
        [
          '5.1.0+27.1.3-fpm',
          { app: ['nextcloud', '27.1.3-fpm', digest('d')], db: ['postgres', '15.4', digest('e')], cache: ['redis', '7.2.1-alpine', digest('f')] },
        ],
        [
          '6.0.0+28.0.2-fpm',
          { app: ['nextcloud', '28.0.2-fpm', digest('1')], db: ['postgres', '15.5', digest('2')], cache: ['redis', '7.2.4-alpine', 'unknown'] },
        ],
      ),
      galley: {
        versions: {
          '5.0.0+27.0.1-fpm': { date: '2023-08-01T10:00:00Z', annotated: true, commit: commit('a1') },
          '5.1.0+27.1.3-fpm': {
            date: '2023-11-02T10:00:00Z',
            annotated: true,
            commit: commit('b2'),
            upgrade: { from: '5.0.0+27.0.1-fpm', breaking: 0, changes: [] },
          },
          '6.0.0+28.0.2-fpm': {
            date: '2024-05-20T09:30:00Z',
            annotated: true,
            commit: commit('c3'),
            notes: 'Nextcloud 28. Run `abra app cmd <app> app upgrade` after deploying.',
            upgrade: {
              from: '5.1.0+27.1.3-fpm',
              level: 'major',
              breaking: 2,
              changes: [
                {
                  kind: 'env-added',
                  category: 'env',
                  breaking: true,
                  message: 'ADMIN_EMAIL added, required',
                  action: 'the app env must set it (.env.sample has ADMIN_EMAIL=admin@example.org)',
                  location: '.env.sample:7',
                },
                {
                  kind: 'secret-added',
                  category: 'secrets',
                  breaking: true,
                  message: 'secret smtp_password added (SECRET_SMTP_PASSWORD_VERSION=v1)',
                  action: 'generate it: galley secret generate <app env> smtp_password',
                  location: 'compose.yml:48',
                },
                { kind: 'volume-added', category: 'volumes', breaking: false, message: 'volume previews added', location: 'compose.yml:61' },
              ],
              omitted: 2,
            },
          },
        },
        upgrades: {
          app: {
            image: 'docker.io/library/nextcloud',
            current: '28.0.2-fpm',
            patch: { tag: '28.0.6-fpm', digest: digest('3') },
            major: { tag: '29.0.1-fpm', digest: digest('4') },
            unparseable: [{ tag: 'production', reason: 'a bare word, not a version' }],
            daysBehind: 41,
          },
          db: {
            image: 'docker.io/library/postgres',
            current: '15.5',
            minor: { tag: '15.7', digest: digest('5') },
            major: { tag: '16.3', digest: digest('6') },
            unparseable: [],
            daysBehind: 12,
          },
          cache: { image: 'docker.io/library/redis', current: '7.2.4-alpine', unparseable: [], daysBehind: 0 },
        },
        lint: {
          version: '6.0.0+28.0.2-fpm',
          errors: 0,
          warnings: 2,
          infos: 1,
          rules: { 'compose/unused-volume': 1, 'recipe/healthcheck-timeout': 1, 'recipe/readme-metadata': 1 },
          findings: [
            finding(
              'recipe/healthcheck-timeout',
              'warning',
              'Healthchecks finish within the deploy timeout.',
              'the healthcheck of "app" can take 300s',
              'compose.yml',
              12,
              7,
            ),
            finding(
              'compose/unused-volume',
              'warning',
              'Every volume defined is used by a service.',
              'volume "old_data" is defined but no service uses it',
              'compose.yml',
              40,
              3,
            ),
            finding(
              'recipe/readme-metadata',
              'info',
              'The README has a metadata block with every field.',
              'the metadata block has no "Maintainer"',
              'README.md',
              5,
              1,
            ),
          ],
        },
        source: 'gitea',
        licence: { spdx: 'AGPL-3.0', name: 'GNU Affero General Public License v3', file: 'LICENSE' },
        maintainers: [
          { name: 'decentral1se', url: 'https://git.coopcloud.tech/decentral1se', from: ['metadata', 'tagger'] },
          { name: 'Ada Lovelace', from: ['codeowners'] },
        ],
        demo: 'https://demo.nextcloud.example.org',
        media: {
          icon: { ...mediaFile(ICON_SVG, 'svg'), src: 'https://git.coopcloud.tech/avatars/nextcloud' },
          images: [{ ...mediaFile(PNG, 'png'), src: 'logo.png', alt: 'Logo' }],
        },
      },
    }),
    wordpress: recipe('wordpress', {
      category: 'Apps',
      description: 'The blogging and website platform',
      features: {
        backups: 'Yes',
        email: '3',
        healthcheck: 'Yes',
        tests: '1',
        sso: 'No',
        status: 3,
        image: { image: 'wordpress', rating: '4', source: 'upstream', url: 'https://hub.docker.com/_/wordpress' },
      },
      versions: versions(
        ['2.0.0+6.4.2', { app: ['wordpress', '6.4.2', digest('7')], db: ['mariadb', '11.2', digest('8')] }],
        ['2.1.0+6.5.3', { app: ['wordpress', '6.5.3', digest('9')], db: ['mariadb', '11.3', digest('a')] }],
      ),
      galley: {
        versions: {
          '2.0.0+6.4.2': { date: '2023-12-10T12:00:00Z', annotated: true, commit: commit('d4') },
          '2.1.0+6.5.3': { date: '2024-06-01T08:00:00Z', annotated: true, commit: commit('e5') },
        },
        upgrades: {
          app: { image: 'docker.io/library/wordpress', current: '6.5.3', unparseable: [], daysBehind: 0 },
          db: { image: 'docker.io/library/mariadb', current: '11.3', unparseable: [], daysBehind: 0 },
        },
        lint: { version: '2.1.0+6.5.3', errors: 0, warnings: 0, infos: 0, rules: {} },
        source: 'gitea',
      },
    }),
    'matrix-synapse': recipe('matrix-synapse', {
      category: 'Communication',
      description: 'Matrix homeserver: federated chat with end-to-end encryption',
      features: {
        backups: 'Yes',
        email: '2',
        healthcheck: 'Yes',
        tests: '0',
        sso: '2',
        status: 2,
        image: { image: 'matrixdotorg/synapse', rating: '4', source: 'upstream', url: 'https://hub.docker.com/r/matrixdotorg/synapse' },
      },
      versions: versions(['1.0.0+v1.98.0', { app: ['matrixdotorg/synapse', 'v1.98.0', digest('b')], db: ['postgres', '13-alpine', digest('c')] }]),
      galley: {
        versions: { '1.0.0+v1.98.0': { date: '2024-01-15T16:20:00Z', annotated: true, commit: commit('f6') } },
        upgrades: {
          app: {
            image: 'docker.io/matrixdotorg/synapse',
            current: 'v1.98.0',
            minor: { tag: 'v1.108.0', digest: digest('d') },
            unparseable: [],
            daysBehind: 140,
          },
          db: { image: 'docker.io/library/postgres', current: '13-alpine', minor: { tag: '13.15-alpine', digest: digest('e') }, unparseable: [] },
        },
        source: 'gitea',
      },
    }),
    gitea: recipe('gitea', {
      category: 'Development',
      description: 'Painless self-hosted Git service',
      features: {
        backups: 'Yes',
        email: '3',
        healthcheck: 'Yes',
        tests: '3',
        sso: '3',
        status: 5,
        image: { image: 'gitea/gitea', rating: '4', source: 'upstream', url: 'https://hub.docker.com/r/gitea/gitea' },
      },
      versions: versions(['3.2.0+1.21.11-rootless', { app: ['gitea/gitea', '1.21.11-rootless', digest('f')], db: ['mariadb', '10.11', digest('0')] }]),
      galley: {
        versions: { '3.2.0+1.21.11-rootless': { date: '2024-04-22T11:00:00Z', annotated: true, commit: commit('07') } },
        upgrades: {
          app: {
            image: 'docker.io/gitea/gitea',
            current: '1.21.11-rootless',
            minor: { tag: '1.22.0-rootless', digest: digest('1') },
            unparseable: [],
            daysBehind: 10,
          },
          db: { image: 'docker.io/library/mariadb', current: '10.11', error: 'the registry answered 429 Too Many Requests', unparseable: [] },
        },
        source: 'gitea',
      },
    }),
    keycloak: recipe('keycloak', {
      category: 'Utilities',
      description: 'Single sign-on for every app of the co-op',
      features: {
        backups: 'No',
        email: 'N/A',
        healthcheck: 'Yes',
        tests: '1',
        sso: 'N/A',
        status: 3,
        image: { image: 'quay.io/keycloak/keycloak', rating: '3', source: 'upstream', url: '' },
      },
      versions: versions(['4.0.0+24.0.4', { app: ['quay.io/keycloak/keycloak', '24.0.4', digest('2')], db: ['postgres', '16.2', digest('3')] }]),
      galley: {
        versions: { '4.0.0+24.0.4': { date: '2024-05-02T07:45:00Z', annotated: false, commit: commit('18') } },
        upgrades: {
          app: { image: 'quay.io/keycloak/keycloak', current: '24.0.4', patch: { tag: '24.0.5', digest: digest('4') }, unparseable: [], daysBehind: 20 },
          db: { image: 'docker.io/library/postgres', current: '16.2', patch: { tag: '16.3', digest: digest('5') }, unparseable: [], daysBehind: 25 },
        },
        source: 'gitea',
      },
    }),
    forum: recipe('forum', {
      category: 'Apps',
      description: 'A community forum (NodeBB) with Redis, and optionally Postgres and SMTP',
      features: {
        backups: 'Yes',
        email: '2',
        healthcheck: 'Yes',
        tests: '0',
        sso: 'No',
        status: 2,
        image: { image: 'ghcr.io/nodebb/nodebb', rating: '4', source: 'upstream', url: 'https://github.com/NodeBB/NodeBB/pkgs/container/nodebb' },
      },
      versions: versions(
        ['0.1.0+3.8.3', { app: ['ghcr.io/nodebb/nodebb', '3.8.3', digest('6')], redis: ['redis', '7.2', digest('7')] }],
        ['0.2.0+3.8.4', { app: ['ghcr.io/nodebb/nodebb', '3.8.4', digest('8')], redis: ['redis', '7.2', digest('7')] }],
      ),
      galley: {
        versions: {
          '0.1.0+3.8.3': { date: '2024-03-01T10:00:00Z', annotated: true, commit: commit('29'), notes: 'First release.' },
          '0.2.0+3.8.4': {
            date: '2024-03-28T10:00:00Z',
            annotated: true,
            commit: commit('3a'),
            notes: 'NodeBB 3.8.4.\nThe SMTP password is no longer generated: insert it.',
          },
        },
        upgrades: {
          app: { image: 'ghcr.io/nodebb/nodebb', current: '3.8.4', patch: { tag: '3.8.6', digest: digest('9') }, unparseable: [], daysBehind: 18 },
          redis: { image: 'docker.io/library/redis', current: '7.2', unparseable: [], daysBehind: 0 },
        },
        lint: {
          version: '0.2.0+3.8.4',
          errors: 1,
          warnings: 1,
          infos: 0,
          rules: { 'recipe/config-version-bump': 1, 'swarm/healthcheck': 1 },
          findings: [
            finding(
              'recipe/config-version-bump',
              'error',
              'A config whose content changed gets a new version.',
              'entrypoint.sh.tmpl changed since 0.1.0+3.8.3 but ENTRYPOINT_VERSION did not',
              'abra.sh',
              1,
              8,
            ),
            finding('swarm/healthcheck', 'warning', 'Services have a healthcheck swarm can use.', 'service "redis" has no healthcheck', 'compose.yml', 20, 3),
          ],
        },
        source: 'gitea',
      },
    }),
    'custom-php': recipe('custom-php', {
      category: 'Development',
      description: 'A PHP app with nginx and MariaDB, for your own code',
      features: {
        backups: 'Yes',
        email: '❶💚',
        healthcheck: 'Yes',
        tests: '❷💛',
        sso: 'No',
        status: 4,
        image: { image: 'php', rating: '❶💚', source: 'upstream', url: 'https://hub.docker.com/_/php' },
      },
      versions: versions(['1.1.0+8.2-fpm', { app: ['php', '8.2-fpm', digest('a')], web: ['nginx', '1.25', digest('b')] }]),
      galley: {
        versions: { '1.1.0+8.2-fpm': { date: '2022-09-09T09:00:00Z', annotated: true, commit: commit('4b') } },
        upgrades: {
          app: { image: 'docker.io/library/php', current: '8.2-fpm', minor: { tag: '8.3-fpm', digest: digest('c') }, unparseable: [], daysBehind: 400 },
          web: { image: 'docker.io/library/nginx', current: '1.25', minor: { tag: '1.27', digest: digest('d') }, unparseable: [], daysBehind: 300 },
        },
        source: 'gitea',
      },
    }),
    agora: recipe('agora', {
      category: 'Apps',
      description: 'Decision making for groups',
      features: {
        backups: 'No',
        email: 'No',
        healthcheck: 'No',
        tests: 'No',
        sso: 'No',
        status: 1,
        image: { image: 'agora/agora', rating: '2', source: 'third-party', url: '' },
      },
      versions: versions(['0.1.0+1.2.0', { app: ['agora/agora', '1.2.0', digest('e')] }]),
      galley: {
        versions: { '0.1.0+1.2.0': { date: '2021-05-05T05:05:05Z', annotated: true, commit: commit('5c') } },
        upgrades: {},
        stale: { error: 'git fetch failed: repository not found', since: '2024-05-30T00:00:00Z' },
        source: 'gitea',
        deprecated: { reason: 'This recipe is deprecated in favour of loomio.', from: 'readme' },
      },
    }),
    traefik: recipe('traefik', {
      category: 'Utilities',
      description: 'The reverse proxy every Co-op Cloud server runs',
      features: {
        backups: '',
        email: '',
        healthcheck: 'Yes',
        tests: '',
        sso: '',
        status: 3,
        image: { image: 'traefik', rating: '4', source: 'upstream', url: 'https://hub.docker.com/_/traefik' },
      },
      versions: [],
      galley: { versions: {}, upgrades: {}, source: 'gitea' },
    }),
    'uptime-kuma': recipe('uptime-kuma', {
      category: 'Utilities',
      description: 'A self-hosted monitoring tool',
      features: {
        backups: 'Yes',
        email: '',
        healthcheck: '',
        tests: '',
        sso: '',
        status: 2,
        image: { image: 'louislam/uptime-kuma', rating: '2', source: 'third-party', url: 'https://hub.docker.com/r/louislam/uptime-kuma' },
      },
      versions: versions(['1.0.0+1.23.11', { app: ['louislam/uptime-kuma', 'latest', digest('f')] }]),
    }),
  };
  return Object.fromEntries(
    Object.keys(catalogue)
      .sort()
      .map((k) => [k, catalogue[k]!]),
  );
}

/** READMEs of some fixture recipes (the others have none): name → markdown. */
export function fixtureReadmes(): Map<string, string> {
  return new Map([
    [
      'nextcloud',
      `# Nextcloud

Nextcloud for co-ops, with Postgres and Redis.

<!-- metadata -->
* **Category**: Apps
* **Status**: 4
* **Image**: [\`nextcloud\`](https://hub.docker.com/_/nextcloud), 4, upstream
* **Healthcheck**: Yes
* **Backups**: Yes
* **Email**: 3
* **Tests**: 2
* **SSO**: 3
<!-- endmetadata -->

## Quick start

1. \`abra app new nextcloud --secrets\`
2. \`abra app deploy <app-name>\`

See [the setup notes](docs/setup.md) and [upstream's manual](https://docs.nextcloud.com/).

![Logo](logo.png)

![Screenshot of the files view](https://images.example.org/nextcloud/files.png)
`,
    ],
    [
      'forum',
      `# Forum

A community forum (NodeBB) with Redis.

## Basic usage

1. \`abra app new forum --secrets\`
2. \`abra app config <app-name>\`
`,
    ],
    ['wordpress', `# WordPress\n\nThe blogging platform.\n\n| option | meaning |\n| --- | --- |\n| \`WP_DEBUG\` | debug mode |\n`],
  ]);
}

/**
 * Writes the fixture as files: `recipes.json` and READMEs in both accepted
 * layouts (`readmes/<name>.md`, and `readmes/forum/README.md`).
 */
export async function writeFixtureCatalogue(
  dir: string,
  catalogue: Catalogue = fixtureCatalogue(),
  readmes: Map<string, string> = fixtureReadmes(),
  sidecar: object | undefined = FIXTURE_SIDECAR,
): Promise<{ catalogueFile: string; readmesDir: string }> {
  const readmesDir = path.join(dir, 'readmes');
  await mkdir(path.join(dir, 'media'), { recursive: true });
  await mkdir(readmesDir, { recursive: true });
  const catalogueFile = path.join(dir, 'recipes.json');
  await writeFile(catalogueFile, `${JSON.stringify(catalogue, null, 2)}\n`);
  if (sidecar) await writeFile(path.join(dir, 'recipes.galley.json'), `${JSON.stringify(sidecar, null, 2)}\n`);
  for (const [file, bytes] of fixtureMedia()) await writeFile(path.join(dir, file), bytes);
  for (const [name, text] of readmes) {
    if (name === 'forum') {
      await mkdir(path.join(readmesDir, name), { recursive: true });
      await writeFile(path.join(readmesDir, name, 'README.md'), text);
    } else await writeFile(path.join(readmesDir, `${name}.md`), text);
  }
  return { catalogueFile, readmesDir };
}
