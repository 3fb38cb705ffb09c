import type { Rule } from '@galley/linter';
import { recipeSecrets, secretVersionVariable } from '../_lib/secrets.js';

const rule: Rule = {
  meta: {
    id: 'recipe/unused-secret-version',
    severity: 'warning',
    category: 'coop-cloud',
    description: 'Every `SECRET_<NAME>_VERSION` in `.env.sample` belongs to a secret of some compose file.',
    docs: {
      why: 'A `SECRET_<NAME>_VERSION` line makes `abra app secret generate` create a secret in the swarm. When no compose file declares that secret (it was renamed or removed), operators generate and store a secret nothing uses, or the line is a typo of the name that was meant, and the real secret is never generated.',
      fix: 'Remove the line, or rename it to match the secret it belongs to: secret `db_password` reads `SECRET_DB_PASSWORD_VERSION`.',
      wrong: 'SECRET_DB_PASSWD_VERSION=v1\n',
      right: 'SECRET_DB_PASSWORD_VERSION=v1\n',
      exampleFile: '.env.sample',
    },
    messages: { unused: '{{variable}} versions no secret: no compose file declares a secret "{{secret}}"' },
    fixable: false,
    hasSuggestions: true,
    presets: ['recommended', 'coop-cloud'],
  },
  check(context) {
    const env = context.recipe.envSample;
    if (!env) return;
    const used = new Set<string>();
    for (const secret of recipeSecrets(context.fullStack)) {
      used.add(secretVersionVariable(secret.name));
      if (secret.versionRef) used.add(secret.versionRef.name);
    }
    for (const entry of env.entries) {
      const m = /^SECRET_(\w+)_VERSION$/.exec(entry.name);
      if (!m || used.has(entry.name)) continue;
      context.report({
        messageId: 'unused',
        span: entry.nameSpan,
        data: { variable: entry.name, secret: m[1]!.toLowerCase() },
        suggestions: [
          {
            description: `remove ${entry.name} from .env.sample`,
            edits: [{ file: env.file, offset: env.lines.lineStart(entry.span.line), endOffset: Math.min(env.text.length, entry.span.endOffset + 1), text: '' }],
          },
        ],
      });
    }
  },
};

export default rule;
