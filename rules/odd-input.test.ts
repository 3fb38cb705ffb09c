import { lintWithRule } from '@galley/linter/testing';
import { describe, expect, it } from '@jest/globals';
import { allRules } from './index.js';

/** Inputs of the wrong shape everywhere a rule looks: every rule must run through them without crashing. */
const ODD: Record<string, Record<string, string>> = {
  'root is a list': { 'compose.yml': '- a\n- b\n' },
  'root is a scalar': { 'compose.yml': 'hello\n' },
  'empty file': { 'compose.yml': '' },
  'services is null': { 'compose.yml': 'services:\n' },
  'a service is a scalar': { 'compose.yml': 'services:\n  app: nginx\n' },
  'fields of the wrong kind': {
    'compose.yml':
      'services:\n  app:\n    image: [x]\n    ports: {a: 1}\n    environment: 3\n    labels: true\n    deploy: yes\n    healthcheck: [a]\n    networks: 7\n    volumes: {x: y}\n    secrets: [{}, null, 3]\n    configs: [[1]]\n    depends_on: db\n    cap_add: NET_ADMIN\n    restart: [always]\n    privileged: [true]\n' +
      'networks: [a]\nvolumes: 3\nsecrets:\n  s: null\nconfigs:\n  c: [1]\nname: [x]\nversion: [3.8]\n',
  },
  'nulls inside lists and maps': {
    'compose.yml':
      'services:\n  app:\n    image:\n    ports: [null, ~, ""]\n    environment:\n      A:\n      B: ~\n    deploy:\n      labels: [null]\n      resources:\n        limits:\n          memory:\n    healthcheck:\n      test:\n      start_period: null\n',
  },
  'odd recipe files': {
    'compose.yml':
      'services:\n  app:\n    image: x:1\n    deploy:\n      labels: ["coop-cloud.${STACK_NAME}.timeout=abc", "coop-cloud.${STACK_NAME}.version"]\n',
    '.env.sample': 'COMPOSE_FILE=\n#COMPOSE_FILE=::\nSECRET__VERSION=\n=x\nnot an assignment\n',
    'abra.sh': 'export =1\nexport X_VERSION=\n',
    'README.md': '<!-- metadata -->\n* **Status**:\n* **Image**: ,,,\n',
  },
};

describe('odd input', () => {
  it.each(Object.entries(ODD))('%s: no rule crashes', async (_name, files) => {
    for (const rule of allRules) {
      await expect(lintWithRule(rule, { name: rule.meta.id, files })).resolves.toBeInstanceOf(Array);
      await expect(
        lintWithRule(rule, { name: rule.meta.id, files: { 'docker-compose.yml': files['compose.yml'] ?? '' }, composeFile: true }),
      ).resolves.toBeInstanceOf(Array);
    }
  });
});
