import { testRule } from '@galley/linter/testing';
import unusedConfig from './unused-config.js';
import unusedNetwork from './unused-network.js';
import unusedSecret from './unused-secret.js';
import unusedVolume from './unused-volume.js';

testRule(unusedNetwork, {
  valid: [
    {
      name: 'joined networks',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    networks: [proxy, internal]\nnetworks:\n  proxy:\n    external: true\n  internal:\n' },
    },
    {
      name: 'a customised default network used implicitly',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\nnetworks:\n  default:\n    driver: overlay\n' },
    },
    {
      name: 'joined only in an overlay (map form)',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\nnetworks:\n  mail:\n',
        'compose.smtp.yml': 'services:\n  app:\n    networks:\n      mail:\n        aliases: [m]\n',
      },
    },
  ],
  invalid: [
    {
      name: 'proxy declared, app does not join it',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    networks: [internal]\nnetworks:\n  proxy:\n    external: true\n  internal:\n' },
      errors: [{ messageId: 'unused', message: 'network "proxy" is declared but no service joins it', line: 6, col: 3, endLine: 6, endCol: 8 }],
    },
    {
      name: 'declared in the base and again in an overlay: reported where first declared',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\nnetworks:\n  backend:\n',
        'compose.extra.yml': 'networks:\n  backend:\n    driver: overlay\n',
      },
      errors: [{ messageId: 'unused', file: 'compose.yml', line: 5, col: 3, endLine: 5, endCol: 10 }],
    },
  ],
});

testRule(unusedVolume, {
  valid: [
    {
      name: 'mounted in short and long form',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    volumes:\n      - a:/a\n      - type: volume\n        source: b\n        target: /b\nvolumes:\n  a:\n  b:\n',
      },
    },
  ],
  invalid: [
    {
      name: 'anonymous volume where the named one was meant',
      files: { 'compose.yml': 'services:\n  db:\n    image: mariadb:11.4\n    volumes:\n      - /var/lib/mysql\nvolumes:\n  mariadb:\n' },
      errors: [{ messageId: 'unused', message: 'volume "mariadb" is declared but no service mounts it', line: 7, col: 3, endLine: 7, endCol: 10 }],
    },
    {
      name: 'lone compose file',
      composeFile: true,
      files: { 'docker-compose.yml': 'services:\n  db:\n    image: mariadb:11.4\nvolumes:\n  data: {}\n' },
      errors: [{ messageId: 'unused', line: 5, col: 3, endLine: 5, endCol: 7 }],
    },
  ],
});

testRule(unusedSecret, {
  valid: [
    {
      name: 'used through an anchor',
      files: {
        'compose.yml':
          'x-secrets: &s\n  secrets:\n    - db_password\nservices:\n  app:\n    <<: *s\n    image: x:1\nsecrets:\n  db_password:\n    external: true\n',
      },
    },
  ],
  invalid: [
    {
      name: 'unused external secret',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    secrets: [a]\nsecrets:\n  a:\n    external: true\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\n',
      },
      errors: [{ messageId: 'unused', message: 'secret "db_password" is declared but no service uses it', line: 8, col: 3, endLine: 8, endCol: 14 }],
    },
  ],
});

testRule(unusedConfig, {
  valid: [
    {
      name: 'mounted by the long syntax in an overlay',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\nconfigs:\n  c:\n    file: c.conf\n',
        'compose.c.yml': 'services:\n  app:\n    configs:\n      - source: c\n        target: /c\n',
      },
    },
  ],
  invalid: [
    {
      name: 'mount commented out',
      files: {
        'compose.yml':
          'services:\n  app:\n    image: x:1\n    # configs:\n    #   - source: entrypoint_conf\n    #     target: /docker-entrypoint.sh\nconfigs:\n  entrypoint_conf:\n    file: entrypoint.sh.tmpl\n',
      },
      errors: [{ messageId: 'unused', message: 'config "entrypoint_conf" is declared but no service mounts it', line: 8, col: 3, endLine: 8, endCol: 18 }],
    },
  ],
});
