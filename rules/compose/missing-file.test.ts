import { testRule } from '@galley/linter/testing';
import rule from './missing-file.js';

const cfg = (file: string) => `services:\n  app:\n    image: x:1\nconfigs:\n  c:\n    file: ${file}\n`;

testRule(rule, {
  valid: [
    { name: 'config file exists', files: { 'compose.yml': cfg('nginx.conf'), 'nginx.conf': 'x' } },
    { name: './ prefix', files: { 'compose.yml': cfg('./nginx.conf'), 'nginx.conf': 'x' } },
    {
      name: 'an overlay in a folder names files from the recipe root',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n',
        'postgres/compose.tune.yml': cfg('postgres/postgres.conf'),
        'postgres/postgres.conf': 'x',
      },
    },
    { name: 'name from a variable with a default', files: { 'compose.yml': cfg('${CONF:-nginx.conf}'), 'nginx.conf': 'x' } },
    {
      name: 'secret file and env_file exist',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n    env_file: [app.env, {path: opt.env, required: false}]\nsecrets:\n  s:\n    file: ./s.txt\n',
        's.txt': 'x',
        'app.env': 'A=1',
      },
    },
  ],
  invalid: [
    {
      name: 'config file missing',
      files: { 'compose.yml': cfg('entrypoint.sh.tmpl') },
      errors: [{ messageId: 'missing', message: 'config "c" points to entrypoint.sh.tmpl, which does not exist', line: 6, col: 11, endLine: 6, endCol: 29 }],
    },
    {
      name: 'in an overlay folder, a path relative to the overlay is wrong',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n', 'postgres/compose.tune.yml': cfg('postgres.conf'), 'postgres/postgres.conf': 'x' },
      errors: [
        { message: 'config "c" points to postgres.conf, which does not exist', file: 'postgres/compose.tune.yml', line: 6, col: 11, endLine: 6, endCol: 24 },
      ],
    },
    {
      name: 'outside the recipe; env_file missing',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    env_file: app.env\nsecrets:\n  s:\n    file: ../secrets/s.txt\n' },
      errors: [
        { messageId: 'missing', message: 'env_file of service "app" points to app.env, which does not exist', line: 4, col: 15, endLine: 4, endCol: 22 },
        { messageId: 'outside', line: 7, col: 11, endLine: 7, endCol: 27 },
      ],
    },
    {
      name: 'a lone compose file',
      composeFile: true,
      files: { 'docker-compose.yml': cfg('nginx.conf') },
      errors: [{ messageId: 'missing', line: 6, col: 11, endLine: 6, endCol: 21 }],
    },
  ],
});
