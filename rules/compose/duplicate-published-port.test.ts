import { testRule } from '@galley/linter/testing';
import rule from './duplicate-published-port.js';

testRule(rule, {
  valid: [
    {
      name: 'different ports, protocols and host addresses',
      files: {
        'compose.yml':
          'services:\n  a:\n    image: x:1\n    ports:\n      - "8080:80"\n      - "53:53/udp"\n      - "127.0.0.1:9000:9000"\n  b:\n    image: x:1\n    ports:\n      - "8081:80"\n      - "53:53/tcp"\n      - "10.0.0.2:9000:9000"\n      - 80\n',
      },
    },
    {
      name: 'two overlays publish the same port but are never deployed together',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n',
        'compose.a.yml': 'services:\n  a:\n    image: x:1\n    ports: ["2222:22"]\n',
        'compose.b.yml': 'services:\n  b:\n    image: x:1\n    ports: ["2222:22"]\n',
      },
    },
    {
      name: 'port from an unset variable is not compared',
      files: { 'compose.yml': 'services:\n  a:\n    image: x:1\n    ports: ["${P}:80", "${P}:81"]\n' },
    },
  ],
  invalid: [
    {
      name: 'on a swarm, host addresses do not tell ports apart (docker stack deploy ignores them)',
      settings: { swarm: true },
      files: {
        'compose.yml':
          'services:\n  a:\n    image: x:1\n    ports:\n      - "127.0.0.1:9000:9000"\n  b:\n    image: x:1\n    ports:\n      - "10.0.0.2:9000:9000"\n',
      },
      errors: [{ messageId: 'otherService', line: 9, col: 9, endLine: 9, endCol: 29 }],
    },
    {
      name: 'two services, short syntax',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n    ports:\n      - "8080:80"\n  admin:\n    image: y:1\n    ports:\n      - 8080:8080\n',
      },
      errors: [
        {
          messageId: 'otherService',
          message: 'host port 8080/tcp of service "admin" is already published by service "app" (compose.yml:5:9)',
          line: 9,
          col: 9,
          endLine: 9,
          endCol: 18,
        },
      ],
    },
    {
      name: 'long syntax against a range',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    ports:\n      - "8000-8010:8000-8010"\n  admin:\n    image: y:1\n    ports:\n      - target: 80\n        published: 8005\n',
      },
      errors: [{ messageId: 'otherService', line: 10, col: 20, endLine: 10, endCol: 24 }],
    },
    {
      name: 'same service twice within one file',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    ports:\n      - "443:443"\n      - "443:8443"\n' },
      errors: [
        {
          messageId: 'sameService',
          message: 'host port 443/tcp is published twice by service "app" (first at compose.yml:5:9)',
          line: 6,
          col: 9,
          endLine: 6,
          endCol: 19,
        },
      ],
    },
    {
      name: 'an overlay enabled by default clashes with the base',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n    ports: ["80:80"]\n',
        'compose.web.yml': 'services:\n  web:\n    image: y:1\n    ports: ["80:8080"]\n',
        '.env.sample': 'COMPOSE_FILE=compose.yml:compose.web.yml\n',
      },
      errors: [{ messageId: 'otherService', file: 'compose.web.yml', line: 4, col: 13, endLine: 4, endCol: 22 }],
    },
    {
      name: 'duplicate within an overlay that is off by default',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n',
        'compose.ssh.yml': 'services:\n  app:\n    ports:\n      - "2222:22"\n  git:\n    image: y:1\n    ports:\n      - "2222:2222"\n',
      },
      errors: [{ messageId: 'otherService', file: 'compose.ssh.yml', line: 8, col: 9, endLine: 8, endCol: 20 }],
    },
  ],
});
