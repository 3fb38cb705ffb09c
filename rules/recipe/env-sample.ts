import type { Rule } from '@galley/linter';
import { fileStart } from '../_lib/compose.js';

const rule: Rule = {
  meta: {
    id: 'recipe/env-sample',
    severity: 'error',
    category: 'coop-cloud',
    description: "A recipe has a `.env.sample`, and its values expand within galley's limits.",
    docs: {
      why: "`abra app new` copies `.env.sample` into the new app's env file: it is where `TYPE`/`RECIPE`, `DOMAIN`, `COMPOSE_FILE` and the secret versions come from. A recipe without it cannot be installed with abra (R008), and nothing tells an operator which settings exist.",
      fix: 'Add `.env.sample` with at least `TYPE=<recipe>` and `DOMAIN=<recipe>.example.com`, then every variable the compose files use (optional ones commented out) and a `SECRET_<NAME>_VERSION=v1` line per secret. `--fix` creates a minimal one.',
      wrong: '# (no .env.sample in the recipe)\n',
      right:
        "TYPE=myapp\n\nDOMAIN=myapp.example.com\n## Domain aliases\n#EXTRA_DOMAINS=', `www.myapp.example.com`'\nLETS_ENCRYPT_ENV=production\n\nSECRET_DB_PASSWORD_VERSION=v1\n",
      exampleFile: '.env.sample',
    },
    messages: { missing: 'the recipe has no .env.sample, so abra cannot create apps from it', limit: '{{message}}' },
    fixable: true,
    composeIndependent: true,
    presets: ['recommended', 'coop-cloud'],
    abra: 'R008',
  },
  check(context) {
    const recipe = context.recipe;
    // Values that expand beyond galley's limits (see parseEnvFile) are not expanded; say so.
    for (const d of recipe.envSample?.diagnostics ?? []) {
      if (d.code === 'env-limit' && d.span) context.report({ messageId: 'limit', span: d.span, data: { message: d.message } });
    }
    if (recipe.envSample || recipe.files.includes('.env.sample')) return;
    context.report({
      messageId: 'missing',
      span: fileStart('.env.sample'),
      fix: {
        description: 'create .env.sample',
        edits: [
          { file: '.env.sample', offset: 0, endOffset: 0, text: `TYPE=${recipe.name}\n\nDOMAIN=${recipe.name}.example.com\nLETS_ENCRYPT_ENV=production\n` },
        ],
      },
    });
  },
};

export default rule;
