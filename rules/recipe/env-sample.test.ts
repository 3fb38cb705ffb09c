import { testRule } from '@galley/linter/testing';
import rule from './env-sample.js';

testRule(rule, {
  valid: [
    { name: 'present', files: { 'compose.yml': 'services: {}\n', '.env.sample': 'TYPE=x\n' } },
    { name: 'present but empty', files: { 'compose.yml': 'services: {}\n', '.env.sample': '' } },
    { name: 'lone compose files are no recipes', composeFile: true, files: { 'compose.yml': 'services: {}\n' } },
  ],
  invalid: [
    {
      name: 'missing: created by the fix',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n' },
      errors: [
        {
          messageId: 'missing',
          message: 'the recipe has no .env.sample, so abra cannot create apps from it',
          file: '.env.sample',
          line: 1,
          col: 1,
          endLine: 1,
          endCol: 1,
        },
      ],
      output: { '.env.sample': 'TYPE=test-recipe\n\nDOMAIN=test-recipe.example.com\nLETS_ENCRYPT_ENV=production\n' },
    },
  ],
});
