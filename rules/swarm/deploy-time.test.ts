import { testRule } from '@galley/linter/testing';
import conflictingKeys from './conflicting-keys.js';
import droppedKey from './dropped-key.js';
import interpolation from './interpolation.js';

const app = (lines: string, top = '') => `version: "3.8"\nservices:\n  app:\n    image: x:1\n${lines}${top}`;

testRule(conflictingKeys, {
  valid: [
    {
      name: 'external objects with a name, mounts with their own options',
      files: {
        'compose.yml': app(
          '    volumes:\n      - type: bind\n        source: ./d\n        target: /d\n        bind:\n          propagation: rprivate\n      - type: tmpfs\n        target: /cache\n        tmpfs:\n          size: 1000\n',
          'volumes:\n  data:\n    external: true\n    name: shared\nsecrets:\n  s:\n    driver: vault\n',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'an external volume with a driver and labels',
      files: { 'compose.yml': app('', 'volumes:\n  data:\n    external: true\n    driver: local\n    labels:\n      a: b\n') },
      errors: [
        {
          messageId: 'externalWith',
          message: 'volume "data" is external, and docker stack deploy refuses its `driver` (conflicting parameters): an external volume is created elsewhere',
          line: 8,
          col: 5,
          endLine: 8,
          endCol: 11,
        },
        { messageId: 'externalWith', line: 9, col: 5, endLine: 9, endCol: 11 },
      ],
    },
    {
      name: 'external.name: deprecated alone, refused beside name',
      files: { 'compose.yml': app('', 'networks:\n  proxy:\n    external:\n      name: proxy\nsecrets:\n  s:\n    name: a\n    external:\n      name: b\n') },
      errors: [
        { messageId: 'externalName', severity: 'warning', line: 8, col: 7, endLine: 8, endCol: 11 },
        {
          messageId: 'nameConflict',
          message: 'secret "s" sets both `name` and `external.name`, which docker stack deploy refuses: keep `name`',
          line: 13,
          col: 7,
          endLine: 13,
          endCol: 11,
        },
      ],
    },
    {
      name: 'a secret with a driver and a file',
      files: { 'compose.yml': app('', 'secrets:\n  s:\n    driver: vault\n    file: ./s.txt\n') },
      errors: [{ messageId: 'driverAndFile', line: 8, col: 5, endLine: 8, endCol: 9 }],
    },
    {
      name: 'a bind without source, options of another type, an unknown type',
      files: {
        'compose.yml': app(
          '    volumes:\n      - type: bind\n        target: /d\n      - type: volume\n        source: data\n        target: /data\n        tmpfs:\n          size: 1000\n      - type: sideways\n        target: /x\n',
          'volumes:\n  data: {}\n',
        ),
      },
      errors: [
        {
          messageId: 'mountSource',
          message: 'a mount of type bind of service "app" has no `source`, which docker stack deploy refuses',
          line: 6,
          col: 15,
          endLine: 6,
          endCol: 19,
        },
        { messageId: 'mountOptions', line: 11, col: 9, endLine: 11, endCol: 14 },
        { messageId: 'mountType', line: 13, col: 15, endLine: 13, endCol: 23 },
      ],
    },
  ],
});

testRule(droppedKey, {
  valid: [
    {
      name: 'a tmpfs mount, ports on every address, aliases',
      files: {
        'compose.yml': app(
          '    volumes:\n      - type: tmpfs\n        target: /tmp\n    ports:\n      - "8080:80"\n      - "0.0.0.0:8443:443"\n    networks:\n      backend:\n        aliases: [web]\n',
          'networks:\n  backend: {}\n',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'tmpfs, a loopback port, a fixed address',
      files: {
        'compose.yml': app(
          '    read_only: true\n    tmpfs: /tmp\n    ports:\n      - "127.0.0.1:8080:80"\n    networks:\n      backend:\n        ipv4_address: 10.0.9.5\n',
          'networks:\n  backend: {}\n',
        ),
      },
      errors: [
        {
          messageId: 'tmpfs',
          message: '`tmpfs` of service "app" is dropped by docker stack deploy: mount a volume of type tmpfs instead',
          line: 6,
          col: 5,
          endLine: 6,
          endCol: 10,
        },
        {
          messageId: 'hostIp',
          message:
            'docker stack deploy ignores the host address 127.0.0.1 of port mapping "127.0.0.1:8080:80" of service "app" and publishes the port on every interface',
          line: 8,
          col: 9,
          endLine: 8,
          endCol: 28,
        },
        { messageId: 'fixedAddress', line: 11, col: 9, endLine: 11, endCol: 21 },
      ],
    },
  ],
});

testRule(interpolation, {
  valid: [
    {
      name: 'forms both read alike',
      files: { 'compose.yml': app('    environment:\n      - A=${A:-x}\n      - B=${B}-suffix\n      - C=$$D\n'), '.env.sample': 'A=1\nB=2\n' },
    },
  ],
  invalid: [
    {
      name: 'an alternative, a nested default, an unbraced name before -',
      files: { 'compose.yml': app('    environment:\n      - A=${A:+on}\n      - B=${B:-${A}}\n      - C=$A-x\n'), '.env.sample': 'A=1\nB=\n' },
      errors: [
        {
          messageId: 'refused',
          message: 'docker stack deploy refuses "A=${A:+on}" (docker/cli has no ${VAR:+alt} or ${VAR+alt}), which docker compose accepts',
          line: 6,
          col: 9,
          endLine: 6,
          endCol: 19,
        },
        {
          messageId: 'differs',
          message: 'docker stack deploy reads "B=${B:-${A}}" as "B=${A}", docker compose as "B=1"',
          severity: 'warning',
          line: 7,
          col: 9,
          endLine: 7,
          endCol: 21,
        },
        { messageId: 'differs', message: 'docker stack deploy reads "C=$A-x" as "C=1", docker compose as "C=1-x"', line: 8, col: 9, endLine: 8, endCol: 15 },
      ],
    },
  ],
});
