import { testRule } from '@galley/linter/testing';
import { describe, expect, it } from '@jest/globals';
import rule, { restartPolicyFor } from './restart-policy.js';

describe('restartPolicyFor', () => {
  it('maps every restart value compose knows', () => {
    expect(restartPolicyFor('always')).toEqual({ condition: 'any' });
    expect(restartPolicyFor('unless-stopped')).toEqual({ condition: 'any' });
    expect(restartPolicyFor('no')).toEqual({ condition: 'none' });
    expect(restartPolicyFor('on-failure')).toEqual({ condition: 'on-failure' });
    expect(restartPolicyFor('on-failure:3')).toEqual({ condition: 'on-failure', maxAttempts: 3 });
    expect(restartPolicyFor('sometimes')).toBeUndefined();
  });
});

testRule(rule, {
  valid: [
    {
      name: 'restart_policy under deploy',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      restart_policy:\n        condition: on-failure\n' },
    },
  ],
  invalid: [
    {
      name: 'no deploy: restart becomes a deploy block in place',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    restart: unless-stopped # keep it up\n    ports:\n      - "80:80"\n' },
      errors: [
        {
          messageId: 'restart',
          message: '`restart: unless-stopped` of service "app" is ignored by docker stack deploy; use deploy.restart_policy (condition: any)',
          line: 4,
          col: 5,
          endLine: 4,
          endCol: 12,
        },
      ],
      output: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      restart_policy:\n        condition: any\n    ports:\n      - "80:80"\n' },
    },
    {
      name: 'an existing deploy map gets the policy as its first key (4-space indent)',
      files: {
        'compose.yml':
          'services:\n    app:\n        image: x:1\n        restart: on-failure:5\n        deploy:\n            # labels\n            labels:\n                - a=b\n',
      },
      errors: [{ messageId: 'restart', line: 4, col: 9, endLine: 4, endCol: 16 }],
      output: {
        'compose.yml':
          'services:\n    app:\n        image: x:1\n        deploy:\n            # labels\n            restart_policy:\n                condition: on-failure\n                max_attempts: 5\n            labels:\n                - a=b\n',
      },
    },
    {
      name: 'a policy already set: restart is only removed',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    restart: always\n    deploy:\n      restart_policy:\n        condition: on-failure\n' },
      errors: [{ messageId: 'restartRedundant', line: 4, col: 5, endLine: 4, endCol: 12 }],
      output: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      restart_policy:\n        condition: on-failure\n' },
    },
    {
      name: 'the only key of an overlay service',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n', 'compose.prod.yml': 'services:\n  app:\n    restart: "no"\n' },
      errors: [{ messageId: 'restart', file: 'compose.prod.yml', line: 3, col: 5, endLine: 3, endCol: 12 }],
      output: { 'compose.prod.yml': 'services:\n  app:\n    deploy:\n      restart_policy:\n        condition: none\n' },
    },
    {
      name: 'a value from a variable, or in a flow map: reported without a fix',
      files: { '.env.sample': 'R=always\n', 'compose.yml': 'services:\n  a:\n    image: x:1\n    restart: ${R}\n  b: {image: x:1, restart: always}\n' },
      errors: [
        { messageId: 'restartUnknown', line: 4, col: 5, endLine: 4, endCol: 12 },
        { messageId: 'restart', line: 5, col: 19, endLine: 5, endCol: 26 },
      ],
    },
    {
      name: 'a lone compose file: suggested only',
      composeFile: true,
      files: { 'docker-compose.yml': 'services:\n  web:\n    image: x:1\n    restart: always\n' },
      errors: [
        {
          messageId: 'restart',
          line: 4,
          col: 5,
          endLine: 4,
          endCol: 12,
          suggestions: [
            { output: { 'docker-compose.yml': 'services:\n  web:\n    image: x:1\n    deploy:\n      restart_policy:\n        condition: any\n' } },
          ],
        },
      ],
      output: null,
    },
  ],
});
