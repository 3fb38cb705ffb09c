import { testRule } from '@galley/linter/testing';
import rule from './undefined-secret.js';

testRule(rule, {
  valid: [
    {
      name: 'short and long syntax, declared',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    secrets:\n      - db_password\n      - source: api_key\n        target: key\nsecrets:\n  db_password:\n    external: true\n  api_key:\n    file: ./key\n',
      },
    },
    {
      name: 'overlay adds the secret and declares it',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n',
        'compose.smtp.yml': 'services:\n  app:\n    secrets: [smtp_password]\nsecrets:\n  smtp_password:\n    external: true\n',
      },
    },
  ],
  invalid: [
    {
      name: 'an overlay uses a secret that nothing declares',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    external: true\n',
        'compose.smtp.yml': 'services:\n  app:\n    secrets:\n      - smtp_password\n',
      },
      errors: [
        {
          messageId: 'undefined',
          message: 'service "app" uses secret "smtp_password", which no compose file declares under top-level `secrets`',
          file: 'compose.smtp.yml',
          line: 4,
          col: 9,
          endLine: 4,
          endCol: 22,
        },
      ],
    },
    {
      name: 'long syntax source',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    secrets:\n      - source: token\n        target: /run/secrets/t\n' },
      errors: [{ messageId: 'undefined', line: 5, col: 17, endLine: 5, endCol: 22 }],
    },
  ],
});
