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
      name: 'versioned by a default in the name, bumped in the compose file, with an abra.sh',
      files: { 'compose.yml': compose('    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION:-v6}\n'), 'abra.sh': '#!/bin/sh\n' },
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
      errors: [
        {
          messageId: 'unusedExport',
          message: 'abra.sh exports ENTRYPOINT_VERSION, which no compose file uses: it versions nothing',
          file: 'abra.sh',
          severity: 'warning',
          line: 3,
          col: 8,
          endLine: 3,
          endCol: 26,
        },
        { messageId: 'notExported', file: 'compose.yml', line: 9, col: 36, endLine: 9, endCol: 57 },
      ],
      output: { 'abra.sh': '#!/bin/bash\n\nexport ENTRYPOINT_VERSION=v2\nexport NGINX_CONF_VERSION=v1\n\nabra_backup() {\n  true\n}\n' },
    },
    {
      name: 'a misspelt export: reported as such, renamed by a suggestion, never a second export',
      files: { 'compose.yml': versioned, 'abra.sh': 'export NGINX_CNOF_VERSION=v2\n' },
      errors: [
        {
          messageId: 'nearMiss',
          message: 'NGINX_CONF_VERSION versions config "nginx_conf" but abra.sh exports NGINX_CNOF_VERSION instead: did you mean NGINX_CONF_VERSION?',
          line: 9,
          col: 36,
          endLine: 9,
          endCol: 57,
          suggestions: [{ desc: 'rename the export to NGINX_CONF_VERSION', output: { 'abra.sh': 'export NGINX_CONF_VERSION=v2\n' } }],
        },
      ],
      output: null,
    },
    {
      name: 'a default version but no abra.sh, which abra reads versions from (R012)',
      files: { 'compose.yml': compose('    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION:-v6}\n') },
      errors: [{ messageId: 'noAbraSh', line: 9, col: 36, endLine: 9, endCol: 61 }],
      output: { 'abra.sh': 'export NGINX_CONF_VERSION=v6\n' },
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
