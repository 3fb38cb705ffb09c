import { testRule } from '@galley/linter/testing';
import interpolatedType from './interpolated-type.js';
import invalidDuration from './invalid-duration.js';
import invalidPort from './invalid-port.js';
import invalidSize from './invalid-size.js';

const hc = (lines: string) => `services:\n  app:\n    image: x:1\n    healthcheck:\n${lines}`;

testRule(invalidDuration, {
  valid: [
    {
      name: 'every form Go accepts',
      files: {
        'compose.yml':
          hc('      interval: 30s\n      timeout: 1m30s\n      start_period: 1.5h\n      start_interval: 500ms\n') +
          '    stop_grace_period: 0\n    deploy:\n      update_config:\n        delay: 10s\n        monitor: 2m\n      restart_policy:\n        delay: 5s\n        window: 120s\n',
      },
    },
    { name: 'from a variable set in .env.sample', files: { '.env.sample': 'HC=15s\n', 'compose.yml': hc('      interval: ${HC}\n') } },
    { name: 'from a default', files: { '.env.sample': 'X=1\n', 'compose.yml': hc('      interval: ${HC:-15s}\n') } },
    { name: 'unset variable in a lone compose file: unknown', composeFile: true, files: { 'compose.yml': hc('      interval: ${HC}\n') } },
    { name: 'healthcheck is a scalar', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    healthcheck: yes\n' } },
  ],
  invalid: [
    {
      name: "a space, days, a bare number from a variable (a literal number is the schema rule's)",
      files: { '.env.sample': 'HC=10\n', 'compose.yml': hc('      interval: 10\n      timeout: 10 s\n      start_period: 1d\n      start_interval: ${HC}\n') },
      errors: [
        { message: 'healthcheck.timeout of service "app" is "10 s", which is no duration: durations have no spaces', line: 6, col: 16, endLine: 6, endCol: 20 },
        {
          message: 'healthcheck.start_period of service "app" is "1d", which is no duration: Docker durations have no days; use hours (`24h`)',
          line: 7,
          col: 21,
          endLine: 7,
          endCol: 23,
        },
        {
          message: 'healthcheck.start_interval of service "app" is "10", which is no duration: a number without a unit is no duration (from "${HC}")',
          line: 8,
          col: 23,
          endLine: 8,
          endCol: 28,
        },
      ],
    },
    {
      name: 'a variable left unset in a recipe, through an anchor',
      files: {
        '.env.sample': 'DOMAIN=x.example.com\n',
        'compose.yml': 'x-deploy: &d\n  stop_grace_period: ${GRACE}\nservices:\n  app:\n    <<: *d\n    image: x:1\n  db:\n    <<: *d\n    image: y:1\n',
      },
      errors: [
        {
          messageId: 'invalid',
          message: 'stop_grace_period of service "app" is "", which is no duration: it is empty (${GRACE} is not set)',
          line: 2,
          col: 22,
          endLine: 2,
          endCol: 30,
        },
      ],
    },
    {
      name: 'a variable with a wrong value, in an overlay',
      files: {
        '.env.sample': 'DELAY=5 seconds\n',
        'compose.yml': 'services:\n  app:\n    image: x:1\n',
        'compose.x.yml': 'services:\n  app:\n    deploy:\n      restart_policy:\n        delay: "${DELAY}"\n',
      },
      errors: [
        {
          message: 'deploy.restart_policy.delay of service "app" is "5 seconds", which is no duration: durations have no spaces (from "${DELAY}")',
          file: 'compose.x.yml',
          line: 5,
          col: 16,
          endLine: 5,
          endCol: 26,
        },
      ],
    },
  ],
});

testRule(invalidPort, {
  valid: [
    {
      name: 'short and long forms',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    ports:\n      - 80\n      - "8080:80"\n      - "127.0.0.1:5432:5432"\n      - "127.0.0.1::5432"\n      - "8000-8010:8000-8010"\n      - "9000-9005:80"\n      - "[::1]:53:53/udp"\n      - target: 80\n        published: "8081"\n        protocol: tcp\n        mode: host\n      - target: 443\n        published: 4430-4431\n',
      },
    },
    {
      name: 'a port variable with a default',
      files: { '.env.sample': 'X=1\n', 'compose.yml': 'services:\n  app:\n    image: x:1\n    ports: ["${PORT:-8080}:80"]\n' },
    },
    {
      name: 'an unset variable in a lone compose file',
      composeFile: true,
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    ports: ["${PORT}:80"]\n' },
    },
  ],
  invalid: [
    {
      name: 'out of range, range sizes, protocol',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n    ports:\n      - "70000:80"\n      - "8000-8002:80-81"\n      - "53:53/icmp"\n      - 0\n',
      },
      errors: [
        {
          messageId: 'invalid',
          message: 'port mapping "70000:80" of service "app" is invalid: published port 70000 is out of range (1–65535)',
          line: 5,
          col: 9,
          endLine: 5,
          endCol: 19,
        },
        {
          message: 'port mapping "8000-8002:80-81" of service "app" is invalid: published range 8000-8002 and container range 80-81 differ in size',
          line: 6,
          col: 9,
          endLine: 6,
          endCol: 26,
        },
        {
          message: 'port mapping "53:53/icmp" of service "app" is invalid: protocol "icmp" is none of tcp, udp, sctp',
          line: 7,
          col: 9,
          endLine: 7,
          endCol: 21,
        },
        { message: 'port mapping "0" of service "app" is invalid: 0 is not a port (1–65535)', line: 8, col: 9, endLine: 8, endCol: 10 },
      ],
    },
    {
      name: '${PORT}:80 with PORT not set in a recipe',
      files: { '.env.sample': 'DOMAIN=x.example.com\n', 'compose.yml': 'services:\n  app:\n    image: x:1\n    ports:\n      - "${PORT}:80"\n' },
      errors: [
        {
          message: 'port mapping ":80" of service "app" is invalid: the published port before ":" is empty (${PORT} is not set)',
          line: 5,
          col: 9,
          endLine: 5,
          endCol: 21,
        },
      ],
    },
    {
      name: 'long syntax: published from a variable, host_ip, mode',
      files: {
        '.env.sample': 'PUB=eighty\n',
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    ports:\n      - target: 80\n        published: ${PUB}\n        host_ip: localhost\n        mode: global\n',
      },
      errors: [
        {
          messageId: 'invalidField',
          message:
            'ports published "eighty" of service "app" is invalid: published port "eighty" is not a port number or a range like 8000-8010 (from "${PUB}")',
          line: 6,
          col: 20,
          endLine: 6,
          endCol: 26,
        },
        { message: 'ports host_ip "localhost" of service "app" is invalid: it is not an IP address', line: 7, col: 18, endLine: 7, endCol: 27 },
        { message: 'ports mode "global" of service "app" is invalid: it is neither "host" nor "ingress"', line: 8, col: 15, endLine: 8, endCol: 21 },
      ],
    },
  ],
});

testRule(invalidSize, {
  valid: [
    {
      name: 'sizes with and without units',
      files: {
        'compose.yml':
          'services:\n  db:\n    image: x:1\n    shm_size: 256m\n    memswap_limit: -1\n    deploy:\n      resources:\n        limits:\n          memory: 1.5G\n        reservations:\n          memory: 1073741824\n    volumes:\n      - type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 100mb\n',
      },
    },
    {
      name: 'from a variable',
      files: {
        '.env.sample': 'DB_MEMORY_LIMIT=1024m\n',
        'compose.yml': 'services:\n  db:\n    image: x:1\n    deploy:\n      resources:\n        limits:\n          memory: ${DB_MEMORY_LIMIT}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a unit Docker does not know',
      files: { 'compose.yml': 'services:\n  db:\n    image: x:1\n    deploy:\n      resources:\n        limits:\n          memory: 1 gig\n' },
      errors: [
        {
          messageId: 'invalid',
          message: 'deploy.resources.limits.memory of service "db" is "1 gig", which is no size: only one space may separate the number and the unit',
          line: 7,
          col: 19,
          endLine: 7,
          endCol: 24,
        },
      ],
    },
    {
      name: 'a number from .env.sample without its unit is fine, an empty one is not',
      files: { '.env.sample': 'SHM=\n', 'compose.yml': 'services:\n  db:\n    image: x:1\n    shm_size: ${SHM}\n' },
      errors: [{ message: 'shm_size of service "db" is "", which is no size: it is empty (${SHM} is empty)', line: 4, col: 15, endLine: 4, endCol: 21 }],
    },
  ],
});

testRule(interpolatedType, {
  valid: [
    { name: "literal values are the schema rule's", files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      replicas: two\n' } },
    {
      name: 'a variable with a number',
      files: {
        '.env.sample': 'REPLICAS=2\nRO=yes\n',
        'compose.yml': 'services:\n  app:\n    image: x:1\n    read_only: ${RO}\n    deploy:\n      replicas: ${REPLICAS}\n',
      },
    },
    {
      name: 'an unset variable with a default',
      files: { '.env.sample': 'X=1\n', 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      replicas: ${REPLICAS:-1}\n' },
    },
    {
      name: 'unknown in a lone compose file',
      composeFile: true,
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      replicas: ${REPLICAS}\n' },
    },
  ],
  invalid: [
    {
      name: 'replicas: two from .env.sample',
      files: { '.env.sample': 'REPLICAS=two\n', 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      replicas: ${REPLICAS}\n' },
      errors: [
        {
          messageId: 'mistyped',
          message: 'deploy.replicas of service "app" must be a whole number, but ${REPLICAS} makes it "two"',
          line: 5,
          col: 17,
          endLine: 5,
          endCol: 28,
        },
      ],
    },
    {
      name: 'unset variable in a recipe, a boolean and a secret mode',
      files: {
        '.env.sample': 'MODE=0400\n',
        'compose.yml': 'services:\n  app:\n    image: x:1\n    read_only: ${READ_ONLY}\n    secrets:\n      - source: s\n        mode: "${MODE}x"\n',
      },
      errors: [
        {
          messageId: 'empty',
          message: 'read_only of service "app" must be true or false, but ${READ_ONLY} leaves it empty',
          line: 4,
          col: 16,
          endLine: 4,
          endCol: 28,
        },
        {
          messageId: 'mistyped',
          message: 'secrets[0].mode of service "app" must be a whole number, but ${MODE} makes it "0400x"',
          line: 7,
          col: 15,
          endLine: 7,
          endCol: 25,
        },
      ],
    },
  ],
});
