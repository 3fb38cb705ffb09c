import { testRule } from '@galley/linter/testing';
import rule from './undefined-variable.js';

const env = 'TYPE=app\nDOMAIN=app.example.com\n#SMTP_HOST=mail.example.com\nSECRET_DB_PASSWORD_VERSION=v1\n';
/** The suggestion every finding offers: the variable documented, commented out, at the end of .env.sample. */
const documents = (name: string, before = env) => [
  { desc: `document ${name} in .env.sample (commented out)`, output: { '.env.sample': `${before}#${name}=\n` } },
];

testRule(rule, {
  valid: [
    {
      name: 'set, commented out, defaulted, exported by abra.sh, STACK_NAME',
      files: {
        '.env.sample': env,
        'abra.sh': 'export NGINX_CONF_VERSION=v2\n',
        'compose.yml':
          'services:\n  app:\n    image: nginx:${VERSION:-1.27.3}\n    environment:\n      - HOST=${DOMAIN}\n      - SMTP=${SMTP_HOST}\n      - X=${EXTRA-}\n      - Y=${FLAG:+on}\n      - "Z=$$NOT_A_VAR"\n    deploy:\n      labels:\n        traefik.http.routers.${STACK_NAME}.rule: Host(`${DOMAIN}`)\nsecrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\nconfigs:\n  nginx_conf:\n    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}\n    file: nginx.conf\n',
      },
    },
    {
      name: "versions of secrets and configs are the recipe rules' concern",
      files: {
        '.env.sample': env,
        'compose.yml':
          'services:\n  app:\n    image: x:1\nsecrets:\n  api_key:\n    external: true\n    name: ${STACK_NAME}_api_key_${SECRET_API_KEY_VERSION}\nconfigs:\n  c:\n    name: ${STACK_NAME}_c_${C_VERSION}\n    file: c.conf\n',
      },
    },
    {
      name: 'a known variable from the options',
      files: { '.env.sample': env, 'compose.yml': 'services:\n  app:\n    image: x:1\n    environment:\n      - N=${NODE_ID}\n' },
      options: { knownVariables: ['NODE_ID'] },
    },
    {
      name: 'no .env.sample: recipe/env-sample reports that instead',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    environment:\n      - A=${A}\n' },
    },
    { name: 'a lone compose file is not checked', composeFile: true, files: { 'compose.yml': 'services:\n  app:\n    image: ${IMAGE}\n' } },
  ],
  invalid: [
    {
      name: 'list environment in the base file',
      files: { '.env.sample': env, 'compose.yml': 'services:\n  app:\n    image: x:1\n    environment:\n      - SMTP_PORT=${SMTP_PORT}\n' },
      errors: [
        {
          messageId: 'undefined',
          message:
            '${SMTP_PORT} is not in .env.sample (not even commented out), has no default and is not exported by abra.sh; it is empty on every deploy that does not set it',
          line: 5,
          col: 19,
          endLine: 5,
          endCol: 31,
          suggestions: documents('SMTP_PORT'),
        },
      ],
    },
    {
      name: 'map environment, $VAR form, in an overlay that is off by default',
      files: {
        '.env.sample': env,
        'compose.yml': 'services:\n  app:\n    image: x:1\n',
        'compose.smtp.yml': "services:\n  app:\n    environment:\n      MAIL_FROM: 'noreply@$MAIL_DOMAIN'\n",
      },
      errors: [{ messageId: 'undefined', file: 'compose.smtp.yml', line: 4, col: 27, endLine: 4, endCol: 39, suggestions: documents('MAIL_DOMAIN') }],
    },
    {
      name: 'a required variable, and a nested default that uses an unknown one',
      files: {
        '.env.sample': env,
        'compose.yml': 'services:\n  app:\n    image: x:1\n    environment:\n      - A=${ADMIN:?set ADMIN}\n      - B=${B1:-${B2}}\n',
      },
      errors: [
        { messageId: 'required', line: 5, col: 11, endLine: 5, endCol: 30, suggestions: documents('ADMIN') },
        { messageId: 'undefined', line: 6, col: 17, endLine: 6, endCol: 22, suggestions: documents('B2') },
      ],
    },
    {
      name: 'in a label key, written once through an anchor used twice',
      files: {
        '.env.sample': env,
        'compose.yml':
          'x-labels: &labels\n  labels:\n    - "app.instance=${INSTANCE}"\nservices:\n  a:\n    <<: *labels\n    image: x:1\n  b:\n    <<: *labels\n    image: x:1\n',
      },
      errors: [{ messageId: 'undefined', line: 3, col: 21, endLine: 3, endCol: 32, suggestions: documents('INSTANCE') }],
    },
    {
      name: 'the suggestion ends the last line of .env.sample first',
      files: { '.env.sample': 'DOMAIN=x.example.com', 'compose.yml': 'services:\n  app:\n    image: x:1\n    environment:\n      - A=${SMTP_HOST}\n' },
      errors: [{ messageId: 'undefined', line: 5, col: 11, endLine: 5, endCol: 23, suggestions: documents('SMTP_HOST', 'DOMAIN=x.example.com\n') }],
    },
  ],
});
