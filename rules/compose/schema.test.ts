import { testRule } from '@galley/linter/testing';
import rule from './schema.js';

const app = (extra: string) => `services:\n  app:\n    image: nginx:1.27.3\n${extra}`;

testRule(rule, {
  valid: [
    { name: 'a plain service', files: { 'compose.yml': app('') } },
    {
      name: 'typed fields written as ${VAR} are checked after interpolation',
      files: {
        'compose.yml': app('    deploy:\n      replicas: ${REPLICAS}\n    ports:\n      - target: 80\n        published: ${PORT}\n'),
        '.env.sample': 'REPLICAS=2\nPORT=8080\n',
      },
    },
    { name: 'x- extension keys', files: { 'compose.yml': `x-common: &common\n  restart: always\n${app('')}` } },
    { name: 'a lone compose file', composeFile: true, files: { 'docker-compose.yml': app('') } },
    { name: 'a file with a syntax error is left to compose/yaml-syntax', files: { 'compose.yml': 'services:\n  app: [\n' } },
  ],
  invalid: [
    {
      name: 'an unknown key, with did you mean',
      files: { 'compose.yml': app('    imagee: foo\n') },
      errors: [
        {
          messageId: 'unknownKey',
          message: 'unknown key "imagee" in services.app: did you mean "image"?',
          line: 4,
          col: 5,
          endLine: 4,
          endCol: 11,
          // renaming would make a second `image`: no suggestion
          suggestions: [],
        },
      ],
    },
    {
      name: 'every error is reported, at its own key',
      files: { 'compose.yml': `${app('    enviroment:\n      A: 1\n    deploy:\n      replica: 2\n')}volumes:\n  data:\n    drive: local\n` },
      errors: [
        {
          message: 'unknown key "enviroment" in services.app: did you mean "environment"?',
          line: 4,
          col: 5,
          endLine: 4,
          endCol: 15,
          suggestions: [
            {
              desc: 'rename "enviroment" to "environment"',
              output: { 'compose.yml': `${app('    environment:\n      A: 1\n    deploy:\n      replica: 2\n')}volumes:\n  data:\n    drive: local\n` },
            },
          ],
        },
        {
          message: 'unknown key "replica" in services.app.deploy: did you mean "replicas"?',
          line: 7,
          col: 7,
          endLine: 7,
          endCol: 14,
          suggestions: [
            { output: { 'compose.yml': `${app('    enviroment:\n      A: 1\n    deploy:\n      replicas: 2\n')}volumes:\n  data:\n    drive: local\n` } },
          ],
        },
        {
          message: 'unknown key "drive" in volumes.data: did you mean "driver"?',
          line: 10,
          col: 5,
          endLine: 10,
          endCol: 10,
          suggestions: [
            { output: { 'compose.yml': `${app('    enviroment:\n      A: 1\n    deploy:\n      replica: 2\n')}volumes:\n  data:\n    driver: local\n` } },
          ],
        },
      ],
    },
    {
      name: 'a wrong type, at the value; oneOf noise collapsed into one message',
      files: { 'compose.yml': app('    environment: 5\n') },
      errors: [
        { messageId: 'type', message: 'services.app.environment must be a mapping or a list, not the number 5', line: 4, col: 18, endLine: 4, endCol: 19 },
      ],
    },
    {
      name: 'a ${VAR} that interpolates to a list-less value is checked as its value',
      files: { 'compose.yml': app('    deploy:\n      replicas: [2]\n') },
      errors: [
        { messageId: 'type', message: 'services.app.deploy.replicas must be an integer or a string, not a list', line: 5, col: 17, endLine: 5, endCol: 20 },
      ],
    },
    {
      name: 'an unknown top-level key',
      files: { 'compose.yml': `${app('')}foo: 1\n` },
      errors: [{ message: 'unknown key "foo" at the top level; custom keys must start with "x-"', line: 4, col: 1, endLine: 4, endCol: 4 }],
    },
    {
      name: 'an invalid service name',
      files: { 'compose.yml': 'services:\n  "my app":\n    image: nginx:1.27.3\n' },
      errors: [{ messageId: 'invalidName', line: 2, col: 3, endLine: 2, endCol: 11 }],
    },
    {
      name: 'an enum value, with did you mean',
      files: { 'compose.yml': app('    cgroup: hots\n') },
      errors: [
        {
          messageId: 'enum',
          message: 'services.app.cgroup must be one of "host", "private", not the string "hots" (did you mean "host"?)',
          line: 4,
          col: 13,
          endLine: 4,
          endCol: 17,
        },
      ],
    },
    {
      name: 'a missing required key, at the key of the map that misses it',
      files: { 'compose.yml': app('    depends_on:\n      db:\n        required: true\n') },
      errors: [
        { messageId: 'required', message: 'services.app.depends_on.db is missing the required key "condition"', line: 5, col: 7, endLine: 5, endCol: 9 },
      ],
    },
    {
      name: 'overlay files are checked too',
      files: { 'compose.yml': app(''), 'compose.smtp.yml': 'services:\n  app:\n    enviroment: {}\n' },
      errors: [
        {
          messageId: 'unknownKey',
          file: 'compose.smtp.yml',
          line: 3,
          col: 5,
          endLine: 3,
          endCol: 15,
          suggestions: [{ output: { 'compose.smtp.yml': 'services:\n  app:\n    environment: {}\n' } }],
        },
      ],
    },
    {
      name: 'a lone compose file',
      composeFile: true,
      files: { 'docker-compose.yml': app('    ports: 80\n') },
      errors: [{ messageId: 'type', line: 4, col: 12, endLine: 4, endCol: 14 }],
    },
  ],
});
