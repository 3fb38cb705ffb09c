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
      name: 'a bad indentation, at the key of the offending line',
      files: { 'compose.yml': 'services:\n  app:\n    image: a:1\n   ports: []\n' },
      errors: [
        {
          messageId: 'syntax',
          message: 'YAML syntax error: All mapping items must start at the same column: this key is indented by 3 spaces, line 3 above by 4',
          line: 4,
          col: 4,
          endLine: 4,
          endCol: 9,
        },
      ],
    },
    {
      name: 'a key indented too deep, at that key, not at the value above it',
      files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n     ports:\n      - "80:80"\n' },
      errors: [
        {
          messageId: 'syntax',
          message:
            'YAML syntax error: this key is indented by 5 spaces, deeper than the key on line 3 (4), so YAML reads it as part of that value: indent it like its siblings',
          line: 4,
          col: 6,
          endLine: 4,
          endCol: 11,
        },
      ],
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
