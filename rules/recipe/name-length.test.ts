import { runRules } from '@galley/linter';
import { loadTestRecipe, testRule } from '@galley/linter/testing';
import { describe, expect, it } from '@jest/globals';
import objectNameLength from './object-name-length.js';
import secretNameLength from './secret-name-length.js';

const secret = (key: string) => `  ${key}:\n    external: true\n    name: \${STACK_NAME}_${key}_\${SECRET_${key.toUpperCase()}_VERSION}\n`;

testRule(secretNameLength, {
  valid: [
    { name: '12 characters', files: { 'compose.yml': `secrets:\n${secret('db_password1')}${secret('abcdefghijkl')}` } },
    { name: '13 characters under a configured max of 13', options: { max: 13 }, files: { 'compose.yml': `secrets:\n${secret('smtp_password')}` } },
  ],
  invalid: [
    {
      name: '13 characters, in an overlay',
      files: { 'compose.yml': 'services: {}\n', 'compose.smtp.yml': `secrets:\n${secret('smtp_password')}` },
      errors: [
        {
          messageId: 'long',
          message: 'secret name "smtp_password" is 13 characters; abra recommends at most 12',
          file: 'compose.smtp.yml',
          line: 2,
          col: 3,
          endLine: 2,
          endCol: 16,
        },
      ],
    },
    {
      name: 'over a configured max',
      options: { max: 8 },
      files: { 'compose.yml': `secrets:\n${secret('db_password')}` },
      errors: [{ message: 'secret name "db_password" is 11 characters; the configured limit is 8', line: 2, col: 3, endLine: 2, endCol: 14 }],
    },
  ],
});

testRule(objectNameLength, {
  valid: [
    { name: 'short enough', files: { '.env.sample': 'SECRET_DB_PASSWORD_VERSION=v1\n', 'compose.yml': `secrets:\n${secret('db_password')}` } },
    {
      name: 'a name without STACK_NAME is not prefixed',
      files: { 'compose.yml': 'secrets:\n  shared:\n    external: true\n    name: a_very_long_shared_secret_name_that_is_shared_between_many_stacks_x\n' },
    },
  ],
  invalid: [
    {
      name: 'a long secret',
      files: { '.env.sample': 'SECRET_GHOST_WEBHOOK_SECRET_VERSION=v1\n', 'compose.yml': `secrets:\n${secret('ghost_webhook_secret')}` },
      errors: [
        {
          messageId: 'tooLong',
          message:
            'secret "ghost_webhook_secret" becomes "<stack>_ghost_webhook_secret_v1" (69 characters) with a 45-character stack name; Docker refuses names over 64',
          line: 4,
          col: 11,
          endLine: 4,
          endCol: 84,
        },
      ],
    },
    {
      name: 'a config without a name gets <stack>_<key>',
      files: { 'compose.yml': 'configs:\n  an_extremely_long_configuration_name:\n    file: x.conf\n' },
      errors: [
        {
          message:
            'config "an_extremely_long_configuration_name" becomes "<stack>_an_extremely_long_configuration_name" (82 characters) with a 45-character stack name; Docker refuses names over 64',
          line: 2,
          col: 3,
          endLine: 2,
          endCol: 39,
        },
      ],
    },
  ],
});

describe('a long secret name under both rules', () => {
  it('gets one finding, from recipe/secret-name-length', async () => {
    const recipe = await loadTestRecipe({
      name: 'both',
      files: { 'compose.yml': `services:\n  app:\n    image: x:1\n    secrets: [db_root_password_x]\nsecrets:\n${secret('db_root_password_x')}` },
    });
    const rules = [objectNameLength, secretNameLength].map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));
    const { findings } = await runRules(recipe, rules);
    expect(findings.map((f) => f.ruleId)).toEqual(['recipe/secret-name-length']);
    // alone, object-name-length still reports it
    const alone = await runRules(recipe, [rules[0]!]);
    expect(alone.findings.map((f) => f.ruleId)).toEqual(['recipe/object-name-length']);
  });
});
