import { testRule } from '@galley/linter/testing';
import rule from './undefined-service.js';

testRule(rule, {
  valid: [
    { name: 'list form', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    depends_on:\n      - db\n  db:\n    image: postgres:16.4\n' } },
    {
      name: 'long form',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16.4\n',
      },
    },
    {
      name: 'the dependency lives in an overlay the default deploy enables',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n    depends_on: [db]\n',
        'compose.postgres.yml': 'services:\n  db:\n    image: postgres:16.4\n',
        '.env.sample': 'COMPOSE_FILE="compose.yml"\nCOMPOSE_FILE="$COMPOSE_FILE:compose.postgres.yml"\n',
      },
    },
  ],
  invalid: [
    {
      name: 'renamed service',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    depends_on:\n      - database\n  db:\n    image: postgres:16.4\n' },
      errors: [
        {
          messageId: 'undefined',
          message: 'service "app" depends on "database", which is no service of any compose file',
          line: 5,
          col: 9,
          endLine: 5,
          endCol: 17,
        },
      ],
    },
    {
      name: 'long form key',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    depends_on:\n      redis:\n        condition: service_started\n' },
      errors: [{ messageId: 'undefined', line: 5, col: 7, endLine: 5, endCol: 12 }],
    },
  ],
});
