import { testRule } from '@galley/linter/testing';
import { afterAll } from '@jest/globals';
import { cleanUpGitRecipes, gitRecipe } from '../_testing/git-recipes.js';
import configVersionBump from './config-version-bump.js';
import releaseNotes from './release-notes.js';
import releaseTagAnnotated from './release-tag-annotated.js';
import versionLabel from './version-label.js';

afterAll(cleanUpGitRecipes);

const compose = (version: string | null, extra = '') =>
  `version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      labels:\n        - "traefik.enable=true"\n${version === null ? '' : `        - "coop-cloud.\${STACK_NAME}.version=${version}"\n`}${extra}`;
const release = (name: string, annotated = true) => ({ name, annotated });
const mapLabels = 'services:\n  app:\n    image: x:1\n    deploy:\n      labels:\n        traefik.enable: "true"\n';

testRule(versionLabel, {
  valid: [
    { name: 'no git history', files: { 'compose.yml': compose('0.0.1+1') } },
    { name: 'no release tags', recipe: () => gitRecipe([{ files: { 'compose.yml': compose(null) }, tags: [{ name: 'wip', annotated: true }] }]) },
    {
      name: 'equal to the latest tag',
      recipe: () =>
        gitRecipe([
          { files: { 'compose.yml': compose('1.0.0+1.27.2') }, tags: [release('1.0.0+1.27.2')] },
          { files: { 'compose.yml': compose('1.1.0+1.27.3') }, tags: [release('1.1.0+1.27.3')] },
        ]),
    },
    {
      name: 'an older release, linted at its own tag',
      recipe: () =>
        gitRecipe(
          [
            { files: { 'compose.yml': compose('1.0.0+1.27.2') }, tags: [release('1.0.0+1.27.2')] },
            { files: { 'compose.yml': compose('1.1.0+1.27.3') }, tags: [release('1.1.0+1.27.3')] },
          ],
          {},
          '1.0.0+1.27.2',
        ),
    },
    {
      name: 'newer: a release in preparation',
      recipe: () =>
        gitRecipe([{ files: { 'compose.yml': compose('1.0.0+1.27.2') }, tags: [release('1.0.0+1.27.2')] }], { 'compose.yml': compose('1.1.0+1.27.3') }),
    },
  ],
  invalid: [
    {
      name: 'older than the latest tag',
      recipe: () => gitRecipe([{ files: { 'compose.yml': compose('1.0.0+1.27.2') }, tags: [release('1.0.0+1.27.2'), release('1.0.1+1.27.3')] }]),
      errors: [
        {
          messageId: 'outdated',
          message: 'the version label says 1.0.0+1.27.2 but the latest release tag is 1.0.1+1.27.3',
          file: 'compose.yml',
          line: 8,
          col: 11,
          endLine: 8,
          endCol: 58,
        },
      ],
      output: { 'compose.yml': compose('1.0.1+1.27.3') },
    },
    {
      name: 'missing',
      recipe: () => gitRecipe([{ files: { 'compose.yml': compose(null) }, tags: [release('2.0.0+1.27.3')] }]),
      errors: [
        {
          messageId: 'missing',
          message: 'service "app" has no coop-cloud.${STACK_NAME}.version label; the latest release is 2.0.0+1.27.3',
          line: 6,
          col: 7,
          endLine: 6,
          endCol: 13,
        },
      ],
      output: { 'compose.yml': compose('2.0.0+1.27.3') },
    },
    {
      name: 'missing, in the map form of deploy.labels',
      recipe: () => gitRecipe([{ files: { 'compose.yml': mapLabels }, tags: [release('2.0.0+1.27.3')] }]),
      errors: [{ messageId: 'missing', line: 5, col: 7, endLine: 5, endCol: 13 }],
      output: { 'compose.yml': `${mapLabels}        coop-cloud.\${STACK_NAME}.version: 2.0.0+1.27.3\n` },
    },
    {
      name: 'not a version',
      recipe: () => gitRecipe([{ files: { 'compose.yml': compose('') }, tags: [release('0.1.0+1.27.3')] }]),
      errors: [{ messageId: 'invalid', line: 8, col: 11, endLine: 8, endCol: 46 }],
      output: { 'compose.yml': compose('0.1.0+1.27.3') },
    },
  ],
});

testRule(releaseTagAnnotated, {
  valid: [
    {
      name: 'annotated tags only',
      recipe: () => gitRecipe([{ files: { 'compose.yml': compose('1.0.0+1') }, tags: [release('1.0.0+1'), { name: 'experiment', annotated: true }] }]),
    },
  ],
  invalid: [
    {
      name: 'a lightweight tag that is no release: abra fails on it too',
      recipe: () => gitRecipe([{ files: { 'compose.yml': compose('1.0.0+1') }, tags: [release('1.0.0+1'), { name: 'experiment', annotated: false }] }]),
      errors: [
        {
          messageId: 'lightweightOther',
          message: 'tag experiment is lightweight, and abra recipe lint fails on any lightweight tag (R014): delete it, or make it annotated',
          line: 2,
          col: 1,
          endLine: 2,
          endCol: 9,
        },
      ],
    },
    {
      name: 'a lightweight release tag, pointed at the version label that names it',
      recipe: () => gitRecipe([{ files: { 'compose.yml': compose('1.0.0+1.27.3') }, tags: [release('1.0.0+1.27.3', false)] }]),
      errors: [{ messageId: 'lightweight', file: 'compose.yml', line: 8, col: 11, endLine: 8, endCol: 58 }],
    },
    {
      name: 'an older lightweight tag, reported at the services key',
      recipe: () => gitRecipe([{ files: { 'compose.yml': compose('1.1.0+1') }, tags: [release('1.0.0+1', false), release('1.1.0+1')] }]),
      errors: [{ messageId: 'lightweight', line: 2, col: 1, endLine: 2, endCol: 9 }],
    },
  ],
});

testRule(releaseNotes, {
  valid: [
    {
      name: 'notes for the latest release',
      recipe: () => gitRecipe([{ files: { 'compose.yml': compose('1.0.0+1'), 'release/1.0.0+1': 'First release.\n' }, tags: [release('1.0.0+1')] }]),
    },
    { name: 'no release yet', files: { 'compose.yml': compose(null) } },
  ],
  invalid: [
    {
      name: 'notes only for an older release',
      recipe: () => gitRecipe([{ files: { 'compose.yml': compose('1.0.0+1'), 'release/1.0.0+1': 'x\n' }, tags: [release('1.0.0+1'), release('1.1.0+1')] }]),
      errors: [
        {
          messageId: 'missing',
          message: 'the latest release 1.1.0+1 has no release notes (release/1.1.0+1)',
          file: 'release/1.1.0+1',
          line: 1,
          col: 1,
          endLine: 1,
          endCol: 1,
          severity: 'info',
        },
      ],
    },
  ],
});

const configCompose =
  'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}\n    file: nginx.conf\n';
const released = { 'compose.yml': configCompose, 'abra.sh': 'export NGINX_CONF_VERSION=v3\n', 'nginx.conf': 'worker_processes 1;\n' };

testRule(configVersionBump, {
  valid: [
    { name: 'unchanged since the release', recipe: () => gitRecipe([{ files: released, tags: [release('1.0.0+1.27.3')] }]) },
    {
      name: 'changed and bumped (committed after the tag)',
      recipe: () =>
        gitRecipe([
          { files: released, tags: [release('1.0.0+1.27.3')] },
          { files: { 'nginx.conf': 'worker_processes 2;\n', 'abra.sh': 'export NGINX_CONF_VERSION=v4\n' } },
        ]),
    },
    {
      name: 'a config that is new since the release',
      recipe: () => gitRecipe([{ files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n' }, tags: [release('1.0.0+1')] }], released),
    },
    { name: 'no release tag', recipe: () => gitRecipe([{ files: released }], { 'nginx.conf': 'changed\n' }) },
    {
      name: 'an older release linted at its tag is compared with the release before it, not with newer ones',
      recipe: () =>
        gitRecipe(
          [
            { files: released, tags: [release('1.0.0+1.27.3')] },
            { files: { 'nginx.conf': 'worker_processes 2;\n' }, tags: [release('1.1.0+1.27.3')] },
          ],
          {},
          '1.0.0+1.27.3',
        ),
    },
  ],
  invalid: [
    {
      name: 'changed in the work tree, version unchanged',
      recipe: () => gitRecipe([{ files: released, tags: [release('1.0.0+1.27.3')] }], { 'nginx.conf': 'worker_processes 4;\n' }),
      errors: [
        {
          messageId: 'notBumped',
          message:
            'nginx.conf changed since release 1.0.0+1.27.3 but config "nginx_conf" is still named demo_example_com_nginx_conf_v3: bump NGINX_CONF_VERSION',
          file: 'abra.sh',
          line: 1,
          col: 27,
          endLine: 1,
          endCol: 29,
        },
      ],
      output: { 'abra.sh': 'export NGINX_CONF_VERSION=v4\n' },
    },
    {
      name: 'changed in a later commit, version in a compose default only',
      recipe: () =>
        gitRecipe([
          {
            files: { ...released, 'abra.sh': '', 'compose.yml': configCompose.replace('${NGINX_CONF_VERSION}', '${NGINX_CONF_VERSION:-v1}') },
            tags: [release('1.0.0+1.27.3')],
          },
          { files: { 'nginx.conf': 'changed\n' } },
        ]),
      errors: [{ messageId: 'notBumped', file: 'compose.yml', line: 10, col: 36, endLine: 10, endCol: 61 }],
    },
  ],
});
