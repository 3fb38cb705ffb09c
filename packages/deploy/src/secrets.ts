import { randomInt } from 'node:crypto';
import { GalleyError, indentedList } from '@galley/platform';
import type { Docker } from '@galley/platform/docker';
import { type EnvFile, envEntry, type Span } from '@galley/recipe';
import { DEFAULT_WORDLIST } from 'secure-password-utilities/wordlists';
import { MAX_OBJECT_NAME_LENGTH, type StackObject } from './render.js';

/**
 * Swarm secrets of an app: `<stack>_<secret>_<version>`, immutable once
 * created (rotating one means a new version in the env file). Values are
 * generated in memory and go to the engine in the body of one API request
 * (`POST /secrets/create`): they never appear in arguments, output, logs,
 * error messages or files.
 */

/** How a missing secret is made, from the modifiers of its `SECRET_*_VERSION` line. */
export type SecretSource =
  | { kind: 'characters'; length: number; charset: string; alphabet: string }
  | { kind: 'passphrase'; words: number }
  | { kind: 'manual' };

export interface SecretPlan extends StackObject {
  kind: 'secret';
  exists: boolean;
  source: SecretSource;
}

/** Words in a generated passphrase: 6 words of the EFF long list, about 77 bits. */
export const PASSPHRASE_WORDS = 6;
export const MAX_SECRET_LENGTH = 4096;

const CHARSETS: Record<string, string> = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hex: '0123456789abcdef',
  // Punctuation that survives env files, YAML, URLs' userinfo after encoding, and shells in double quotes.
  special: '!#%+,-.:=?@^_~',
};
CHARSETS.alnum = CHARSETS.lower! + CHARSETS.upper! + CHARSETS.digits!;
CHARSETS.safe = CHARSETS.alnum!;
CHARSETS.default = CHARSETS.alnum!;

/** The named character sets `charset=` accepts (comma-separated: `charset=alnum,special`). */
export const CHARSET_NAMES = Object.keys(CHARSETS).sort();

/** Reads `length=`, `charset=` and `generate=` from the secret's version line in the env file. */
export function secretSource(object: StackObject, env: EnvFile): SecretSource {
  const entry = object.versionVariable ? envEntry(env, object.versionVariable) : undefined;
  if (!entry) return object.versionVariable ? { kind: 'passphrase', words: PASSPHRASE_WORDS } : { kind: 'manual' };
  const modifiers = entry.modifiers;
  const where: { span: Span } = { span: entry.commentSpan ?? entry.span };
  if (modifiers.generate !== undefined && /^(false|no|0)$/i.test(modifiers.generate)) return { kind: 'manual' };
  if (modifiers.length === undefined) {
    if (modifiers.charset !== undefined) throw new GalleyError('secret-bad-modifier', `${entry.name}: charset= needs length=N too`, where);
    return { kind: 'passphrase', words: PASSPHRASE_WORDS };
  }
  const length = Number(modifiers.length);
  if (!Number.isInteger(length) || length < 1 || length > MAX_SECRET_LENGTH) {
    throw new GalleyError('secret-bad-modifier', `${entry.name}: length=${modifiers.length} is not a whole number from 1 to ${MAX_SECRET_LENGTH}`, where);
  }
  const charset = modifiers.charset ?? 'default';
  let alphabet = '';
  for (const name of charset.split(',').map((s) => s.trim().toLowerCase())) {
    const chars = CHARSETS[name];
    if (chars === undefined) {
      throw new GalleyError('secret-bad-modifier', `${entry.name}: unknown charset "${name}"; galley knows ${CHARSET_NAMES.join(', ')}`, where);
    }
    for (const c of chars) if (!alphabet.includes(c)) alphabet += c;
  }
  return { kind: 'characters', length, charset, alphabet };
}

/** A fresh secret value. Uniform choices from crypto.randomInt (no modulo bias). */
export function generateSecretValue(source: SecretSource): string {
  if (source.kind === 'manual') throw new Error('a secret with generate=false is never generated');
  if (source.kind === 'characters') {
    let out = '';
    for (let i = 0; i < source.length; i++) out += source.alphabet[randomInt(source.alphabet.length)];
    return out;
  }
  const words: string[] = [];
  for (let i = 0; i < source.words; i++) words.push(DEFAULT_WORDLIST[randomInt(DEFAULT_WORDLIST.length)]!);
  return words.join('-');
}

/** What generating would make, in words (never the value). */
export function describeSource(source: SecretSource): string {
  if (source.kind === 'manual') return 'inserted by hand (generate=false)';
  if (source.kind === 'passphrase') return `${source.words}-word passphrase`;
  return `${source.length} characters${source.charset === 'default' ? '' : ` (${source.charset})`}`;
}

/** Names of every secret in the swarm. */
export async function swarmSecretNames(docker: Docker): Promise<Set<string>> {
  return new Set((await docker.secrets()).map((s) => s.Spec.Name));
}

/** Docker refuses names over 64 characters; say so before creating anything. */
export function checkObjectName(object: StackObject): void {
  if (object.name.length <= MAX_OBJECT_NAME_LENGTH) return;
  throw new GalleyError(
    'object-name-too-long',
    `${object.kind} ${object.key} would be named ${object.name} (${object.name.length} characters); docker allows ${MAX_OBJECT_NAME_LENGTH}: use a shorter ${object.kind} name in the recipe or a shorter domain`,
    { span: object.span },
  );
}

/** The stack's external secrets (those galley creates), with whether each exists and how to make it. */
export function planSecrets(objects: readonly StackObject[], env: EnvFile, existing: ReadonlySet<string>): SecretPlan[] {
  return objects
    .filter((o) => o.kind === 'secret' && o.external)
    .map((o) => ({ ...o, kind: 'secret' as const, exists: existing.has(o.name), source: secretSource(o, env) }));
}

/** Creates a secret (the value only in the request body); `secret-exists` when the name is taken. */
export async function createSecret(docker: Docker, name: string, value: string): Promise<void> {
  try {
    await docker.createSecret(name, value);
  } catch (error) {
    if (error instanceof GalleyError && error.code === 'secret-exists') {
      throw new GalleyError('secret-exists', `secret ${name} already exists: secrets are immutable; bump its version in the env file to rotate it`);
    }
    throw error;
  }
}

/** The error for secrets that must be inserted by hand, with the command for each. */
export function manualSecretsError(plans: readonly SecretPlan[], appFile: string): GalleyError | undefined {
  const missing = plans.filter((p) => !p.exists && p.source.kind === 'manual');
  if (!missing.length) return undefined;
  const lines = missing.map((p) => {
    if (p.versionVariable && p.version !== undefined)
      return `${p.name}: galley secret insert ${appFile} ${p.key} ${p.version} -   (reads the value from stdin)`;
    return `${p.name}: docker secret create ${p.name} -   (reads the value from stdin)`;
  });
  return new GalleyError(
    'secret-needs-insert',
    `${missing.length === 1 ? 'a secret galley must not generate is' : `${missing.length} secrets galley must not generate are`} missing; insert ${missing.length === 1 ? 'it' : 'them'}, then deploy again:\n${indentedList(lines)}`,
    { exitCode: 2 },
  );
}

/** Removes secrets by name; returns the ones removed. Docker refuses to remove a secret a service still uses. */
export async function removeSecrets(docker: Docker, names: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const name of names) {
    try {
      await docker.removeSecret(name);
    } catch (error) {
      if (error instanceof GalleyError && /in use/i.test(error.message)) {
        throw new GalleyError(
          'secret-in-use',
          `secret ${name} is in use by a service: deploy a version that no longer uses it (or undeploy the app) first${removed.length ? `; removed before it: ${removed.join(', ')}` : ''}`,
          { exitCode: 1 },
        );
      }
      throw error;
    }
    removed.push(name);
  }
  return removed;
}
