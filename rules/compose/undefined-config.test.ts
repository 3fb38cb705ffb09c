import { testRule } from '@galley/linter/testing';
import rule from './undefined-config.js';

testRule(rule, {
  valid: [
    {
      name: 'declared config',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    file: nginx.conf\n',
      },
    },
    { name: 'configs is null', files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n' } },
  ],
  invalid: [
    {
      name: 'config commented out at the top level',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\n      - entrypoint\n#configs:\n#  nginx_conf:\n#    file: nginx.conf\n',
      },
      errors: [
        {
          messageId: 'undefined',
          message: 'service "app" mounts config "nginx_conf", which no compose file declares under top-level `configs`',
          line: 5,
          col: 17,
          endLine: 5,
          endCol: 27,
        },
        { messageId: 'undefined', line: 7, col: 9, endLine: 7, endCol: 19 },
      ],
    },
  ],
});
