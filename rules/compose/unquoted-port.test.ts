import { testRule } from '@galley/linter/testing';
import rule from './unquoted-port.js';

testRule(rule, {
  valid: [
    {
      name: 'quoted, not base-60, or with an address',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    ports:\n      - "22:22"\n      - 8080:80\n      - 127.0.0.1:22:22\n      - 80\n      - \'2222:22\'\n',
      },
    },
  ],
  invalid: [
    {
      name: 'block list',
      files: { 'compose.yml': 'services:\n  git:\n    image: gitea/gitea:1.22.3\n    ports:\n      - 2222:22 # ssh\n      - 53:53\n' },
      errors: [
        {
          messageId: 'sexagesimal',
          message: 'port mapping 2222:22 is a base-60 number (133342) to YAML 1.1 readers; quote it: "2222:22"',
          line: 5,
          col: 9,
          endLine: 5,
          endCol: 16,
        },
        { message: 'port mapping 53:53 is a base-60 number (3233) to YAML 1.1 readers; quote it: "53:53"', line: 6, col: 9, endLine: 6, endCol: 14 },
      ],
      output: { 'compose.yml': 'services:\n  git:\n    image: gitea/gitea:1.22.3\n    ports:\n      - "2222:22" # ssh\n      - "53:53"\n' },
    },
    {
      name: 'flow list in an overlay, and an anchor used twice',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n',
        'compose.ssh.yml': 'x-p: &p\n  ports: [22:22]\nservices:\n  a:\n    <<: *p\n  b:\n    <<: *p\n',
      },
      errors: [{ messageId: 'sexagesimal', file: 'compose.ssh.yml', line: 2, col: 11, endLine: 2, endCol: 16 }],
      output: { 'compose.ssh.yml': 'x-p: &p\n  ports: ["22:22"]\nservices:\n  a:\n    <<: *p\n  b:\n    <<: *p\n' },
    },
    {
      name: 'a lone compose file',
      composeFile: true,
      files: { 'docker-compose.yml': 'services:\n  dns:\n    image: pihole/pihole:2024.07.0\n    ports:\n      - 53:53/udp\n      - 21:21\n' },
      errors: [{ messageId: 'sexagesimal', line: 6, col: 9, endLine: 6, endCol: 14 }],
      output: { 'docker-compose.yml': 'services:\n  dns:\n    image: pihole/pihole:2024.07.0\n    ports:\n      - 53:53/udp\n      - "21:21"\n' },
    },
  ],
});
