import { testRule } from '@galley/linter/testing';
import imageInvalid from './image-invalid.js';
import imageUnparseableTag from './image-unparseable-tag.js';
import imageUnstableTag from './image-unstable-tag.js';
import imageUntagged from './image-untagged.js';

testRule(imageUntagged, {
  valid: [
    { name: 'tagged', files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n' } },
    { name: 'digest pin without tag', files: { 'compose.yml': `services:\n  app:\n    image: nginx@sha256:${'a'.repeat(64)}\n` } },
    { name: 'registry with a port, tagged', files: { 'compose.yml': 'services:\n  app:\n    image: localhost:5000/app:1.0\n' } },
    { name: 'tag from a variable with a default', files: { 'compose.yml': 'services:\n  app:\n    image: nginx:${TAG:-1.27.3}\n' } },
    { name: 'tag from an unset variable: unknown, not judged', files: { 'compose.yml': 'services:\n  app:\n    image: nginx:${TAG}\n' } },
    { name: 'image is a map (schema reports it)', files: { 'compose.yml': 'services:\n  app:\n    image:\n      name: nginx\n' } },
    {
      name: 'docker compose builds it: the image only names the result',
      composeFile: true,
      files: {
        'compose.yml': 'services:\n  app:\n    build: .\n    image: myapp\n  worker:\n    build: ./worker\n    image: worker\n    pull_policy: never\n',
      },
    },
  ],
  invalid: [
    {
      name: 'built, but pulled first (pull_policy: always), or on a swarm, which never builds',
      composeFile: true,
      files: { 'compose.yml': 'services:\n  app:\n    build: .\n    image: myapp\n    pull_policy: always\n' },
      errors: [{ messageId: 'untagged', line: 4, col: 12, endLine: 4, endCol: 17 }],
    },
    {
      name: 'bare name',
      files: { 'compose.yml': 'services:\n  app:\n    image: nginx\n' },
      errors: [
        {
          messageId: 'untagged',
          message: 'image "nginx" of service "app" has no tag, so it runs whatever :latest is today',
          line: 3,
          col: 12,
          endLine: 3,
          endCol: 17,
        },
      ],
    },
    {
      name: 'registry with a port and no tag; image from a default',
      files: { '.env.sample': 'DOMAIN=x.example.com\n', 'compose.yml': 'services:\n  app:\n    image: "${IMAGE:-localhost:5000/app}"\n' },
      errors: [
        {
          message: 'image "localhost:5000/app" of service "app" has no tag, so it runs whatever :latest is today (from "${IMAGE:-localhost:5000/app}")',
          line: 3,
          col: 12,
          endLine: 3,
          endCol: 42,
        },
      ],
    },
    {
      name: 'in an overlay, as a lone anchor shared by two services',
      files: {
        'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n',
        'compose.workers.yml': 'x-worker: &worker\n  image: redis\nservices:\n  w1:\n    <<: *worker\n  w2:\n    <<: *worker\n',
      },
      errors: [{ messageId: 'untagged', file: 'compose.workers.yml', line: 2, col: 10, endLine: 2, endCol: 15 }],
    },
  ],
});

testRule(imageUnstableTag, {
  valid: [
    { name: 'version tag', files: { 'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3-alpine\n' } },
    { name: 'latest pinned by digest', files: { 'compose.yml': `services:\n  app:\n    image: nginx:latest@sha256:${'b'.repeat(64)}\n` } },
    {
      name: 'floating tag only in a commented-out setting; the default is a version',
      files: { '.env.sample': '#APP_VERSION=latest\n', 'compose.yml': 'services:\n  app:\n    image: app:${APP_VERSION:-1.0.6}\n' },
    },
  ],
  invalid: [
    {
      name: 'latest, with a suggestion from the version label',
      files: {
        'compose.yml': 'services:\n  app:\n    image: "bonfire:latest"\n    deploy:\n      labels:\n        - "coop-cloud.${STACK_NAME}.version=2.0.1+1.0.6"\n',
      },
      errors: [
        {
          messageId: 'unstable',
          message: 'image "bonfire:latest" of service "app" uses the floating tag "latest"; pin a version',
          line: 3,
          col: 12,
          endLine: 3,
          endCol: 28,
          suggestions: [
            {
              desc: 'pin bonfire:latest to 1.0.6, the upstream version the recipe version label names',
              output: {
                'compose.yml':
                  'services:\n  app:\n    image: "bonfire:1.0.6"\n    deploy:\n      labels:\n        - "coop-cloud.${STACK_NAME}.version=2.0.1+1.0.6"\n',
              },
            },
          ],
        },
      ],
    },
    {
      name: 'latest, with no version label to suggest a pin from',
      files: { 'compose.yml': 'services:\n  app:\n    image: nginx:latest\n' },
      errors: [{ messageId: 'unstable', line: 3, col: 12, endLine: 3, endCol: 24, suggestions: [] }],
    },
    {
      name: 'stable from .env.sample',
      files: { '.env.sample': 'VERSION=stable\n', 'compose.yml': 'services:\n  db:\n    image: postgres:${VERSION}\n' },
      errors: [
        {
          message: 'image "postgres:stable" of service "db" uses the floating tag "stable" (from "postgres:${VERSION}"); pin a version',
          line: 3,
          col: 12,
          endLine: 3,
          endCol: 31,
        },
      ],
    },
    {
      name: 'lone compose file, edge, main and a floating word with a variant',
      composeFile: true,
      files: { 'docker-compose.yml': 'services:\n  a:\n    image: traefik:edge\n  b:\n    image: ghcr.io/x/y:main\n  c:\n    image: nginx:stable-alpine\n' },
      errors: [
        { messageId: 'unstable', line: 3, col: 12, endLine: 3, endCol: 24 },
        { messageId: 'unstable', line: 5, col: 12, endLine: 5, endCol: 28 },
        {
          messageId: 'unstable',
          message: 'image "nginx:stable-alpine" of service "c" uses the floating tag "stable-alpine"; pin a version',
          line: 7,
          col: 12,
          endLine: 7,
          endCol: 31,
        },
      ],
    },
  ],
});

testRule(imageUnparseableTag, {
  valid: [
    {
      name: 'semver-like, calendar and suffixed tags',
      files: {
        'compose.yml': 'services:\n  a:\n    image: x:1.2.3\n  b:\n    image: y:v2.1-alpine\n  c:\n    image: z:2024.10.1\n  d:\n    image: w:16-3.5\n',
      },
    },
    { name: "floating tags are the other rule's", files: { 'compose.yml': 'services:\n  a:\n    image: x:latest\n  b:\n    image: y:latest-classic-amd64\n' } },
    { name: "no tag is the other rule's", files: { 'compose.yml': 'services:\n  a:\n    image: x\n' } },
  ],
  invalid: [
    {
      name: "a date and four numbers, which abra's tagcmp does not parse",
      files: { 'compose.yml': 'services:\n  a:\n    image: z:20240101\n  b:\n    image: w:1.2.3.4\n' },
      errors: [
        {
          messageId: 'unparseable',
          message:
            'tag "20240101" of image "z:20240101" (service "a") is not a version upgrades can be found for: a date, which abra\'s tagcmp does not read as a version',
          line: 3,
          col: 12,
          endLine: 3,
          endCol: 22,
        },
        { messageId: 'unparseable', line: 5, col: 12, endLine: 5, endCol: 21 },
      ],
    },
    {
      name: 'a word and a commit hash',
      files: { 'compose.yml': 'services:\n  app:\n    image: moonlion/agora-server:bookworm\n  bridge:\n    image: x/y:3f2a9c1d\n' },
      errors: [
        {
          messageId: 'unparseable',
          message:
            'tag "bookworm" of image "moonlion/agora-server:bookworm" (service "app") is not a version upgrades can be found for: "bookworm" does not start with a version number',
          line: 3,
          col: 12,
          endLine: 3,
          endCol: 42,
        },
        {
          message: 'tag "3f2a9c1d" of image "x/y:3f2a9c1d" (service "bridge") is not a version upgrades can be found for: a commit hash has no order',
          line: 5,
          col: 12,
          endLine: 5,
          endCol: 24,
        },
      ],
    },
  ],
});

testRule(imageInvalid, {
  valid: [
    { name: 'valid references', files: { 'compose.yml': 'services:\n  a:\n    image: ghcr.io/owner/app:1.0\n  b:\n    image: "127.0.0.1:5000/x/y:2"\n' } },
    { name: 'unset variable: unknown value', files: { 'compose.yml': 'services:\n  a:\n    image: ${IMAGE}\n' } },
  ],
  invalid: [
    {
      name: 'upper case',
      files: { 'compose.yml': 'services:\n  app:\n    image: MyOrg/App:1.0\n' },
      errors: [
        {
          messageId: 'invalid',
          message: 'image "MyOrg/App:1.0" of service "app" is not a valid reference: "App" must be lowercase in an image name',
          line: 3,
          col: 12,
          endLine: 3,
          endCol: 25,
        },
      ],
    },
    {
      name: 'empty tag from a variable set empty in .env.sample',
      files: { '.env.sample': 'TAG=\n', 'compose.yml': 'services:\n  app:\n    image: nginx:${TAG}\n' },
      errors: [
        {
          message: 'image "nginx:" of service "app" is not a valid reference: "" is not a valid tag (letters, digits, _ . -; at most 128) (${TAG} is empty)',
          line: 3,
          col: 12,
          endLine: 3,
          endCol: 24,
        },
      ],
    },
  ],
});
