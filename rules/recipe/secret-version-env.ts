import type { Rule } from '@galley/linter';
import { get, isScalar, topLevel } from '@galley/recipe';
import { appendLine } from '../_lib/edits.js';
import { recipeSecrets, secretVersionVariable } from '../_lib/secrets.js';

/** Secrets machines read (keys, salts, tokens) get random characters; passwords a passphrase. */
function modifierFor(secret: string): string {
  return /(key|salt|token|secret|cookie|hash|jwt)/i.test(secret) ? '  # length=64' : '';
}

const rule: Rule = {
  meta: {
    id: 'recipe/secret-version-env',
    severity: 'error',
    category: 'coop-cloud',
    description: 'Every secret has its `SECRET_<NAME>_VERSION` in `.env.sample`, and its name uses that variable.',
    docs: {
      why: "abra generates and rotates a secret `db_password` through `SECRET_DB_PASSWORD_VERSION` in the app's env file: the version goes into the secret's swarm name, and the trailing comment of that line says how to generate it (`# length=32`). Without the line in `.env.sample`, new apps lack the variable: the secret name ends in an empty version, `abra app secret generate` skips it, and the deploy fails on a secret that does not exist. A `name:` that uses another variable loses those modifiers.",
      fix: 'Add `SECRET_<NAME>_VERSION=v1` to `.env.sample` (commented out, `#SECRET_…`, when only an optional overlay uses the secret), with `# length=N` for secrets machines read, and name the secret `${STACK_NAME}_<name>_${SECRET_<NAME>_VERSION}`. `--fix` adds the line.',
      wrong:
        'services:\n  app:\n    image: postgres:16.4\n    secrets: [db_password]\nsecrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\n# .env.sample has no SECRET_DB_PASSWORD_VERSION line\n',
      right:
        'services:\n  app:\n    image: postgres:16.4\n    secrets: [db_password]\nsecrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\n# and .env.sample: SECRET_DB_PASSWORD_VERSION=v1\n',
    },
    messages: {
      missing: 'secret "{{secret}}" needs {{variable}} in .env.sample, which has no such line',
      mismatch: 'secret "{{secret}}" is versioned by {{used}}, but abra reads its version and generation settings from {{variable}}',
      noSuffix: 'secret "{{secret}}" is versioned by ${{{used}}}, but abra reads a secret\'s version from a variable ending in _VERSION: name it {{variable}}',
      unversioned: 'secret "{{secret}}" has no versioned name (`name: ${STACK_NAME}_{{secret}}_${{{variable}}}`), so it can never be rotated',
    },
    fixable: true,
    presets: ['recommended', 'coop-cloud'],
  },
  check(context) {
    const env = context.recipe.envSample;
    if (!env) return;
    const documented = new Set(env.entries.map((e) => e.name));
    const inDefault = new Set(topLevel(context.stack.root, 'secrets').map((s) => s.name));
    const lastSecretLine = [...env.entries].reverse().find((e) => /^SECRET_\w+_VERSION$/.test(e.name));
    for (const secret of recipeSecrets(context.fullStack)) {
      if (!secret.external) continue;
      const variable = secretVersionVariable(secret.name);
      const data = { secret: secret.name, variable };
      if (!secret.versionRef) {
        // `${STACK_NAME}_db_${SECRET_DB}`: versioned, but by a variable abra does not read as a version.
        const nameNode = get(secret.definition.node, 'name');
        const other = isScalar(nameNode) ? [...(nameNode.interpolation?.refs ?? [])].reverse().find((r) => r.name !== 'STACK_NAME') : undefined;
        if (other && nameNode) context.report({ messageId: 'noSuffix', span: other.span ?? nameNode.span, data: { ...data, used: other.name } });
        else context.report({ messageId: 'unversioned', span: secret.definition.keySpan, data });
        continue;
      }
      if (secret.versionRef.name !== variable) {
        context.report({ messageId: 'mismatch', span: secret.versionRef.span ?? secret.definition.keySpan, data: { ...data, used: secret.versionRef.name } });
        continue;
      }
      if (documented.has(variable)) continue;
      const line = `${inDefault.has(secret.name) ? '' : '#'}${variable}=v1${modifierFor(secret.name)}`;
      context.report({
        messageId: 'missing',
        span: secret.definition.keySpan,
        data,
        fix: { description: `add ${line.trim()} to .env.sample`, edits: [appendLine(env.file, env.text, line, lastSecretLine?.span.endOffset)] },
      });
    }
  },
};

export default rule;
