import { testRule } from '@galley/linter/testing';
import rule from './service-image.js';

testRule(rule, {
  valid: [
    { name: 'every service has an image', files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n  db:\n    image: postgres:16.4\n' } },
    {
      name: 'an overlay adds settings to a service whose image is in the base',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n', 'compose.smtp.yml': 'services:\n  app:\n    environment: [A=1]\n' },
    },
    { name: 'image through an anchor', files: { 'compose.yml': 'x-img: &img\n  image: x:1\nservices:\n  app:\n    <<: *img\n' } },
    {
      name: 'an overlay not named override, linted alone: a service with neither image nor build completes one of its base',
      composeFile: true,
      files: { 'compose.prod.yml': 'services:\n  app:\n    environment: [A=1]\n    networks: [proxy]\n' },
    },
    {
      name: 'an image from a variable no .env sets is unknown, not missing',
      composeFile: true,
      files: { 'compose.yml': 'services:\n  app:\n    image: ${APP_IMAGE}\n', '.env': 'OTHER=1\n' },
    },
    {
      name: 'a lone override file completes services of its base',
      composeFile: true,
      files: { 'docker-compose.override.yml': 'services:\n  db:\n    restart: "no"\n' },
    },
    { name: 'lone compose file that builds', composeFile: true, files: { 'docker-compose.yml': 'services:\n  web:\n    build: .\n' } },
  ],
  invalid: [
    {
      name: 'a service defined only in an overlay, without image',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n', 'compose.worker.yml': 'services:\n  worker:\n    command: run\n' },
      errors: [{ messageId: 'missing', message: 'service "worker" has no image', file: 'compose.worker.yml', line: 2, col: 3, endLine: 2, endCol: 9 }],
    },
    {
      name: 'build only, in a recipe',
      files: { 'compose.yml': 'services:\n  app:\n    build: .\n' },
      errors: [{ messageId: 'buildOnly', line: 2, col: 3, endLine: 2, endCol: 6 }],
    },
    {
      name: 'an empty image, in a lone compose file',
      composeFile: true,
      files: { 'docker-compose.yml': 'services:\n  web:\n    image:\n' },
      errors: [{ messageId: 'missing', line: 2, col: 3, endLine: 2, endCol: 6 }],
    },
  ],
});
