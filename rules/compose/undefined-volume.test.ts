import { testRule } from '@galley/linter/testing';
import rule from './undefined-volume.js';

testRule(rule, {
  valid: [
    {
      name: 'declared named volume, bind mounts and an anonymous volume',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: postgres:16.4\n    volumes:\n      - data:/var/lib/postgresql/data\n      - ./conf:/etc/conf:ro\n      - /srv/x:/x\n      - ~/y:/y\n      - /tmp\nvolumes:\n  data:\n',
      },
    },
    {
      name: 'long syntax: volume, bind and tmpfs',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: postgres:16.4\n    volumes:\n      - type: volume\n        source: data\n        target: /data\n      - type: bind\n        source: ./x\n        target: /x\n      - type: tmpfs\n        target: /run\nvolumes:\n  data:\n',
      },
    },
    {
      name: 'source from a variable that resolves to a declared volume',
      files: {
        'compose.yml': 'services:\n  app:\n    image: postgres:16.4\n    volumes:\n      - ${VOL:-data}:/data\nvolumes:\n  data:\n',
      },
    },
    { name: 'volumes is a scalar', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    volumes: data\n' } },
  ],
  invalid: [
    {
      name: 'undeclared named volume (short syntax)',
      files: { 'compose.yml': 'services:\n  app:\n    image: postgres:16.4\n    volumes:\n      - "pgdata:/var/lib/postgresql/data"\n' },
      errors: [
        {
          messageId: 'undefined',
          message: 'service "app" mounts volume "pgdata", which no compose file declares under top-level `volumes`',
          line: 5,
          col: 9,
          endLine: 5,
          endCol: 42,
        },
      ],
    },
    {
      name: 'undeclared named volume (long syntax) points at source',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: postgres:16.4\n    volumes:\n      - type: volume\n        source: data\n        target: /data\nvolumes:\n  other:\n',
      },
      errors: [{ messageId: 'undefined', line: 6, col: 17, endLine: 6, endCol: 21 }],
    },
    {
      name: 'volume declared only in an overlay that is off by default',
      files: {
        'compose.yml': 'services:\n  app:\n    image: postgres:16.4\n    volumes:\n      - data:/data\n',
        'compose.extra.yml': 'volumes:\n  data:\n',
        '.env.sample': 'DOMAIN=x.example.com\n',
      },
      errors: [
        {
          messageId: 'notInDefault',
          message: 'service "app" mounts volume "data", which only compose.extra.yml declares, and COMPOSE_FILE in .env.sample leaves that file out',
          line: 5,
          col: 9,
          endLine: 5,
          endCol: 19,
        },
      ],
    },
  ],
});
