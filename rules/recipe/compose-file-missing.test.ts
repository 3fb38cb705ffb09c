import { testRule } from '@galley/linter/testing';
import rule from './compose-file-missing.js';

const files = { 'compose.yml': 'services: {}\n', 'compose.postgres.yml': 'services: {}\n', 'postgres/compose.tune.yml': 'services: {}\n' };

testRule(rule, {
  valid: [
    { name: 'no COMPOSE_FILE', files: { ...files, '.env.sample': 'TYPE=x\n' } },
    {
      name: 'built up line by line, with ./ and a folder',
      files: {
        ...files,
        '.env.sample':
          'COMPOSE_FILE="compose.yml"\nCOMPOSE_FILE="$COMPOSE_FILE:./compose.postgres.yml"\n#COMPOSE_FILE="${COMPOSE_FILE}:postgres/compose.tune.yml"\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a typo in an active line',
      files: { ...files, '.env.sample': 'COMPOSE_FILE="compose.yml"\nCOMPOSE_FILE="$COMPOSE_FILE:compose.postgress.yml"\n' },
      errors: [
        {
          messageId: 'missing',
          message: 'COMPOSE_FILE names compose.postgress.yml, which the recipe does not have',
          file: '.env.sample',
          line: 2,
          col: 29,
          endLine: 2,
          endCol: 50,
          severity: 'error',
        },
      ],
    },
    {
      name: 'commented-out overlays that do not exist, unquoted',
      files: { ...files, '.env.sample': 'COMPOSE_FILE=compose.yml\n# COMPOSE_FILE=compose.yml:compose.mailrelay.yml:compose.smtp.yml\n' },
      errors: [
        { messageId: 'commentedMissing', line: 2, col: 28, endLine: 2, endCol: 49, severity: 'warning' },
        { messageId: 'commentedMissing', line: 2, col: 50, endLine: 2, endCol: 66, severity: 'warning' },
      ],
    },
  ],
});
