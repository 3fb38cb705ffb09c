// "pad": a recipe with three releases, written for the tests of `recipe
// diff`, `recipe release`, the catalogue's upgrade notes and deploy's
// upgrade check. It deploys on this machine (local/busybox images, an httpd
// with a healthcheck, `init: true`, no published ports):
//
//   1.0.0+1.36.0  the first release
//   1.1.0+1.37.0  a minor image jump and a new optional setting (PAD_THEME)
//   2.0.0+1.37.0  breaking: a new secret (admin_pass) and a new required
//                 setting (PAD_ADMIN)
import type { GitCommitSpec } from './gitserver.js';

export const PAD_RELEASES = ['1.0.0+1.36.0', '1.1.0+1.37.0', '2.0.0+1.37.0'] as const;

export interface PadOptions {
  /** The image repository (default local/busybox). */
  image?: string;
}

const HTTPD = 'mkdir -p /srv/pages && echo ok > /srv/pages/index.html && exec httpd -f -p 8080 -h /srv/pages';

/** The files of pad at release `n` (0, 1 or 2), with the notes of every release up to it. */
export function padFiles(n: 0 | 1 | 2, options: PadOptions = {}): Record<string, string> {
  const version = PAD_RELEASES[n];
  const tag = n === 0 ? '1.36.0' : '1.37.0';
  const env = ['      - PAD_URL=https://${DOMAIN}'];
  if (n >= 1) env.push('      - PAD_THEME=${PAD_THEME:-light}');
  if (n >= 2) env.push('      - PAD_ADMIN=${PAD_ADMIN}', '      - PAD_ADMIN_PASSWORD_FILE=/run/secrets/admin_pass');
  const compose = [
    '---',
    'version: "3.8"',
    '',
    'services:',
    '  app:',
    `    image: ${options.image ?? 'local/busybox'}:${tag}`,
    '    init: true',
    '    stop_grace_period: 1s',
    `    command: ["sh", "-c", ${JSON.stringify(HTTPD)}]`,
    '    environment:',
    ...env,
    ...(n >= 2 ? ['    secrets:', '      - admin_pass'] : []),
    '    volumes:',
    '      - pages:/srv/pages',
    '    networks:',
    '      - proxy',
    '    healthcheck:',
    '      test: ["CMD", "sh", "-c", "timeout 2 wget -q -O- http://127.0.0.1:8080/ >/dev/null"]',
    '      interval: 2s',
    '      timeout: 2s',
    '      retries: 5',
    '    deploy:',
    '      restart_policy:',
    '        condition: on-failure',
    '        delay: 1s',
    '      update_config:',
    '        monitor: 1s',
    '        failure_action: rollback',
    '      labels:',
    '        - "traefik.enable=true"',
    '        - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=8080"',
    '        - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"',
    '        - "traefik.http.routers.${STACK_NAME}.entrypoints=web-secure"',
    '        - "traefik.http.routers.${STACK_NAME}.tls.certresolver=${LETS_ENCRYPT_ENV}"',
    `        - "coop-cloud.\${STACK_NAME}.version=${version}"`,
    '        - "coop-cloud.${STACK_NAME}.timeout=${TIMEOUT:-60}"',
    '',
    'volumes:',
    '  pages:',
    '',
    'networks:',
    '  proxy:',
    '    external: true',
    ...(n >= 2 ? ['', 'secrets:', '  admin_pass:', '    external: true', '    name: ${STACK_NAME}_admin_pass_${SECRET_ADMIN_PASS_VERSION}'] : []),
    '',
  ];
  const sample = ['TYPE=pad', '', 'DOMAIN=pad.example.com', 'LETS_ENCRYPT_ENV=production', ''];
  if (n >= 1) sample.push('# light or dark', '#PAD_THEME=dark', '');
  if (n >= 2) sample.push('PAD_ADMIN=admin@pad.example.com', 'SECRET_ADMIN_PASS_VERSION=v1 # length=24', '');
  const notes: Record<string, string> = {
    'release/1.0.0+1.36.0': 'The first release of pad.\n',
    'release/1.1.0+1.37.0': 'busybox 1.37. Dark pages: set PAD_THEME=dark.\n',
    'release/2.0.0+1.37.0': 'An admin account: set PAD_ADMIN, and generate the admin_pass secret.\n',
  };
  const files: Record<string, string> = {
    'compose.yml': compose.join('\n'),
    '.env.sample': sample.join('\n'),
    'abra.sh': '# pad has no configs and no commands\n',
    'README.md': [
      '# Pad',
      '',
      'A page server, the recipe of galley’s release tests.',
      '',
      '<!-- metadata -->',
      '* **Category**: Apps',
      '* **Status**: 2, beta',
      '* **Image**: [`busybox`](https://hub.docker.com/_/busybox), 4, upstream',
      '* **Healthcheck**: Yes',
      '* **Backups**: No',
      '* **Email**: N/A',
      '* **Tests**: 2',
      '* **SSO**: N/A',
      '<!-- endmetadata -->',
      '',
    ].join('\n'),
  };
  for (const v of PAD_RELEASES.slice(0, n + 1)) files[`release/${v}`] = notes[`release/${v}`]!;
  return files;
}

/** The three release commits of pad, each with its annotated tag, for `startGitServer`. */
export function padCommits(options: PadOptions = {}): GitCommitSpec[] {
  return PAD_RELEASES.map((version, n) => ({
    files: padFiles(n as 0 | 1 | 2, options),
    replace: true,
    message: `chore: publish ${version} release`,
    tags: [{ name: version, annotated: true, message: `chore: publish ${version} release` }],
  }));
}
