import { testRule } from '@galley/linter/testing';
import { describe, expect, it } from '@jest/globals';
import { serviceKeysFor } from './_data/service-keys.js';
import deprecatedKey from './deprecated-key.js';
import forbiddenKey from './forbidden-key.js';
import ignoredKey from './ignored-key.js';

describe('service key table', () => {
  it('applies entries by Docker version', () => {
    expect(serviceKeysFor('ignored', '19.03').has('cap_add')).toBe(true);
    expect(serviceKeysFor('ignored', '20.10').has('cap_add')).toBe(false);
    // docker/cli converts ulimits since 20.10 (the swarm differential suite asks the 20.10 client too)
    expect(serviceKeysFor('ignored', '19.03').has('ulimits')).toBe(true);
    expect(serviceKeysFor('ignored', '20.10').has('ulimits')).toBe(false);
    expect(serviceKeysFor('ignored', '24.0').has('privileged')).toBe(true);
    expect(serviceKeysFor('forbidden', '24.0').has('mem_limit')).toBe(true);
  });
});

testRule(ignoredKey, {
  valid: [
    { name: 'swarm keys only', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    cap_add: [NET_ADMIN]\n    deploy:\n      replicas: 1\n' } },
    { name: "restart is swarm/restart-policy's", files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    restart: always\n' } },
    { name: 'ulimits on a current Docker', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    ulimits:\n      nofile: 65535\n' } },
  ],
  invalid: [
    {
      name: 'removes ignored keys and keeps comments',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    # needs the GPU\n    devices:\n      - /dev/dri:/dev/dri\n    privileged: true # for the GPU\n    # the port\n    ports:\n      - "80:80"\n',
      },
      errors: [
        {
          messageId: 'ignored',
          message:
            '`devices` of service "app" is ignored by docker stack deploy (Docker 24.0): swarm services cannot map devices; bind-mount the device node if the app allows it',
          line: 5,
          col: 5,
          endLine: 5,
          endCol: 12,
        },
        { messageId: 'ignored', line: 7, col: 5, endLine: 7, endCol: 15 },
      ],
      output: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    # needs the GPU\n    # the port\n    ports:\n      - "80:80"\n' },
    },
    {
      name: 'an older Docker ignores cap_add (not removable)',
      options: { dockerVersion: '19.03' },
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    cap_add:\n      - NET_ADMIN\n' },
      errors: [
        {
          message: '`cap_add` of service "app" is ignored by docker stack deploy (Docker 19.03): swarm supports capabilities from Docker 20.10',
          line: 4,
          col: 5,
          endLine: 4,
          endCol: 12,
        },
      ],
    },
    {
      name: 'a key in an anchor is reported once and not removed',
      files: { 'compose.yml': 'x-base: &base\n  network_mode: host\n  image: x:1\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n' },
      errors: [{ messageId: 'ignored', line: 2, col: 3, endLine: 2, endCol: 15 }],
    },
    {
      name: 'the only key of a service is not removed; flow maps are not touched',
      files: { 'compose.yml': 'services:\n  a:\n    build: .\n  b: {image: x:1, build: .}\n' },
      errors: [
        { messageId: 'ignored', line: 3, col: 5, endLine: 3, endCol: 10 },
        { messageId: 'ignored', line: 4, col: 19, endLine: 4, endCol: 24 },
      ],
    },
    {
      name: 'a lone compose file gets a suggestion, not a fix',
      composeFile: true,
      files: { 'docker-compose.yml': 'services:\n  web:\n    image: x:1\n    build: .\n' },
      errors: [
        {
          messageId: 'ignored',
          line: 4,
          col: 5,
          endLine: 4,
          endCol: 10,
          suggestions: [{ desc: 'remove `build` from service "web"', output: { 'docker-compose.yml': 'services:\n  web:\n    image: x:1\n' } }],
        },
      ],
      output: null,
    },
    {
      name: 'an overlay that is off by default',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n',
        'compose.gpu.yml': 'services:\n  app:\n    image: x:1\n    devices:\n      - /dev/dri\n',
      },
      errors: [{ messageId: 'ignored', file: 'compose.gpu.yml', line: 4, col: 5, endLine: 4, endCol: 12 }],
      output: { 'compose.gpu.yml': 'services:\n  app:\n    image: x:1\n' },
    },
  ],
});

testRule(deprecatedKey, {
  valid: [{ name: 'no deprecated keys', files: { 'compose.yml': 'services:\n  db:\n    image: postgres:16.4\n' } }],
  invalid: [
    {
      name: 'container_name and expose',
      files: {
        'compose.yml': 'services:\n  db:\n    image: postgres:16.4\n    container_name: postgres\n    expose:\n      - "5432"\n    environment:\n      - A=1\n',
      },
      errors: [
        { messageId: 'deprecated', line: 4, col: 5, endLine: 4, endCol: 19 },
        {
          messageId: 'deprecated',
          message: '`expose` of service "db" is deprecated and ignored by docker stack deploy: services on the same network reach each other on any port',
          line: 5,
          col: 5,
          endLine: 5,
          endCol: 11,
        },
      ],
      output: { 'compose.yml': 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      - A=1\n' },
    },
  ],
});

testRule(forbiddenKey, {
  valid: [
    {
      name: 'resources under deploy',
      files: { 'compose.yml': 'services:\n  db:\n    image: x:1\n    deploy:\n      resources:\n        limits:\n          memory: 1g\n' },
    },
  ],
  invalid: [
    {
      name: 'mem_limit and volumes_from',
      files: { 'compose.yml': 'services:\n  db:\n    image: x:1\n    mem_limit: 1g\n  backup:\n    image: y:1\n    volumes_from:\n      - db\n' },
      errors: [
        {
          messageId: 'forbidden',
          message: '`mem_limit` of service "db" makes docker stack deploy refuse the stack: set `deploy.resources.limits.memory`',
          line: 4,
          col: 5,
          endLine: 4,
          endCol: 14,
        },
        { messageId: 'forbidden', line: 7, col: 5, endLine: 7, endCol: 17 },
      ],
    },
    {
      name: 'lone compose file',
      composeFile: true,
      files: { 'docker-compose.yml': 'services:\n  app:\n    image: x:1\n    extends:\n      service: base\n' },
      errors: [{ messageId: 'forbidden', line: 4, col: 5, endLine: 4, endCol: 12 }],
    },
  ],
});
