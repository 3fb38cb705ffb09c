import { testRule } from '@galley/linter/testing';
import rule from './config-version-export.js';

const compose = (name: string) =>
  `services:\n  app:\n    image: x:1\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n${name}    file: nginx.conf\n`;
const versioned = compose('    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}\n');

testRule(rule, {
  valid: [
    { name: 'exported', files: { 'compose.yml': versioned, 'abra.sh': 'export NGINX_CONF_VERSION=v2\n', 'nginx.conf': '' } },
    {
      name: 'exported, with a default in the name',
      files: { 'compose.yml': compose('    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION:-v1}\n'), 'abra.sh': 'export NGINX_CONF_VERSION=v3\n' },
    },
    {
      name: 'versioned by a default in the name, bumped in the compose file',
      files: { 'compose.yml': compose('    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION:-v6}\n') },
    },
    { name: 'external config', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\nconfigs:\n  shared:\n    external: true\n' } },
  ],
  invalid: [
    {
      name: 'no abra.sh: the fix creates it',
      files: { 'compose.yml': versioned },
      errors: [
        {
          messageId: 'notExported',
          message: 'NGINX_CONF_VERSION versions config "nginx_conf" but abra.sh does not export it',
          line: 9,
          col: 36,
          endLine: 9,
          endCol: 57,
        },
      ],
      output: { 'abra.sh': 'export NGINX_CONF_VERSION=v1\n' },
    },
    {
      name: 'abra.sh without the export: added after the last export, before the functions',
      files: {
        'compose.yml': versioned,
        'abra.sh': '#!/bin/bash\n\nexport ENTRYPOINT_VERSION=v2\n\nabra_backup() {\n  true\n}\n',
      },
      errors: [{ messageId: 'notExported', line: 9, col: 36, endLine: 9, endCol: 57 }],
      output: { 'abra.sh': '#!/bin/bash\n\nexport ENTRYPOINT_VERSION=v2\nexport NGINX_CONF_VERSION=v1\n\nabra_backup() {\n  true\n}\n' },
    },
    {
      name: 'set in .env.sample instead',
      files: { 'compose.yml': versioned, '.env.sample': 'NGINX_CONF_VERSION=v1\n', 'abra.sh': '' },
      errors: [{ messageId: 'inEnvSample', line: 9, col: 36, endLine: 9, endCol: 57 }],
    },
    {
      name: 'no version in the name, or no name at all (in an overlay)',
      files: {
        'compose.yml': compose('    name: ${STACK_NAME}_nginx_conf\n'),
        'compose.extra.yml': 'services:\n  app:\n    configs:\n      - source: extra\n        target: /x\nconfigs:\n  extra:\n    file: ./extra.conf\n',
      },
      errors: [
        { messageId: 'unversioned', file: 'compose.extra.yml', line: 7, col: 3, endLine: 7, endCol: 8 },
        {
          messageId: 'unversioned',
          message:
            'config "nginx_conf" has no versioned name (`name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}`), so changing nginx.conf breaks the next deploy',
          file: 'compose.yml',
          line: 9,
          col: 11,
          endLine: 9,
          endCol: 35,
        },
      ],
    },
  ],
});
