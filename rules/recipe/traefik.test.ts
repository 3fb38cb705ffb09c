import { testRule } from '@galley/linter/testing';
import traefikEnable from './traefik-enable.js';
import traefikLabels from './traefik-labels.js';

const env = 'TYPE=x\nDOMAIN=x.example.com\nLETS_ENCRYPT_ENV=production\n#EXTRA_DOMAINS=\n';
const complete = [
  '        - "traefik.enable=true"',
  '        - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=80"',
  '        - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`${EXTRA_DOMAINS})"',
  '        - "traefik.http.routers.${STACK_NAME}.entrypoints=web-secure"',
  '        - "traefik.http.routers.${STACK_NAME}.tls.certresolver=${LETS_ENCRYPT_ENV}"',
].join('\n');
const app = (labels: string, networks = '    networks: [proxy]\n') =>
  `services:\n  app:\n    image: x:1\n${networks}    deploy:\n      labels:\n${labels}\nnetworks:\n  proxy:\n    external: true\n`;

testRule(traefikEnable, {
  valid: [
    { name: 'list labels', files: { '.env.sample': env, 'compose.yml': app(complete) } },
    {
      name: 'map labels on another service, quoted true',
      files: {
        '.env.sample': env,
        'compose.yml': 'services:\n  app:\n    image: x:1\n  web:\n    image: nginx:1.27.3\n    deploy:\n      labels:\n        traefik.enable: "true"\n',
      },
    },
    { name: 'no DOMAIN: skipped', files: { '.env.sample': 'TYPE=backup\n#DOMAIN=x\n', 'compose.yml': 'services:\n  app:\n    image: x:1\n' } },
  ],
  invalid: [
    {
      name: 'no label',
      files: { '.env.sample': env, 'compose.yml': 'services:\n  db:\n    image: y:1\n  app:\n    image: x:1\n' },
      errors: [
        {
          messageId: 'missing',
          message: 'no service sets traefik.enable=true in deploy.labels, so Traefik does not route x.example.com to the app',
          line: 4,
          col: 3,
          endLine: 4,
          endCol: 6,
        },
      ],
    },
    {
      name: 'container labels instead of deploy labels',
      files: { '.env.sample': env, 'compose.yml': 'services:\n  app:\n    image: x:1\n    labels:\n      - traefik.enable=true\n' },
      errors: [{ messageId: 'containerLabel', line: 5, col: 9, endLine: 5, endCol: 28 }],
    },
    {
      name: 'set to false',
      files: { '.env.sample': env, 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      labels: ["traefik.enable=false"]\n' },
      errors: [{ messageId: 'missing', line: 2, col: 3, endLine: 2, endCol: 6 }],
    },
  ],
});

testRule(traefikLabels, {
  valid: [
    { name: 'complete', files: { '.env.sample': env, 'compose.yml': app(complete) } },
    { name: 'traefik not enabled', files: { '.env.sample': env, 'compose.yml': 'services:\n  app:\n    image: x:1\n' } },
    {
      name: 'a plain-http redirect router needs no certificate; custom network',
      files: {
        '.env.sample': env,
        'compose.yml': app(
          `${complete}\n        - "traefik.http.routers.redirect.rule=Host(\`old.example.com\`)"\n        - "traefik.http.routers.redirect.entrypoints=web"\n        - "traefik.docker.network=edge"`,
          '    networks: [edge]\n',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'only enable: no rule, no port, not on proxy',
      files: { '.env.sample': env, 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      labels:\n        - "traefik.enable=true"\n' },
      errors: [
        {
          messageId: 'notOnNetwork',
          message: 'service "app" enables Traefik but does not join the "proxy" network Traefik is on',
          line: 5,
          col: 7,
          endLine: 5,
          endCol: 13,
        },
        {
          messageId: 'noRule',
          message: 'service "app" enables Traefik but no router has a `rule` label, so no request reaches it',
          line: 5,
          col: 7,
          endLine: 5,
          endCol: 13,
        },
        { messageId: 'noPort', line: 5, col: 7, endLine: 5, endCol: 13 },
      ],
    },
    {
      name: 'map form: router without entrypoints and certresolver',
      files: {
        '.env.sample': env,
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    networks: [proxy]\n    deploy:\n      labels:\n        traefik.enable: "true"\n        traefik.http.services.${STACK_NAME}.loadbalancer.server.port: "80"\n        traefik.http.routers.${STACK_NAME}.rule: Host(`${DOMAIN}`)\n',
      },
      errors: [
        {
          messageId: 'noEntrypoints',
          // a map key is not interpolated: the router really is named ${STACK_NAME} (compose/variable-in-key says so)
          message: 'router "${STACK_NAME}" of service "app" has no `entrypoints` label; Co-op Cloud routers use web-secure',
          line: 9,
          col: 50,
          endLine: 9,
          endCol: 67,
        },
        { messageId: 'noCertresolver', line: 9, col: 50, endLine: 9, endCol: 67 },
      ],
    },
  ],
});
