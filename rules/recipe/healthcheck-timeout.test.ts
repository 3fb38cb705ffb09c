import { testRule } from '@galley/linter/testing';
import rule from './healthcheck-timeout.js';

const compose = (startPeriod: string, label = '        - "coop-cloud.${STACK_NAME}.timeout=${TIMEOUT:-300}"\n') =>
  `services:\n  app:\n    image: x:1\n    healthcheck:\n      test: ["CMD", "true"]\n      start_period: ${startPeriod}\n    deploy:\n      labels:\n${label}`;

testRule(rule, {
  valid: [
    { name: 'within the timeout', files: { 'compose.yml': compose('4m59s') } },
    { name: 'equal to it', files: { 'compose.yml': compose('5m') } },
    { name: 'no timeout label', files: { 'compose.yml': compose('1h', '        - "traefik.enable=true"\n') } },
    { name: 'timeout raised in .env.sample', files: { '.env.sample': 'TIMEOUT=900\n', 'compose.yml': compose('10m') } },
  ],
  invalid: [
    {
      name: 'start period of the app beyond the default timeout',
      files: { 'compose.yml': compose('10m') },
      errors: [
        {
          messageId: 'exceeds',
          message: 'start_period 10m of service "app" is longer than the 300s abra waits for the deploy (the timeout label of app)',
          line: 6,
          col: 21,
          endLine: 6,
          endCol: 24,
        },
      ],
    },
    {
      name: 'another service, map labels, timeout from .env.sample',
      files: {
        '.env.sample': 'TIMEOUT=120\n',
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    deploy:\n      labels:\n        coop-cloud.${STACK_NAME}.timeout: ${TIMEOUT}\n  db:\n    image: y:1\n    healthcheck:\n      start_period: 2m30s\n',
      },
      errors: [
        {
          message: 'start_period 2m30s of service "db" is longer than the 120s abra waits for the deploy (the timeout label of app)',
          line: 10,
          col: 21,
          endLine: 10,
          endCol: 26,
        },
      ],
    },
  ],
});
