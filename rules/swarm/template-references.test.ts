import { testRule } from '@galley/linter/testing';
import rule from './template-references.js';

const compose = (service: string) =>
  `services:\n  app:\n    image: nginx:1.27.3\n${service}    configs:\n      - source: nginx_conf\n        target: /etc/nginx/conf.d/default.conf\nconfigs:\n  nginx_conf:\n    file: nginx.conf.tmpl\n    template_driver: golang\nsecrets:\n  db_password:\n    external: true\n`;
const template =
  'upstream {\n  server {{ env "STACK_NAME" }}_app:3000;\n}\n{{ if eq (env "TLS") "on" }}ssl on;{{ end }}\npassword {{ secret "db_password" }};\n';

testRule(rule, {
  valid: [
    {
      name: 'every variable set, the secret attached (by its target name)',
      files: {
        'compose.yml': compose(
          '    environment:\n      - STACK_NAME=${STACK_NAME}\n      - TLS\n    secrets:\n      - source: db_password\n        target: db_password\n',
        ),
        'nginx.conf.tmpl': template,
      },
    },
    {
      name: 'an env_file may set anything',
      files: { 'compose.yml': compose('    env_file: app.env\n    secrets: [db_password]\n'), 'nginx.conf.tmpl': template },
    },
    {
      name: 'a variable the template tests, and uses only where the test passed: unset is its "off"',
      files: {
        'compose.yml': compose('    environment:\n      - STACK_NAME=${STACK_NAME}\n    secrets: [db_password]\n'),
        'nginx.conf.tmpl':
          'server {{ env "STACK_NAME" }}_app:3000;\n{{- if eq (env "TLS") "on" }}\nssl {{ env "TLS" }};\n{{- else if env "PLAIN" }}\nplain {{ env "PLAIN" }};\n{{ end }}\n{{ with env "EXTRA" }}{{ . }} {{ env "EXTRA" }}{{ end }}\n{{ secret "db_password" }}\n',
      },
    },
    {
      name: 'a config without the golang driver is copied as it is',
      files: { 'compose.yml': compose('').replace('    template_driver: golang\n', ''), 'nginx.conf.tmpl': template },
    },
  ],
  invalid: [
    {
      name: 'a variable used after its block ends, or in the else branch of its test',
      files: {
        'compose.yml': compose('    secrets: [db_password]\n'),
        'nginx.conf.tmpl': '{{ if env "TLS" }}ssl;{{ else }}{{ env "TLS" }}{{ end }}\nport {{ env "TLS" }};\n{{ secret "db_password" }}\n',
      },
      errors: [
        { messageId: 'env', file: 'nginx.conf.tmpl', line: 1, col: 36, endLine: 1, endCol: 45 },
        { messageId: 'env', file: 'nginx.conf.tmpl', line: 2, col: 9, endLine: 2, endCol: 18 },
      ],
    },
    {
      name: 'an overlay combination .env.sample offers leaves out the overlay that sets the variable',
      files: {
        'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n',
        'compose.mail.yml':
          'version: "3.8"\nservices:\n  app:\n    environment:\n      - SMTP_HOST=${SMTP_HOST}\n    configs:\n      - source: msmtp_conf\n        target: /etc/msmtprc\nconfigs:\n  msmtp_conf:\n    name: ${STACK_NAME}_msmtp_conf_${MSMTP_CONF_VERSION}\n    file: msmtp.conf.tmpl\n    template_driver: golang\n',
        'compose.smtp.yml': 'version: "3.8"\nservices:\n  app:\n    environment:\n      - SMTP_PORT=${SMTP_PORT:-25}\n',
        'msmtp.conf.tmpl': 'host {{ env "SMTP_HOST" }}\nport {{ env "SMTP_PORT" }}\n',
        'abra.sh': 'export MSMTP_CONF_VERSION=v1\n',
        '.env.sample':
          'TYPE=mail\nDOMAIN=mail.example.com\n#COMPOSE_FILE="compose.yml:compose.mail.yml"\n#COMPOSE_FILE="compose.yml:compose.mail.yml:compose.smtp.yml"\n',
      },
      errors: [
        {
          messageId: 'env',
          message:
            'config "msmtp_conf" (msmtp.conf.tmpl) reads env "SMTP_PORT", which service "app" does not set with COMPOSE_FILE=compose.yml:compose.mail.yml: swarm renders it as an empty string',
          file: 'msmtp.conf.tmpl',
          line: 2,
          col: 9,
          endLine: 2,
          endCol: 24,
        },
      ],
    },
    {
      name: 'variables the service does not set, a secret it does not attach',
      files: { 'compose.yml': compose('    environment:\n      TLS: "on"\n'), 'nginx.conf.tmpl': template },
      errors: [
        {
          messageId: 'env',
          message: 'config "nginx_conf" (nginx.conf.tmpl) reads env "STACK_NAME", which service "app" does not set: swarm renders it as an empty string',
          file: 'nginx.conf.tmpl',
          line: 2,
          col: 13,
          endLine: 2,
          endCol: 29,
        },
        {
          messageId: 'secret',
          message: 'config "nginx_conf" (nginx.conf.tmpl) reads secret "db_password", which is not attached to service "app": the task fails to start',
          file: 'nginx.conf.tmpl',
          line: 5,
          col: 13,
          endLine: 5,
          endCol: 33,
        },
      ],
    },
  ],
});
