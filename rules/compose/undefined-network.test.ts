import { testRule } from '@galley/linter/testing';
import rule from './undefined-network.js';

const base =
  'services:\n  app:\n    image: nginx:1.27.3\n    networks:\n      - proxy\n      - internal\nnetworks:\n  proxy:\n    external: true\n  internal:\n';

testRule(rule, {
  valid: [
    { name: 'declared networks (list form)', files: { 'compose.yml': base } },
    {
      name: 'an overlay linted alone uses networks its base declares',
      composeFile: true,
      files: { 'compose.prod.yml': 'services:\n  app:\n    networks: [proxy]\n' },
    },
    { name: 'no networks: the implicit default', files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n' } },
    {
      name: 'the default network named explicitly',
      files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n    networks: [default]\n' },
    },
    {
      name: 'map form with aliases',
      files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n    networks:\n      backend:\n        aliases: [web]\nnetworks:\n  backend:\n' },
    },
    {
      name: 'declared in an overlay that the default deploy uses',
      files: {
        'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n',
        'compose.smtp.yml': 'services:\n  app:\n    networks: [mail]\nnetworks:\n  mail:\n    external: true\n',
        '.env.sample': 'COMPOSE_FILE="compose.yml:compose.smtp.yml"\n',
      },
    },
    {
      name: 'a network used and declared by an overlay that is off by default',
      files: {
        'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n',
        'compose.smtp.yml': 'services:\n  app:\n    networks: [mail]\nnetworks:\n  mail:\n',
        '.env.sample': '#COMPOSE_FILE="compose.yml:compose.smtp.yml"\n',
      },
    },
    {
      name: 'network name from a variable with a default',
      files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n    networks:\n      - ${NET:-proxy}\nnetworks:\n  proxy:\n' },
    },
    { name: 'a lone compose file', composeFile: true, files: { 'docker-compose.yml': base } },
    { name: 'services is not a map', files: { 'compose.yml': 'services: []\n' } },
  ],
  invalid: [
    {
      name: 'undeclared network in a list',
      files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n    networks:\n      - proxy\n' },
      errors: [
        {
          messageId: 'undefined',
          message: 'service "app" joins network "proxy", which no compose file declares under top-level `networks`',
          file: 'compose.yml',
          line: 5,
          col: 9,
          endLine: 5,
          endCol: 14,
        },
      ],
    },
    {
      name: 'undeclared network in the map form, in an overlay',
      files: {
        'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n',
        'compose.db.yml': 'services:\n  db:\n    image: postgres:16.4\n    networks:\n      backend:\n        aliases: [db]\n',
      },
      errors: [{ messageId: 'undefined', file: 'compose.db.yml', line: 5, col: 7, endLine: 5, endCol: 14 }],
    },
    {
      name: 'networks merged in through an anchor point at the anchor',
      files: {
        'compose.yml':
          'x-net: &net\n  networks:\n    - backend\nservices:\n  app:\n    <<: *net\n    image: nginx:1.27.3\n  worker:\n    <<: *net\n    image: nginx:1.27.3\n',
      },
      errors: [{ messageId: 'undefined', line: 3, col: 7, endLine: 3, endCol: 14 }],
    },
    {
      name: 'declared only in an overlay the default deploy leaves out',
      files: {
        'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n    networks: [mail]\n',
        'compose.smtp.yml': 'networks:\n  mail:\n    external: true\n',
        '.env.sample': 'COMPOSE_FILE=compose.yml\n',
      },
      errors: [
        {
          messageId: 'notInDefault',
          message: 'service "app" joins network "mail", which only compose.smtp.yml declares, and COMPOSE_FILE in .env.sample leaves that file out',
          line: 4,
          col: 16,
          endLine: 4,
          endCol: 20,
        },
      ],
    },
    {
      name: 'a lone compose file',
      composeFile: true,
      files: { 'docker-compose.yml': 'services:\n  web:\n    image: nginx:1.27.3\n    networks: [front]\n' },
      errors: [{ messageId: 'undefined', file: 'docker-compose.yml', line: 4, col: 16, endLine: 4, endCol: 21 }],
    },
  ],
});
