import { testRule } from '@galley/linter/testing';
import { describe, expect, it } from '@jest/globals';
import capabilities from './capabilities.js';
import dockerSocket from './docker-socket.js';
import hostNamespace from './host-namespace.js';
import privileged from './privileged.js';
import publishedPortBehindTraefik from './published-port-behind-traefik.js';
import secretInEnvironment, { looksLikeSecretName } from './secret-in-environment.js';

testRule(dockerSocket, {
  valid: [
    {
      name: 'the filtering proxy the fix recommends',
      composeFile: true,
      files: {
        'compose.yml':
          'services:\n  socket-proxy:\n    image: tecnativa/docker-socket-proxy:0.3.0\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n',
      },
    },
    {
      name: 'no socket',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    volumes:\n      - data:/data\n      - /var/run/other.sock:/x\nvolumes:\n  data:\n' },
    },
  ],
  invalid: [
    {
      name: 'short and long syntax, read-only, /run path',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n  agent:\n    image: y:1\n    volumes:\n      - type: bind\n        source: /run/docker.sock\n        target: /var/run/docker.sock\n',
      },
      errors: [
        {
          messageId: 'socket',
          message: 'service "app" mounts the Docker socket /var/run/docker.sock, which gives it control over the host',
          line: 5,
          col: 9,
          endLine: 5,
          endCol: 53,
        },
        { messageId: 'socket', line: 10, col: 17, endLine: 10, endCol: 33 },
      ],
    },
    {
      name: 'a lone compose file',
      composeFile: true,
      files: {
        'docker-compose.yml': 'services:\n  portainer:\n    image: portainer/portainer-ce:2.21.0\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n',
      },
      errors: [{ messageId: 'socket', line: 4, col: 15, endLine: 4, endCol: 58 }],
    },
  ],
});

testRule(privileged, {
  valid: [{ name: 'false', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    privileged: false\n' } }],
  invalid: [
    {
      name: 'true',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    privileged: true\n' },
      errors: [{ messageId: 'privileged', message: 'service "app" runs privileged: it has full access to the host', line: 4, col: 17, endLine: 4, endCol: 21 }],
    },
    {
      name: 'from a variable, in an anchor',
      files: {
        '.env.sample': 'PRIV=true\n',
        'compose.yml': 'x-p: &p\n  privileged: ${PRIV}\nservices:\n  a:\n    <<: *p\n    image: x:1\n  b:\n    <<: *p\n    image: x:1\n',
      },
      errors: [{ messageId: 'privileged', line: 2, col: 15, endLine: 2, endCol: 22 }],
    },
  ],
});

testRule(hostNamespace, {
  valid: [
    {
      name: 'bridge networking, service network mode',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    network_mode: bridge\n  b:\n    image: x:1\n    network_mode: "service:app"\n' },
    },
    {
      name: 'a network called host that is not the host network',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    networks: [host]\nnetworks:\n  host:\n    driver: overlay\n' },
    },
  ],
  invalid: [
    {
      name: 'network_mode and pid',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    network_mode: host\n    pid: "host"\n' },
      errors: [
        {
          messageId: 'namespace',
          message: 'service "app" shares the host\'s network namespace (network_mode: host)',
          line: 4,
          col: 19,
          endLine: 4,
          endCol: 23,
        },
        { messageId: 'namespace', message: 'service "app" shares the host\'s process namespace (pid: host)', line: 5, col: 10, endLine: 5, endCol: 16 },
      ],
    },
    {
      name: 'the swarm host network',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n    networks:\n      - hostnet\nnetworks:\n  hostnet:\n    external: true\n    name: host\n',
      },
      errors: [{ messageId: 'hostNetwork', line: 5, col: 9, endLine: 5, endCol: 16 }],
    },
  ],
});

testRule(capabilities, {
  valid: [
    { name: 'narrow capabilities', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    cap_add: [NET_BIND_SERVICE, CHOWN]\n' } },
    {
      name: 'allowed by option',
      files: { 'compose.yml': 'services:\n  vpn:\n    image: x:1\n    cap_add: [NET_ADMIN]\n' },
      options: { allow: ['CAP_NET_ADMIN'] },
    },
  ],
  invalid: [
    {
      name: 'ALL and CAP_SYS_ADMIN',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    cap_add:\n      - ALL\n      - cap_sys_admin\n' },
      errors: [
        { messageId: 'broad', message: 'service "app" adds capability ALL: every capability, as good as privileged', line: 5, col: 9, endLine: 5, endCol: 12 },
        { messageId: 'broad', line: 6, col: 9, endLine: 6, endCol: 22 },
      ],
    },
  ],
});

describe('looksLikeSecretName', () => {
  it('knows secrets from other settings', () => {
    for (const name of [
      'POSTGRES_PASSWORD',
      'DB_PASS',
      'SECRET',
      'API_TOKEN',
      'SECRET_KEY',
      'SECRET_KEY_BASE'.replace('_BASE', ''),
      'AWS_SECRET_ACCESS_KEY',
      'mysql_root_password',
    ]) {
      expect([name, looksLikeSecretName(name)]).toEqual([name, true]);
    }
    for (const name of ['POSTGRES_PASSWORD_FILE', 'WEB_PUSH_PUBLIC_KEY', 'AWS_ACCESS_KEY_ID', 'PASSWORD_MIN_LENGTH', 'TOKEN_TTL', 'SORT_KEY']) {
      expect([name, looksLikeSecretName(name)]).toEqual([name, false]);
    }
  });
});

testRule(secretInEnvironment, {
  valid: [
    {
      name: '_FILE, passthrough, variables without defaults, booleans',
      files: {
        '.env.sample': 'SMTP_PASSWORD=x\n',
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    environment:\n      - DB_PASSWORD_FILE=/run/secrets/db_password\n      - INVITE_KEY\n      - SMTP_PASSWORD=${SMTP_PASSWORD}\n      - REQUIRE_PASSWORD=true\n      - EMPTY_TOKEN=\n  db:\n    image: y:1\n    environment:\n      MYSQL_PASSWORD:\n      API_TOKEN: ${API_TOKEN}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'lower-case names without separators',
      composeFile: true,
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    environment:\n      dbpass: hunter2\n      igdbclientsecret: abc\n      bypass: "1"\n' },
      errors: [
        {
          messageId: 'literal',
          message: 'dbpass of service "app" is set to a literal value in the compose file; use a secret (`dbpass_FILE=/run/secrets/…`)',
          line: 5,
          col: 15,
          endLine: 5,
          endCol: 22,
        },
        { messageId: 'literal', line: 6, col: 25, endLine: 6, endCol: 28 },
      ],
    },
    {
      name: 'literal in a list, pointing at the value',
      files: {
        'compose.yml': 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      - POSTGRES_PASSWORD=mysecretpassword\n      - "API_TOKEN=abc123"\n',
      },
      errors: [
        {
          messageId: 'literal',
          message: 'POSTGRES_PASSWORD of service "db" is set to a literal value in the compose file; use a secret (`POSTGRES_PASSWORD_FILE=/run/secrets/…`)',
          line: 5,
          col: 27,
          endLine: 5,
          endCol: 43,
        },
        { messageId: 'literal', line: 6, col: 20, endLine: 6, endCol: 26 },
      ],
    },
    {
      name: 'map form, and a literal default',
      files: {
        '.env.sample': 'X=1\n',
        'compose.yml':
          'services:\n  db:\n    image: mariadb:11.4\n    environment:\n      MYSQL_ROOT_PASSWORD: example\n      SECRET_KEY: ${SECRET_KEY:-changeme}\n',
      },
      errors: [
        { messageId: 'literal', line: 5, col: 28, endLine: 5, endCol: 35 },
        { messageId: 'defaultValue', line: 6, col: 19, endLine: 6, endCol: 42 },
      ],
    },
  ],
});

const traefikApp = (ports: string, image = 'example/app:1.0.0') =>
  `services:\n  app:\n    image: ${image}\n    ports:\n${ports}    deploy:\n      labels:\n        - "traefik.enable=true"\n        - "traefik.http.services.\${STACK_NAME}.loadbalancer.server.port=5017"\n`;

testRule(publishedPortBehindTraefik, {
  valid: [
    { name: 'loopback only, with docker compose', composeFile: true, files: { 'compose.yml': traefikApp('      - "127.0.0.1:5017:5017"\n') } },
    { name: 'another port (SSH) next to the web port', files: { 'compose.yml': traefikApp('      - "2222:22"\n') } },
    { name: 'Traefik itself publishes 443', files: { 'compose.yml': traefikApp('      - "443:5017"\n', 'traefik:v3.1.2') } },
    { name: 'no traefik labels', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    ports: ["5017:5017"]\n' } },
  ],
  invalid: [
    {
      name: 'the web port on every interface, short and long syntax',
      files: { 'compose.yml': traefikApp('      - 5017:5017\n      - target: 5017\n        published: 8080\n') },
      errors: [
        {
          messageId: 'bypass',
          message: 'service "app" is behind Traefik but also publishes its web port 5017 on every interface, bypassing Traefik',
          line: 5,
          col: 9,
          endLine: 5,
          endCol: 18,
        },
        { messageId: 'bypass', line: 7, col: 20, endLine: 7, endCol: 24 },
      ],
    },
    {
      name: 'on a swarm, loopback is ignored: the port is public',
      settings: { swarm: true },
      files: { 'compose.yml': traefikApp('      - "127.0.0.1:5017:5017"\n') },
      errors: [{ messageId: 'bypass', line: 5, col: 9, endLine: 5, endCol: 30 }],
    },
  ],
});
