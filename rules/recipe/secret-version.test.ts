import { testRule } from '@galley/linter/testing';
import secretVersionEnv from './secret-version-env.js';
import unusedSecretVersion from './unused-secret-version.js';

const secret = (key: string, variable = `SECRET_${key.toUpperCase()}_VERSION`) =>
  `  ${key}:\n    external: true\n    name: \${STACK_NAME}_${key}_\${${variable}}\n`;
const compose = (secrets: string, used = 'db_password') => `services:\n  app:\n    image: x:1\n    secrets: [${used}]\nsecrets:\n${secrets}`;

testRule(secretVersionEnv, {
  valid: [
    { name: 'documented', files: { '.env.sample': 'SECRET_DB_PASSWORD_VERSION=v1\n', 'compose.yml': compose(secret('db_password')) } },
    {
      name: 'commented out for an optional overlay',
      files: {
        '.env.sample': 'SECRET_DB_PASSWORD_VERSION=v1\n#SECRET_SMTP_PASSWORD_VERSION=v1\n',
        'compose.yml': compose(secret('db_password')),
        'compose.smtp.yml': `services:\n  app:\n    secrets: [smtp_password]\nsecrets:\n${secret('smtp_password')}`,
      },
    },
    {
      name: "a file secret is not abra's",
      files: { '.env.sample': '', 'compose.yml': 'services:\n  app:\n    image: x:1\n    secrets: [s]\nsecrets:\n  s:\n    file: ./s.txt\n' },
    },
    { name: 'no .env.sample: recipe/env-sample reports that', files: { 'compose.yml': compose(secret('db_password')) } },
  ],
  invalid: [
    {
      name: 'missing: added after the last secret line',
      files: {
        '.env.sample': 'DOMAIN=x.example.com\nSECRET_DB_PASSWORD_VERSION=v1\n\n# SMTP\n#SMTP_HOST=\n',
        'compose.yml': compose(secret('db_password') + secret('secret_key_base'), 'db_password, secret_key_base'),
      },
      errors: [
        {
          messageId: 'missing',
          message: 'secret "secret_key_base" needs SECRET_SECRET_KEY_BASE_VERSION in .env.sample, which has no such line',
          line: 9,
          col: 3,
          endLine: 9,
          endCol: 18,
        },
      ],
      output: { '.env.sample': 'DOMAIN=x.example.com\nSECRET_DB_PASSWORD_VERSION=v1\nSECRET_SECRET_KEY_BASE_VERSION=v1  # length=64\n\n# SMTP\n#SMTP_HOST=\n' },
    },
    {
      name: 'an overlay off by default gets a commented line at the end',
      files: {
        '.env.sample': 'DOMAIN=x.example.com',
        'compose.yml': 'services:\n  app:\n    image: x:1\n',
        'compose.smtp.yml': `services:\n  app:\n    secrets: [smtp_password]\nsecrets:\n${secret('smtp_password')}`,
      },
      errors: [{ messageId: 'missing', file: 'compose.smtp.yml', line: 5, col: 3, endLine: 5, endCol: 16 }],
      output: { '.env.sample': 'DOMAIN=x.example.com\n#SECRET_SMTP_PASSWORD_VERSION=v1\n' },
    },
    {
      name: 'another variable, and no version at all',
      files: {
        '.env.sample': 'DB_PW_VERSION=v1\n',
        'compose.yml': compose(
          `${secret('db_password', 'DB_PW_VERSION')}  api_token:\n    external: true\n    name: \${STACK_NAME}_api_token\n`,
          'db_password, api_token',
        ),
      },
      errors: [
        {
          messageId: 'mismatch',
          message: 'secret "db_password" is versioned by DB_PW_VERSION, but abra reads its version and generation settings from SECRET_DB_PASSWORD_VERSION',
          line: 8,
          col: 37,
          endLine: 8,
          endCol: 53,
        },
        {
          messageId: 'unversioned',
          message: 'secret "api_token" has no versioned name (`name: ${STACK_NAME}_api_token_${SECRET_API_TOKEN_VERSION}`), so it can never be rotated',
          line: 9,
          col: 3,
          endLine: 9,
          endCol: 12,
        },
      ],
    },
    {
      name: 'versioned by a variable without _VERSION: reported as that, at name:',
      files: {
        '.env.sample': 'SECRET_X=v1\n',
        'compose.yml': 'services:\n  app:\n    image: x:1\n    secrets: [x]\nsecrets:\n  x:\n    external: true\n    name: ${STACK_NAME}_x_${SECRET_X}\n',
      },
      errors: [
        {
          messageId: 'noSuffix',
          message: 'secret "x" is versioned by ${SECRET_X}, but abra reads a secret\'s version from a variable ending in _VERSION: name it SECRET_X_VERSION',
          line: 8,
          col: 27,
          endLine: 8,
          endCol: 38,
        },
      ],
    },
  ],
});

testRule(unusedSecretVersion, {
  valid: [
    {
      name: 'every line has its secret',
      files: {
        '.env.sample': 'SECRET_DB_PASSWORD_VERSION=v1\n#SECRET_SMTP_PASSWORD_VERSION=v1\n',
        'compose.yml': compose(secret('db_password')),
        'compose.smtp.yml': `secrets:\n${secret('smtp_password')}`,
      },
    },
  ],
  invalid: [
    {
      name: 'a line with generation settings between others: the suggestion removes that line only',
      files: { '.env.sample': 'DOMAIN=x\nSECRET_OLD_VERSION=v1 # length=32\nLETS_ENCRYPT_ENV=production\n', 'compose.yml': 'services: {}\n' },
      errors: [
        {
          messageId: 'unused',
          line: 2,
          col: 1,
          endLine: 2,
          endCol: 19,
          suggestions: [{ output: { '.env.sample': 'DOMAIN=x\nLETS_ENCRYPT_ENV=production\n' } }],
        },
      ],
    },
    {
      name: 'a typo and a removed secret (commented)',
      files: { '.env.sample': 'SECRET_DB_PASSWD_VERSION=v1\n# SECRET_OLD_VERSION=v1\n', 'compose.yml': compose(secret('db_password')) },
      errors: [
        {
          messageId: 'unused',
          message: 'SECRET_DB_PASSWD_VERSION versions no secret: no compose file declares a secret "db_passwd"',
          line: 1,
          col: 1,
          endLine: 1,
          endCol: 25,
          suggestions: [{ desc: 'remove SECRET_DB_PASSWD_VERSION from .env.sample', output: { '.env.sample': '# SECRET_OLD_VERSION=v1\n' } }],
        },
        {
          messageId: 'unused',
          line: 2,
          col: 3,
          endLine: 2,
          endCol: 21,
          suggestions: [{ desc: 'remove SECRET_OLD_VERSION from .env.sample', output: { '.env.sample': 'SECRET_DB_PASSWD_VERSION=v1\n' } }],
        },
      ],
    },
  ],
});
