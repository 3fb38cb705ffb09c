import { describe, expect, it } from '@jest/globals';
import { parseEnvFile } from '../env-file.js';
import { parseImageRef } from '../image-ref.js';
import { readRecipe } from '../recipe.js';
import { MemorySource } from '../source.js';
import { type Change, imageJump, type RecipeDiff } from './diff.js';
import { formatDiffMarkdown, formatDiffText, formatReleaseNotesDraft } from './format.js';
import { compareRecipes } from './load.js';
import { snapshotRecipe } from './snapshot.js';
import { summarizeDiff } from './summary.js';

/** The older version every case starts from: a small recipe with one of everything. */
const BASE: Record<string, string> = {
  'compose.yml': `version: "3.8"

x-logging: &logging
  driver: json-file

services:
  app:
    image: nginx:1.26.0
    logging: *logging
    environment:
      - SITE_URL=https://\${DOMAIN}
      - LOG_LEVEL=\${LOG_LEVEL:-info}
    secrets:
      - db_password
    configs:
      - source: nginx_conf
        target: /etc/nginx/nginx.conf
    volumes:
      - uploads:/srv/uploads
    networks:
      - proxy
      - internal
    healthcheck:
      test: ["CMD", "true"]
      interval: 30s
      retries: 3
    deploy:
      restart_policy:
        condition: on-failure
      labels:
        - "traefik.enable=true"
        - "traefik.http.routers.\${STACK_NAME}.rule=Host(\`\${DOMAIN}\`)"
        - "coop-cloud.\${STACK_NAME}.version=1.0.0+1.26.0"

  db:
    image: postgres:15.4
    logging: *logging
    volumes:
      - pgdata:/var/lib/postgresql/data
    networks:
      - internal

volumes:
  uploads:
  pgdata:

networks:
  proxy:
    external: true
  internal:

secrets:
  db_password:
    external: true
    name: \${STACK_NAME}_db_password_\${SECRET_DB_PASSWORD_VERSION}

configs:
  nginx_conf:
    name: \${STACK_NAME}_nginx_conf_\${NGINX_CONF_VERSION}
    file: nginx.conf
`,
  'compose.smtp.yml': `version: "3.8"
services:
  app:
    environment:
      - SMTP_HOST=\${SMTP_HOST}
`,
  '.env.sample': `TYPE=site
DOMAIN=site.example.com
LOG_LEVEL=info
SECRET_DB_PASSWORD_VERSION=v1 # length=32

COMPOSE_FILE="compose.yml"
#COMPOSE_FILE="$COMPOSE_FILE:compose.smtp.yml"
#SMTP_HOST=smtp.example.com
`,
  'abra.sh': 'export NGINX_CONF_VERSION=v1\n',
  'nginx.conf': 'events {}\n',
  'README.md': '# Site\n',
  'release/1.0.0+1.26.0': 'First release.\n',
};

type Edit = Record<string, string | null | ((text: string) => string)>;

function variant(edit: Edit, base = BASE): Record<string, string> {
  const out = { ...base };
  for (const [file, change] of Object.entries(edit)) {
    if (change === null) delete out[file];
    else if (typeof change === 'string') out[file] = change;
    else {
      const next = change(out[file] ?? '');
      if (next === out[file]) throw new Error(`the edit of ${file} changed nothing`);
      out[file] = next;
    }
  }
  return out;
}

/** Replaces text that must be there exactly once. */
const sub =
  (from: string, to: string) =>
  (text: string): string => {
    if (text.split(from).length !== 2) throw new Error(`"${from}" is not in the text exactly once`);
    return text.replace(from, () => to);
  };

const chain =
  (...edits: ((text: string) => string)[]) =>
  (text: string) =>
    edits.reduce((t, e) => e(t), text);

async function diffOf(edit: Edit, options: { from?: Record<string, string>; appEnv?: string; fromLabel?: string; toLabel?: string } = {}): Promise<RecipeDiff> {
  const from = await readRecipe(new MemorySource(options.from ?? BASE, 'v1'), 'site');
  const to = await readRecipe(new MemorySource(variant(edit, options.from ?? BASE), 'v2'), 'site');
  return compareRecipes(from, to, {
    ...(options.appEnv !== undefined ? { appEnv: parseEnvFile(options.appEnv, 'site.env') } : {}),
    fromLabel: options.fromLabel ?? '1.0.0+1.26.0',
    toLabel: options.toLabel ?? 'work tree',
  });
}

const brief = (c: Change) => [c.kind, c.subject, c.breaking];

describe('diffSnapshots: every kind of change', () => {
  const cases: [name: string, edit: Edit, expected: [string, string, boolean][], level: string | undefined][] = [
    ['nothing changed', {}, [], undefined],
    [
      'a service added',
      { 'compose.yml': sub('volumes:\n  uploads:', '  worker:\n    image: busybox:1.36\n\nvolumes:\n  uploads:') },
      [['service-added', 'worker', false]],
      'patch',
    ],
    [
      'a service removed (its volume with it)',
      {
        'compose.yml': chain(
          sub(
            '  db:\n    image: postgres:15.4\n    logging: *logging\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n    networks:\n      - internal\n\n',
            '',
          ),
          sub('  pgdata:\n', ''),
        ),
      },
      [
        ['volume-removed', 'pgdata', true],
        ['service-removed', 'db', false],
      ],
      'major',
    ],
    ['a service renamed (same image)', { 'compose.yml': sub('  db:\n', '  postgres:\n') }, [['service-renamed', 'postgres', false]], 'patch'],
    ['an image: patch', { 'compose.yml': sub('nginx:1.26.0', 'nginx:1.26.1') }, [['image-changed', 'app', false]], 'patch'],
    ['an image: minor', { 'compose.yml': sub('nginx:1.26.0', 'nginx:1.27.3') }, [['image-changed', 'app', false]], 'minor'],
    ['an image: major (breaking)', { 'compose.yml': sub('postgres:15.4', 'postgres:16.1') }, [['image-changed', 'db', true]], 'major'],
    ['an image: variant changed', { 'compose.yml': sub('postgres:15.4', 'postgres:15.4-alpine') }, [['image-changed', 'db', false]], 'minor'],
    ['an image replaced by another', { 'compose.yml': sub('postgres:15.4', 'mariadb:11.4') }, [['image-changed', 'db', true]], 'major'],
    [
      'an env var added, required',
      {
        '.env.sample': sub('LOG_LEVEL=info\n', 'LOG_LEVEL=info\nADMIN_EMAIL=admin@example.com\n'),
        'compose.yml': sub('      - LOG_LEVEL=${LOG_LEVEL:-info}\n', '      - LOG_LEVEL=${LOG_LEVEL:-info}\n      - ADMIN_EMAIL=${ADMIN_EMAIL}\n'),
      },
      [['env-added', 'ADMIN_EMAIL', true]],
      'major',
    ],
    [
      'an env var added, optional (commented out)',
      { '.env.sample': sub('#SMTP_HOST=smtp.example.com\n', '#SMTP_HOST=smtp.example.com\n#SMTP_PORT=587\n') },
      [['env-added', 'SMTP_PORT', false]],
      'minor',
    ],
    [
      'an env var added, optional (compose has a default)',
      {
        '.env.sample': sub('LOG_LEVEL=info\n', 'LOG_LEVEL=info\nWORKERS=4\n'),
        'compose.yml': sub('      - LOG_LEVEL=${LOG_LEVEL:-info}\n', '      - LOG_LEVEL=${LOG_LEVEL:-info}\n      - WORKERS=${WORKERS:-4}\n'),
      },
      [['env-added', 'WORKERS', false]],
      'minor',
    ],
    ['an env var removed', { '.env.sample': sub('#SMTP_HOST=smtp.example.com\n', '') }, [['env-removed', 'SMTP_HOST', false]], 'patch'],
    [
      'an env var renamed (a guess)',
      { '.env.sample': sub('LOG_LEVEL=info', 'LOGLEVEL=info'), 'compose.yml': sub('LOG_LEVEL=${LOG_LEVEL:-info}', 'LOG_LEVEL=${LOGLEVEL:-info}') },
      [['env-renamed', 'LOGLEVEL', false]],
      'patch',
    ],
    ['an env default changed', { '.env.sample': sub('LOG_LEVEL=info', 'LOG_LEVEL=debug') }, [['env-default-changed', 'LOG_LEVEL', false]], 'patch'],
    [
      'an env var now required (its compose default dropped)',
      { 'compose.yml': sub('${LOG_LEVEL:-info}', '${LOG_LEVEL}') },
      [['env-now-required', 'LOG_LEVEL', true]],
      'major',
    ],
    [
      'an overlay added',
      { 'compose.postgres.yml': 'services:\n  app:\n    environment:\n      - DB=postgres\n' },
      [['overlay-added', 'compose.postgres.yml', false]],
      'minor',
    ],
    [
      'a secret in an overlay new in this version: no app uses it yet',
      {
        'compose.s3.yml':
          'version: "3.8"\nservices:\n  app:\n    secrets: [s3_key]\nsecrets:\n  s3_key:\n    external: true\n    name: ${STACK_NAME}_s3_key_${SECRET_S3_KEY_VERSION}\n',
        '.env.sample': sub(
          '#SMTP_HOST=smtp.example.com\n',
          '#SMTP_HOST=smtp.example.com\n#COMPOSE_FILE="$COMPOSE_FILE:compose.s3.yml"\n#SECRET_S3_KEY_VERSION=v1\n',
        ),
      },
      [
        ['env-added', 'SECRET_S3_KEY_VERSION', false],
        ['overlay-added', 'compose.s3.yml', false],
        ['secret-added', 's3_key', false],
      ],
      'minor',
    ],
    [
      'a secret in an overlay apps already use',
      {
        'compose.smtp.yml': (t) =>
          `${t}    secrets: [smtp_password]\nsecrets:\n  smtp_password:\n    external: true\n    name: \${STACK_NAME}_smtp_password_\${SECRET_SMTP_PASSWORD_VERSION}\n`,
        '.env.sample': sub('#SMTP_HOST=smtp.example.com\n', '#SMTP_HOST=smtp.example.com\n#SECRET_SMTP_PASSWORD_VERSION=v1\n'),
      },
      [
        ['secret-added', 'smtp_password', true],
        ['env-added', 'SECRET_SMTP_PASSWORD_VERSION', false],
      ],
      'major',
    ],
    [
      'an optional setting now set (and used without a default): required',
      { '.env.sample': sub('#SMTP_HOST=smtp.example.com', 'SMTP_HOST=smtp.example.com') },
      [['env-now-required', 'SMTP_HOST', true]],
      'major',
    ],
    [
      'a setting that became a secret is no rename',
      {
        '.env.sample': sub('LOG_LEVEL=info\n', ''),
        'compose.yml': chain(
          sub('      - LOG_LEVEL=${LOG_LEVEL:-info}\n', ''),
          sub('      - db_password\n', '      - db_password\n      - log_level\n'),
          sub(
            'secrets:\n  db_password:',
            'secrets:\n  log_level:\n    external: true\n    name: ${STACK_NAME}_log_level_${SECRET_LOG_LEVEL_VERSION}\n  db_password:',
          ),
        ),
      },
      [
        ['secret-added', 'log_level', true],
        ['env-removed', 'LOG_LEVEL', false],
      ],
      'major',
    ],
    ['an overlay removed', { 'compose.smtp.yml': null }, [['overlay-removed', 'compose.smtp.yml', false]], 'minor'],
    [
      'an overlay on by default',
      { '.env.sample': sub('#COMPOSE_FILE="$COMPOSE_FILE:compose.smtp.yml"', 'COMPOSE_FILE="$COMPOSE_FILE:compose.smtp.yml"') },
      [['overlay-default-changed', 'compose.smtp.yml', false]],
      'patch',
    ],
    [
      'a secret added (with its version variable)',
      {
        'compose.yml': chain(
          sub('      - db_password\n', '      - db_password\n      - admin_password\n'),
          sub(
            'secrets:\n  db_password:',
            'secrets:\n  admin_password:\n    external: true\n    name: ${STACK_NAME}_admin_password_${SECRET_ADMIN_PASSWORD_VERSION}\n  db_password:',
          ),
        ),
        '.env.sample': sub('SECRET_DB_PASSWORD_VERSION=v1 # length=32\n', 'SECRET_DB_PASSWORD_VERSION=v1 # length=32\nSECRET_ADMIN_PASSWORD_VERSION=v1\n'),
      },
      [
        ['env-added', 'SECRET_ADMIN_PASSWORD_VERSION', true],
        ['secret-added', 'admin_password', true],
      ],
      'major',
    ],
    [
      'a secret removed',
      {
        'compose.yml': chain(
          sub('    secrets:\n      - db_password\n', ''),
          sub('secrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\n\n', ''),
        ),
        '.env.sample': sub('SECRET_DB_PASSWORD_VERSION=v1 # length=32\n', ''),
      },
      [
        ['env-removed', 'SECRET_DB_PASSWORD_VERSION', false],
        ['secret-removed', 'db_password', false],
      ],
      'patch',
    ],
    [
      'a secret version bumped',
      { '.env.sample': sub('SECRET_DB_PASSWORD_VERSION=v1', 'SECRET_DB_PASSWORD_VERSION=v2') },
      [['secret-version-changed', 'db_password', false]],
      'patch',
    ],
    [
      'a config changed with its version',
      { 'nginx.conf': 'events { worker_connections 512; }\n', 'abra.sh': 'export NGINX_CONF_VERSION=v2\n' },
      [['config-changed', 'nginx_conf', false]],
      'patch',
    ],
    ['a config changed without its version', { 'nginx.conf': 'events { worker_connections 512; }\n' }, [['config-changed', 'nginx_conf', false]], 'patch'],
    [
      'a config added',
      {
        'compose.yml': sub(
          '    file: nginx.conf\n',
          '    file: nginx.conf\n  robots:\n    name: ${STACK_NAME}_robots_${ROBOTS_VERSION}\n    file: robots.txt\n',
        ),
        'robots.txt': 'User-agent: *\n',
        'abra.sh': 'export NGINX_CONF_VERSION=v1\nexport ROBOTS_VERSION=v1\n',
      },
      [['config-added', 'robots', false]],
      'patch',
    ],
    [
      'a config removed',
      {
        'compose.yml': chain(
          sub('    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\n', ''),
          sub('\nconfigs:\n  nginx_conf:\n    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}\n    file: nginx.conf\n', ''),
        ),
      },
      [['config-removed', 'nginx_conf', false]],
      'patch',
    ],
    ['a volume added', { 'compose.yml': sub('  pgdata:\n', '  pgdata:\n  cache:\n') }, [['volume-added', 'cache', false]], 'patch'],
    [
      'a volume removed (data stays behind: breaking)',
      { 'compose.yml': chain(sub('    volumes:\n      - uploads:/srv/uploads\n', ''), sub('  uploads:\n', '')) },
      [['volume-removed', 'uploads', true]],
      'major',
    ],
    ['a network added', { 'compose.yml': sub('  internal:\n\nsecrets', '  internal:\n  backend:\n\nsecrets') }, [['network-added', 'backend', false]], 'patch'],
    [
      'a network removed',
      { 'compose.yml': chain(sub('      - proxy\n      - internal\n', '      - internal\n'), sub('  proxy:\n    external: true\n', '')) },
      [['network-removed', 'proxy', false]],
      'patch',
    ],
    ['a healthcheck changed', { 'compose.yml': sub('interval: 30s', 'interval: 10s') }, [['healthcheck-changed', 'app', false]], 'patch'],
    [
      'a healthcheck added',
      { 'compose.yml': sub('    networks:\n      - internal\n\n', '    networks:\n      - internal\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n\n') },
      [['healthcheck-changed', 'db', false]],
      'patch',
    ],
    [
      'a deploy policy changed',
      { 'compose.yml': sub('condition: on-failure', 'condition: any') },
      [['deploy-changed', 'app deploy.restart_policy', false]],
      'patch',
    ],
    [
      'a Traefik route changed',
      { 'compose.yml': sub('Host(`${DOMAIN}`)', 'Host(`${DOMAIN}`, `www.${DOMAIN}`)') },
      [['route-changed', 'app traefik.http.routers.${STACK_NAME}.rule', false]],
      'patch',
    ],
  ];

  it.each(cases)('%s', async (_name, edit, expected, level) => {
    const diff = await diffOf(edit);
    expect(diff.changes.map(brief)).toEqual(expected);
    expect(diff.level).toBe(level);
    expect(diff.breaking).toBe(expected.some(([, , b]) => b));
  });
});

describe('diffSnapshots: what is no change', () => {
  it.each<[string, Edit]>([
    [
      'reordered keys, services and env lines',
      {
        'compose.yml': chain(
          sub('      test: ["CMD", "true"]\n      interval: 30s\n      retries: 3\n', '      retries: 3\n      interval: 30s\n      test: ["CMD", "true"]\n'),
          sub('volumes:\n  uploads:\n  pgdata:\n', 'volumes:\n  pgdata:\n  uploads:\n'),
          (t) => {
            const db = t.slice(t.indexOf('  db:\n'), t.indexOf('volumes:\n  '));
            return t.replace(db, '').replace('services:\n', `services:\n${db}`);
          },
        ),
        '.env.sample': sub('DOMAIN=site.example.com\nLOG_LEVEL=info\n', 'LOG_LEVEL=info\nDOMAIN=site.example.com\n'),
      },
    ],
    [
      'a moved anchor',
      {
        'compose.yml': chain(
          sub('x-logging: &logging\n  driver: json-file\n\n', ''),
          sub('    logging: *logging\n    environment:', '    logging: &logging\n      driver: json-file\n    environment:'),
        ),
      },
    ],
    [
      'comments',
      {
        'compose.yml': sub('services:\n', '# the web server and its database\nservices:\n  # serves the site\n'),
        '.env.sample': chain(sub('LOG_LEVEL=info\n', '# how chatty the logs are\nLOG_LEVEL=info # debug, info or warn\n')),
      },
    ],
    ['files no operator sees', { 'README.md': '# Site\n\nNow with a longer README.\n', '.drone.yml': 'kind: pipeline\n' }],
    ['the version label', { 'compose.yml': sub('version=1.0.0+1.26.0', 'version=1.0.1+1.26.0') }],
  ])('%s', async (_name, edit) => {
    const diff = await diffOf(edit);
    expect(diff.changes).toEqual([]);
    expect(diff.level).toBeUndefined();
  });
});

describe('diff details', () => {
  it('places each change at its file:line:col in the newer version, and what was removed in the older one', async () => {
    const diff = await diffOf({
      'compose.yml': chain(sub('postgres:15.4', 'postgres:16.1'), sub('    volumes:\n      - uploads:/srv/uploads\n', ''), sub('  uploads:\n', '')),
      '.env.sample': sub('LOG_LEVEL=info', 'LOG_LEVEL=warn'),
    });
    expect(diff.changes.map((c) => [c.kind, c.location])).toEqual([
      ['image-changed', { file: 'compose.yml', line: 34, col: 12, version: 'to' }],
      ['volume-removed', { file: 'compose.yml', line: 44, col: 3, version: 'from' }],
      ['env-default-changed', { file: '.env.sample', line: 3, col: 1, version: 'to' }],
    ]);
  });

  it('names the jump of an image change and the action a breaking change asks for', async () => {
    const diff = await diffOf({ 'compose.yml': sub('postgres:15.4', 'postgres:16.1') });
    expect(diff.changes[0]).toMatchObject({
      jump: 'major',
      downgrade: false,
      from: 'postgres:15.4',
      to: 'postgres:16.1',
      message: 'db: postgres 15.4 → 16.1 (major)',
    });
    expect(diff.changes[0]!.action).toContain('back up');
  });

  it('says how to get a new secret: generated, or inserted when generate=false', async () => {
    const addSecret = (modifier: string): Edit => ({
      'compose.yml': sub(
        'secrets:\n  db_password:',
        'secrets:\n  smtp_password:\n    external: true\n    name: ${STACK_NAME}_smtp_password_${SECRET_SMTP_PASSWORD_VERSION}\n  db_password:',
      ),
      '.env.sample': sub('#SMTP_HOST=smtp.example.com\n', `#SMTP_HOST=smtp.example.com\n#SECRET_SMTP_PASSWORD_VERSION=v1${modifier}\n`),
    });
    const generated = (await diffOf(addSecret(''))).changes.find((c) => c.kind === 'secret-added')!;
    expect(generated.action).toBe('generate it: galley secret generate <app env> smtp_password');
    const inserted = (await diffOf(addSecret(' # generate=false'))).changes.find((c) => c.kind === 'secret-added')!;
    expect(inserted.action).toMatch(/^insert it: galley secret insert <app env> smtp_password v1/);
  });

  it('asks for a version bump when a config changed under the same version', async () => {
    const same = (await diffOf({ 'nginx.conf': 'events { worker_connections 512; }\n' })).changes[0]!;
    expect(same.message).toBe('config nginx_conf: content changed');
    expect(same.action).toContain('bump NGINX_CONF_VERSION');
    const bumped = (await diffOf({ 'nginx.conf': 'events { worker_connections 512; }\n', 'abra.sh': 'export NGINX_CONF_VERSION=v2\n' })).changes[0]!;
    expect(bumped.message).toBe('config nginx_conf: content changed, NGINX_CONF_VERSION v1 → v2');
    expect(bumped.action).toBeUndefined();
  });

  it('with an app env: its COMPOSE_FILE, and the line a new required key needs', async () => {
    const edit: Edit = {
      '.env.sample': sub('LOG_LEVEL=info\n', 'LOG_LEVEL=info\nADMIN_EMAIL=admin@example.com\n'),
      'compose.yml': sub('      - LOG_LEVEL=${LOG_LEVEL:-info}\n', '      - LOG_LEVEL=${LOG_LEVEL:-info}\n      - ADMIN_EMAIL=${ADMIN_EMAIL}\n'),
      'compose.smtp.yml': sub('version: "3.8"\n', 'version: "3.8"\nvolumes:\n  spool:\n'),
    };
    const lacking = await diffOf(edit, { appEnv: 'TYPE=site\nDOMAIN=blog.example.org\nSECRET_DB_PASSWORD_VERSION=v1\n' });
    expect(lacking.appEnv).toBe(true);
    // compose.smtp.yml is not in this app's COMPOSE_FILE: its new volume does not concern it.
    expect(lacking.changes.map(brief)).toEqual([['env-added', 'ADMIN_EMAIL', true]]);
    expect(lacking.changes[0]).toMatchObject({
      missingInAppEnv: true,
      line: 'ADMIN_EMAIL=admin@example.com',
      action: 'the app env lacks it: add the line ADMIN_EMAIL=admin@example.com',
    });
    const having = await diffOf(edit, {
      appEnv: 'TYPE=site\nDOMAIN=blog.example.org\nADMIN_EMAIL=me@blog.example.org\nCOMPOSE_FILE=compose.yml:compose.smtp.yml\n',
    });
    expect(having.changes.map(brief)).toEqual([
      ['env-added', 'ADMIN_EMAIL', true],
      ['volume-added', 'spool', false],
    ]);
    expect(having.changes[0]!.missingInAppEnv).toBeUndefined();
  });

  it('collects the release notes after the older version up to the newer one', async () => {
    const notes = {
      'release/1.1.0+1.27.0': 'Nginx 1.27.\n',
      'release/2.0.0+1.27.3': 'Postgres 16.\n',
      'release/0.9.0+1.25.0': 'Old.\n',
      'release/next': 'Unreleased.\n',
    };
    const toWorkTree = await diffOf(notes);
    expect(toWorkTree.releaseNotes).toEqual([
      { version: '1.1.0+1.27.0', file: 'release/1.1.0+1.27.0', text: 'Nginx 1.27.\n' },
      { version: '2.0.0+1.27.3', file: 'release/2.0.0+1.27.3', text: 'Postgres 16.\n' },
      { version: 'next', file: 'release/next', text: 'Unreleased.\n' },
    ]);
    const from = await readRecipe(new MemorySource(BASE, 'v1'), 'site');
    const to = await readRecipe(new MemorySource(variant(notes), 'repo#1.1.0+1.27.0'), 'site');
    const toTag = await compareRecipes(from, to, { fromLabel: '1.0.0+1.26.0' });
    expect(toTag.releaseNotes.map((n) => n.version)).toEqual(['1.1.0+1.27.0']);
  });

  it('compares versions whose overlays need a value only the deployer gives (${X:?…})', async () => {
    const diff = await diffOf({ 'compose.smtp.yml': sub('${SMTP_HOST}', '${SMTP_HOST:?set SMTP_HOST}') });
    expect(diff.changes).toEqual([]);
  });

  it('refuses a version it cannot read, naming file:line', async () => {
    await expect(diffOf({ 'compose.yml': 'services:\n  app: [\n' })).rejects.toMatchObject({
      code: 'recipe-unreadable',
      message: expect.stringMatching(/compose\.yml:\d+:\d+/),
    });
  });
});

describe('imageJump', () => {
  const jump = (a: string, b: string) => {
    const x = parseImageRef(a);
    const y = parseImageRef(b);
    if (!x.ok || !y.ok) throw new Error('bad ref');
    return imageJump(x.ref, y.ref);
  };
  it.each([
    ['nginx:1.26.0', 'nginx:1.26.1', 'patch', false],
    ['nginx:1.26', 'nginx:1.27', 'minor', false],
    ['nginx:1', 'nginx:2', 'major', false],
    ['postgres:16', 'postgres:16.4', 'minor', false],
    ['postgres:16.4', 'postgres:15.8', 'major', true],
    ['postgres:16-alpine', 'postgres:16-bookworm', 'variant', false],
    ['nginx:latest', 'nginx:1.27', 'unknown', false],
    ['mariadb:11', 'mysql:8', 'replaced', false],
    [`nginx:1.27@sha256:${'a'.repeat(64)}`, `nginx:1.27@sha256:${'b'.repeat(64)}`, 'digest', false],
    ['example/app:20240101', 'example/app:20240301', 'minor', false],
  ])('%s → %s: %s', (a, b, expected, downgrade) => {
    expect(jump(a, b)).toEqual({ jump: expected, downgrade });
  });
});

describe('formats', () => {
  const edit: Edit = {
    'compose.yml': chain(sub('postgres:15.4', 'postgres:16.1'), sub('nginx:1.26.0', 'nginx:1.27.3')),
    'release/2.0.0+1.27.3': 'Postgres 16: dump and restore.\n',
  };

  it('text: breaking first, then sections, each with file:line:col, then the notes', async () => {
    const text = formatDiffText(await diffOf(edit));
    expect(text).toBe(`site: 1.0.0+1.26.0 → work tree (1.0.0+1.26.0)
2 changes, 1 breaking; the release rules call for a major bump

BREAKING
  compose.yml:36:12  db: postgres 15.4 → 16.1 (major)
      → read the upstream upgrade notes; back up the data first

Images
  compose.yml:8:12  app: nginx 1.26.0 → 1.27.3 (minor)

Release notes
  release/2.0.0+1.27.3
    Postgres 16: dump and restore.
`);
  });

  it('text: release notes with controls and a workflow command stay inert, one line each', async () => {
    const text = formatDiffText(await diffOf({ ...edit, 'release/2.0.0+1.27.3': 'fine\r\u001b[2J\n::error::forged\n' }));
    expect(text).toContain('    fine\\u000d\\u001b[2J\n    :\u2060:error::forged\n');
    expect(text).not.toMatch(/[\r\u001b]/);
    for (const line of text.split('\n')) expect(line).not.toMatch(/^\s*::error/);
  });

  it('markdown: the same in sections, notes quoted', async () => {
    const md = formatDiffMarkdown(await diffOf(edit));
    expect(md).toContain(
      '## site: 1.0.0+1.26.0 → work tree (1.0.0+1.26.0)\n\n2 changes, 1 breaking; the release rules call for a major bump.\n\n### Breaking\n\n- db: postgres 15.4 → 16.1 (major) (`compose.yml:36:12`)  \n  read the upstream upgrade notes; back up the data first\n',
    );
    expect(md).toContain('### Images\n\n- app: nginx 1.26.0 → 1.27.3 (minor) (`compose.yml:8:12`)');
    expect(md).toContain('### Release notes\n\n`release/2.0.0+1.27.3`:\n\n> Postgres 16: dump and restore.\n');
  });

  it('a release notes draft for the packager', async () => {
    expect(formatReleaseNotesDraft(await diffOf(edit), '2.0.0+1.27.3')).toBe(
      'site 2.0.0+1.27.3\n\nBreaking: before upgrading,\n- db: postgres 15.4 → 16.1 (major): read the upstream upgrade notes; back up the data first\n\nAlso:\n- app: nginx 1.26.0 → 1.27.3 (minor)\n',
    );
    expect(formatReleaseNotesDraft(await diffOf({}), '1.0.1+1.26.0')).toBe('site 1.0.1+1.26.0\n\nNo changes an operator sees (recipe files only).\n');
  });
});

describe('snapshotRecipe', () => {
  it('reads the version label, required keys and overlays', async () => {
    const snapshot = await snapshotRecipe(await readRecipe(new MemorySource(BASE, 'x'), 'site'));
    expect(snapshot.versionLabel?.value).toBe('1.0.0+1.26.0');
    expect([...snapshot.env.values()].map((e) => [e.name, e.required])).toEqual([
      ['TYPE', false],
      ['DOMAIN', true],
      ['LOG_LEVEL', false],
      ['SECRET_DB_PASSWORD_VERSION', true],
      ['SMTP_HOST', false],
    ]);
    expect([...snapshot.overlays.values()].map((o) => [o.file, o.defaultOn, o.span?.line])).toEqual([['compose.smtp.yml', false, 7]]);
    expect(snapshot.secrets.get('db_password')).toMatchObject({ versionVariable: 'SECRET_DB_PASSWORD_VERSION', version: 'v1', modifiers: { length: '32' } });
    expect(snapshot.configs.get('nginx_conf')).toMatchObject({ file: 'nginx.conf', content: 'events {}\n', version: 'v1' });
  });
});

describe('summarizeDiff', () => {
  it('keeps every breaking change, then others up to the limit, and counts what it left out', async () => {
    const diff = await diffOf({
      'compose.yml': chain(sub('postgres:15.4', 'postgres:16.1'), sub('nginx:1.26.0', 'nginx:1.27.3'), sub('interval: 30s', 'interval: 10s')),
      '.env.sample': sub('LOG_LEVEL=info', 'LOG_LEVEL=warn'),
    });
    expect(summarizeDiff(diff, '1.0.0+1.26.0', { max: 2 })).toEqual({
      from: '1.0.0+1.26.0',
      level: 'major',
      breaking: 1,
      changes: [
        {
          kind: 'image-changed',
          category: 'images',
          breaking: true,
          message: 'db: postgres 15.4 → 16.1 (major)',
          action: 'read the upstream upgrade notes; back up the data first',
          location: 'compose.yml:36',
        },
        { kind: 'image-changed', category: 'images', breaking: false, message: 'app: nginx 1.26.0 → 1.27.3 (minor)', location: 'compose.yml:8' },
      ],
      omitted: 2,
    });
  });
});
