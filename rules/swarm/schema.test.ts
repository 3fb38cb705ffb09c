import { testRule } from '@galley/linter/testing';
import rule from './schema.js';

const app = (lines: string, version: string | null = '"3.8"') =>
  `${version === null ? '' : `version: ${version}\n`}services:\n  app:\n    image: x:1\n${lines}`;

testRule(rule, {
  valid: [
    {
      name: 'a v3.8 service with deploy settings, labels as text, an x- key',
      files: {
        'compose.yml': app(
          '    x-note: kept\n    deploy:\n      replicas: 2\n      labels:\n        traefik.enable: "true"\n    healthcheck:\n      test: ["CMD", "true"]\n      retries: 3\n',
        ),
      },
    },
    { name: 'a number from .env.sample, converted by docker', files: { 'compose.yml': app('    deploy:\n      replicas: ${R}\n'), '.env.sample': 'R=2\n' } },
    { name: 'no version: the newest (Docker 24.0 reads files without one)', files: { 'compose.yml': app('', null) } },
    {
      name: 'a variable a compose project does not set is unknown, not empty',
      composeFile: true,
      files: { 'compose.yml': app('    deploy:\n      replicas: ${R}\n') },
    },
    { name: "forbidden keys are swarm/forbidden-key's", files: { 'compose.yml': app('    mem_limit: 1g\n') } },
  ],
  invalid: [
    {
      name: 'a compose-spec key the v3 format lacks',
      files: { 'compose.yml': app('    pull_policy: always\n') },
      errors: [
        {
          messageId: 'unknownKey',
          message: 'docker stack deploy refuses the key "pull_policy" in services.app: the v3 file format (version 3.8) has no such key',
          line: 5,
          col: 5,
          endLine: 5,
          endCol: 16,
        },
      ],
    },
    {
      name: 'a typo, with did you mean',
      files: { 'compose.yml': app('    imagee: y\n') },
      errors: [
        {
          messageId: 'unknownKey',
          message: 'docker stack deploy refuses the key "imagee" in services.app: the v3 file format (version 3.8) has no such key: did you mean "image"?',
          line: 5,
          col: 5,
          endLine: 5,
          endCol: 11,
        },
      ],
    },
    {
      name: 'a key newer than the file version',
      files: { 'compose.yml': app('    init: true\n', '"3.6"') },
      errors: [
        {
          messageId: 'newerKey',
          message: 'docker stack deploy refuses the key "init" in services.app: it exists from file version 3.7 on, and this file is version 3.6',
          line: 5,
          col: 5,
          endLine: 5,
          endCol: 9,
        },
      ],
    },
    {
      name: 'numbers and booleans written as text, a boolean in a label map',
      files: { 'compose.yml': app('    read_only: "true"\n    deploy:\n      replicas: "2"\n      labels:\n        traefik.enable: true\n') },
      errors: [
        {
          messageId: 'type',
          message: 'services.app.read_only must be true or false for docker stack deploy, not the string "true"',
          line: 5,
          col: 16,
          endLine: 5,
          endCol: 22,
        },
        {
          messageId: 'type',
          message: 'services.app.deploy.replicas must be a whole number (0 or more) for docker stack deploy, not the string "2"',
          line: 7,
          col: 17,
          endLine: 7,
          endCol: 20,
        },
        {
          messageId: 'type',
          message: 'services.app.deploy.labels.traefik.enable must be a string, a number or empty for docker stack deploy, not the boolean true',
          line: 9,
          col: 25,
          endLine: 9,
          endCol: 29,
        },
      ],
    },
    {
      name: 'a variable docker cannot convert, and one docker does not convert',
      files: { 'compose.yml': app('    init: ${INIT}\n    deploy:\n      replicas: ${R}\n'), '.env.sample': 'R=two\nINIT=true\n' },
      errors: [
        {
          messageId: 'type',
          message: 'services.app.init must be true or false for docker stack deploy, not the string "true" (from ${INIT})',
          line: 5,
          col: 11,
          endLine: 5,
          endCol: 18,
        },
        {
          messageId: 'cast',
          message: 'services.app.deploy.replicas must be a whole number: docker stack deploy cannot convert "two" (from ${R})',
          line: 7,
          col: 17,
          endLine: 7,
          endCol: 21,
        },
      ],
    },
    {
      name: 'a negative count and an unknown update order',
      files: { 'compose.yml': app('    deploy:\n      replicas: -1\n      update_config:\n        order: sideways\n') },
      errors: [
        { messageId: 'type', line: 6, col: 17, endLine: 6, endCol: 19 },
        {
          messageId: 'enum',
          message: 'services.app.deploy.update_config.order must be one of "start-first", "stop-first" for docker stack deploy, not the string "sideways"',
          line: 8,
          col: 16,
          endLine: 8,
          endCol: 24,
        },
      ],
    },
    {
      name: 'a service name with a space',
      files: { 'compose.yml': 'version: "3.8"\nservices:\n  "my app":\n    image: x:1\n' },
      errors: [{ messageId: 'name', line: 3, col: 3, endLine: 3, endCol: 11 }],
    },
    {
      name: 'version as a number, and versions docker does not read',
      files: { 'compose.yml': app('', '3.8'), 'compose.old.yml': 'version: "2.4"\nservices: {}\n' },
      errors: [
        {
          messageId: 'versionUnknown',
          message: 'docker stack deploy (Docker 24.0) refuses version "2.4": it reads 3.0 to 3.11',
          file: 'compose.old.yml',
          line: 1,
          col: 10,
          endLine: 1,
          endCol: 15,
        },
        {
          messageId: 'versionType',
          message: '`version: 3.8` is a number; docker stack deploy refuses it: write the string "3.8"',
          file: 'compose.yml',
          line: 1,
          col: 10,
          endLine: 1,
          endCol: 13,
        },
      ],
    },
    {
      name: 'a file version newer than the Docker version, and none at all before Docker 23.0',
      files: { 'compose.yml': app('', '"3.13"'), 'compose.smtp.yml': 'services: {}\n' },
      settings: { dockerVersion: '20.10' },
      errors: [
        {
          messageId: 'versionMissing',
          message: 'the file has no `version:`, which docker stack deploy before Docker 23.0 refuses (this run assumes Docker 20.10): write version: "3.8"',
          file: 'compose.smtp.yml',
          line: 1,
          col: 1,
          endLine: 1,
          endCol: 9,
        },
        {
          messageId: 'versionUnknown',
          message: 'docker stack deploy (Docker 20.10) refuses version "3.13": it reads 3.0 to 3.9 (3.13 needs a newer Docker)',
          file: 'compose.yml',
          line: 1,
          col: 10,
          endLine: 1,
          endCol: 16,
        },
      ],
    },
    {
      name: 'files of one deploy with different versions',
      files: { 'compose.yml': app(''), 'compose.smtp.yml': 'version: "3.7"\nservices: {}\n', '.env.sample': 'COMPOSE_FILE=compose.yml:compose.smtp.yml\n' },
      errors: [
        {
          messageId: 'versionMismatch',
          message: 'compose.smtp.yml is version 3.7 but compose.yml is 3.8: docker stack deploy refuses files of different versions deployed together',
          file: 'compose.smtp.yml',
          line: 1,
          col: 10,
          endLine: 1,
          endCol: 15,
        },
      ],
    },
  ],
});
