import { testRule } from '@galley/linter/testing';
import rule from './yaml-syntax.js';

testRule(rule, {
  valid: [
    { name: 'valid YAML', files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n' } },
    { name: 'compose tags !reset and !override', files: { 'compose.yml': 'services:\n  app:\n    ports: !reset []\n' } },
    { name: 'anchors and merge keys', files: { 'compose.yml': 'x-a: &a\n  image: nginx:1.27.3\nservices:\n  app:\n    <<: *a\n' } },
  ],
  invalid: [
    {
      name: 'a syntax error, at its position (an unclosed quote: where the input ends)',
      files: { 'compose.yml': 'services:\n  app:\n    image: "nginx\n' },
      errors: [{ messageId: 'syntax', line: 4, col: 1, endLine: 4, endCol: 2 }],
    },
    {
      name: 'a bad indentation, at the offending line',
      files: { 'compose.yml': 'services:\n  app:\n    image: a:1\n   ports: []\n' },
      errors: [{ messageId: 'syntax', line: 4, col: 1, endLine: 4, endCol: 2 }],
    },
    {
      name: 'a duplicate key, at the second one',
      files: { 'compose.yml': 'services:\n  app:\n    image: a:1\n    image: b:2\n' },
      errors: [{ messageId: 'duplicateKey', line: 4, col: 5, endLine: 4, endCol: 10 }],
    },
    {
      name: 'an alias bomb',
      files: {
        'compose.yml':
          'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
      },
      errors: [{ messageId: 'aliasBomb', line: 1, col: 1, endLine: 1, endCol: 1 }],
    },
    {
      name: 'an oversized file',
      files: { 'compose.yml': `# ${'x'.repeat(4 * 1024 * 1024)}\n` },
      errors: [{ messageId: 'tooLarge', line: 1, col: 1, endLine: 1, endCol: 1 }],
    },
    {
      name: 'an unknown tag is a warning',
      files: { 'compose.yml': 'services:\n  app:\n    image: !foo nginx\n' },
      errors: [{ messageId: 'warning', severity: 'warning', line: 3, col: 12, endLine: 3, endCol: 16 }],
    },
    {
      name: 'a lone compose file with a syntax error',
      composeFile: true,
      files: { 'docker-compose.yml': 'services:\n  app: [\n' },
      errors: [{ messageId: 'syntax', line: 3, col: 1, endLine: 3, endCol: 2 }],
    },
  ],
});
