import { testRule } from '@galley/linter/testing';
import interpolation from './interpolation.js';
import variableInKey from './variable-in-key.js';

testRule(interpolation, {
  valid: [
    {
      name: 'escaped dollars and references',
      composeFile: true,
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    environment:\n      - A=5$$\n      - B=${B:?needed}\n' },
    },
    {
      name: "a required variable .env.sample does not mention is compose/undefined-variable's",
      files: { 'compose.yml': 'services:\n  app:\n    image: x:${TAG:?set TAG}\n', '.env.sample': 'DOMAIN=x\n' },
    },
  ],
  invalid: [
    {
      name: 'a lone $, and a required variable the .env sets empty',
      composeFile: true,
      files: { 'compose.yml': 'services:\n  app:\n    image: x:${TAG:?set TAG}\n    environment:\n      - PRICE=5$\n', '.env': 'TAG=\n' },
      errors: [
        { messageId: 'required', message: 'services.app.image: required variable TAG is missing a value: set TAG', line: 3, col: 14, endLine: 3, endCol: 29 },
        { messageId: 'invalid', line: 5, col: 16, endLine: 5, endCol: 17 },
      ],
    },
  ],
});

testRule(variableInKey, {
  valid: [
    {
      name: 'variables in values, in list form',
      files: {
        'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      labels:\n        - "traefik.http.routers.${STACK_NAME}.rule=Host(`x`)"\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a label key with ${STACK_NAME}',
      files: { 'compose.yml': 'services:\n  app:\n    image: x:1\n    deploy:\n      labels:\n        traefik.http.routers.${STACK_NAME}.rule: Host(`x`)\n' },
      errors: [
        {
          messageId: 'literal',
          message:
            'the key "traefik.http.routers.${STACK_NAME}.rule" keeps ${STACK_NAME} as written: keys are never interpolated, so every deploy uses this very name',
          line: 6,
          col: 9,
          endLine: 6,
          endCol: 48,
        },
      ],
    },
  ],
});
