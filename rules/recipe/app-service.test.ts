import { testRule } from '@galley/linter/testing';
import rule from './app-service.js';

testRule(rule, {
  valid: [
    { name: 'an app service', files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n' } },
    {
      name: 'app defined in an overlay',
      files: { 'compose.yml': 'services:\n  db:\n    image: postgres:16\n', 'compose.app.yml': 'services:\n  app:\n    image: nginx:1\n' },
    },
  ],
  invalid: [
    {
      name: 'no app service',
      files: { 'compose.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27.3\n' },
      errors: [{ messageId: 'missing', file: 'compose.yml', line: 2, col: 1, endLine: 2, endCol: 9 }],
    },
  ],
});
