import { parseEnvFile, type Span } from '@galley/recipe';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_WORDLIST } from 'secure-password-utilities/wordlists';
import type { StackObject } from './render.js';
import { checkObjectName, describeSource, generateSecretValue, manualSecretsError, planSecrets, secretSource } from './secrets.js';

const span: Span = { file: 'compose.yml', line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };
function secret(key: string, versionVariable?: string, name = `app_${key}_v1`): StackObject {
  const o: StackObject = { kind: 'secret', key, name, external: true, span, usedBy: ['app'] };
  if (versionVariable) {
    o.versionVariable = versionVariable;
    o.version = 'v1';
  }
  return o;
}

describe('secret sources', () => {
  const env = parseEnvFile(
    [
      'SECRET_A_VERSION=v1 # length=32',
      'SECRET_B_VERSION=v1',
      'SECRET_C_VERSION=v1 # generate=false',
      'SECRET_D_VERSION=v1 # length=20 charset=hex',
      'SECRET_E_VERSION=v1 # length=12 charset=alnum,special',
      'SECRET_F_VERSION=v1 # length=twelve',
      'SECRET_G_VERSION=v1 # length=8 charset=emoji',
    ].join('\n'),
    'app.env',
  );

  it('reads length, charset and generate from the version line', () => {
    expect(secretSource(secret('a', 'SECRET_A_VERSION'), env)).toMatchObject({ kind: 'characters', length: 32, charset: 'default' });
    expect(secretSource(secret('b', 'SECRET_B_VERSION'), env)).toEqual({ kind: 'passphrase', words: 6 });
    expect(secretSource(secret('c', 'SECRET_C_VERSION'), env)).toEqual({ kind: 'manual' });
    expect(secretSource(secret('d', 'SECRET_D_VERSION'), env)).toMatchObject({ kind: 'characters', length: 20, alphabet: '0123456789abcdef' });
    expect(secretSource(secret('x'), env)).toEqual({ kind: 'manual' });
  });

  it('rejects unusable modifiers at their line', () => {
    expect(() => secretSource(secret('f', 'SECRET_F_VERSION'), env)).toThrow(/SECRET_F_VERSION: length=twelve is not a whole number/);
    try {
      secretSource(secret('g', 'SECRET_G_VERSION'), env);
      throw new Error('no error');
    } catch (error) {
      expect((error as Error).message).toMatch(/unknown charset "emoji"; galley knows alnum, default, digits, hex, lower, safe, special, upper/);
      expect((error as { span: Span }).span.line).toBe(7);
    }
  });

  it('generates values of the right length from the right alphabet', () => {
    const source = secretSource(secret('a', 'SECRET_A_VERSION'), env);
    const values = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const v = generateSecretValue(source);
      expect(v).toMatch(/^[A-Za-z0-9]{32}$/);
      values.add(v);
    }
    expect(values.size).toBe(50);
    const special = secretSource(secret('e', 'SECRET_E_VERSION'), env);
    const joined = Array.from({ length: 200 }, () => generateSecretValue(special)).join('');
    expect(joined).toMatch(/^[A-Za-z0-9!#%+,\-.:=?@^_~]+$/);
    expect(joined).toMatch(/[!#%+,\-.:=?@^_~]/);
  });

  it('makes passphrases of words from the EFF list', () => {
    const words = generateSecretValue({ kind: 'passphrase', words: 6 }).split('-');
    expect(words).toHaveLength(6);
    for (const w of words) expect(DEFAULT_WORDLIST).toContain(w);
    expect(() => generateSecretValue({ kind: 'manual' })).toThrow();
    expect(describeSource({ kind: 'passphrase', words: 6 })).toBe('6-word passphrase');
  });

  it('plans what exists and says how to insert what must not be generated', () => {
    const plans = planSecrets([secret('a', 'SECRET_A_VERSION'), secret('c', 'SECRET_C_VERSION')], env, new Set(['app_a_v1']));
    expect(plans.map((p) => [p.name, p.exists, p.source.kind])).toEqual([
      ['app_a_v1', true, 'characters'],
      ['app_c_v1', false, 'manual'],
    ]);
    expect(manualSecretsError(plans, 'app.env')?.message).toContain('galley secret insert app.env c v1 -');
  });

  it('refuses names over docker’s 64 characters before creating anything', () => {
    expect(() => checkObjectName(secret('k', undefined, 'x'.repeat(65)))).toThrow(/65 characters\); docker allows 64/);
    expect(() => checkObjectName(secret('k', undefined, 'x'.repeat(64)))).not.toThrow();
  });
});
