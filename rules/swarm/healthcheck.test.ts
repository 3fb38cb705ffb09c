import { testRule } from '@galley/linter/testing';
import rule from './healthcheck.js';
import resourceLimits from './resource-limits.js';

const hc = '    healthcheck:\n      test: ["CMD", "true"]\n';

testRule(rule, {
  valid: [
    {
      name: 'every service has one',
      files: { 'compose.yml': `services:\n  app:\n    image: x:1\n${hc}  db:\n    image: y:1\n    healthcheck:\n      test: pg_isready\n` },
    },
    { name: 'explicitly disabled', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    healthcheck:\n      disable: true\n' } },
    { name: 'added by an overlay', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n', 'compose.hc.yml': `services:\n  app:\n${hc}` } },
    { name: 'a lone override file', composeFile: true, files: { 'docker-compose.override.yml': 'services:\n  web:\n    ports: ["80:80"]\n' } },
    {
      name: 'through an anchor',
      files: { 'compose.yml': `x-hc: &hc\n  healthcheck:\n    test: ["CMD", "true"]\nservices:\n  app:\n    <<: *hc\n    image: x:1\n` },
    },
  ],
  invalid: [
    {
      name: 'a service without, defined in the base and extended by an overlay',
      files: {
        'compose.yml': `services:\n  app:\n    image: x:1\n${hc}  worker:\n    image: x:1\n`,
        'compose.extra.yml': 'services:\n  worker:\n    environment: [A=1]\n',
      },
      errors: [
        {
          messageId: 'missing',
          message: 'service "worker" has no healthcheck, so swarm cannot tell when it is ready or broken',
          file: 'compose.yml',
          line: 6,
          col: 3,
          endLine: 6,
          endCol: 9,
        },
      ],
    },
    {
      name: 'an empty test and a null healthcheck',
      files: { 'compose.yml': 'services:\n  a:\n    image: x:1\n    healthcheck:\n      test: []\n  b:\n    image: x:1\n    healthcheck:\n' },
      errors: [
        { messageId: 'missing', line: 2, col: 3, endLine: 2, endCol: 4 },
        { messageId: 'missing', line: 6, col: 3, endLine: 6, endCol: 4 },
      ],
    },
    {
      name: 'lone compose file',
      composeFile: true,
      files: { 'docker-compose.yml': 'services:\n  web:\n    image: x:1\n' },
      errors: [{ messageId: 'missing', line: 2, col: 3, endLine: 2, endCol: 6 }],
    },
  ],
});

testRule(resourceLimits, {
  valid: [
    {
      name: 'memory limit from a variable',
      files: {
        '.env.sample': 'M=1G\n',
        'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      resources:\n        limits:\n          memory: ${M}\n',
      },
    },
  ],
  invalid: [
    {
      name: 'cpus only',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      resources:\n        limits:\n          cpus: "0.5"\n' },
      errors: [
        {
          messageId: 'missing',
          message: 'service "app" has no memory limit (deploy.resources.limits.memory)',
          line: 2,
          col: 3,
          endLine: 2,
          endCol: 6,
          severity: 'info',
        },
      ],
    },
  ],
});
