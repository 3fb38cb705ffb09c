import { testRule } from '@galley/linter/testing';
import rule from './duplicate-entry.js';

testRule(rule, {
  valid: [
    {
      name: 'distinct keys, map form',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    environment:\n      - A=1\n      - B=2\n    deploy:\n      labels:\n        a: "1"\n' },
    },
    {
      name: 'the same key in environment and labels',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    environment: [A=1]\n    labels: [A=1]\n' },
    },
  ],
  invalid: [
    {
      name: 'an overridden environment variable, removed with its comment line kept',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    environment:\n      # logging\n      - LOG_LEVEL=debug\n      - TZ=UTC\n      - LOG_LEVEL=info\n',
      },
      errors: [
        {
          messageId: 'duplicate',
          message: 'environment variable LOG_LEVEL of service "app" is set again at line 8, which wins: this entry has no effect',
          line: 6,
          col: 9,
          endLine: 6,
          endCol: 24,
        },
      ],
      output: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    environment:\n      # logging\n      - TZ=UTC\n      - LOG_LEVEL=info\n' },
    },
    {
      name: 'deploy labels, a passthrough and a quoted entry; flow lists are reported, not edited',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    environment: [A, B=1, A=2]\n    deploy:\n      labels:\n        - "traefik.enable=true"\n        - traefik.enable=false\n',
      },
      errors: [
        {
          message: 'environment variable A of service "app" is set again at line 4, which wins: this entry has no effect',
          line: 4,
          col: 19,
          endLine: 4,
          endCol: 20,
        },
        { messageId: 'duplicate', line: 7, col: 11, endLine: 7, endCol: 32 },
      ],
      output: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n    environment: [A, B=1, A=2]\n    deploy:\n      labels:\n        - traefik.enable=false\n',
      },
    },
  ],
});
