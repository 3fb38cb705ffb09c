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
      name: 'a config without the golang driver is copied as it is',
      files: { 'compose.yml': compose('').replace('    template_driver: golang\n', ''), 'nginx.conf.tmpl': template },
    },
  ],
  invalid: [
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
