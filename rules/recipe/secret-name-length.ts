import type { Rule } from '@galley/linter';
import { recipeSecrets } from '../_lib/secrets.js';

const MAX = 12;

const rule: Rule = {
  meta: {
    id: 'recipe/secret-name-length',
    severity: 'warning',
    category: 'coop-cloud',
    description: `Secret names are at most ${MAX} characters.`,
    docs: {
      why: `A secret \`db_password\` becomes the swarm object \`<stack>_db_password_<version>\`, and Docker refuses object names over 64 characters. Stack names come from the app's domain and may be 45 characters long, which leaves little room: abra warns about secret names longer than ${MAX} characters (R015). \`recipe/object-name-length\` computes the exact length.`,
      fix: `Shorten the secret's name (the key under top-level \`secrets\`) to ${MAX} characters or fewer, e.g. \`smtp_password\` → \`smtp_pass\`, and rename its \`SECRET_<NAME>_VERSION\` in \`.env.sample\` and its uses in services to match.`,
      wrong: 'secrets:\n  oauth_client_secret:\n    external: true\n    name: ${STACK_NAME}_oauth_client_secret_${SECRET_OAUTH_CLIENT_SECRET_VERSION}\n',
      right: 'secrets:\n  oauth_secret:\n    external: true\n    name: ${STACK_NAME}_oauth_secret_${SECRET_OAUTH_SECRET_VERSION}\n',
    },
    messages: { long: 'secret name "{{secret}}" is {{length}} characters; {{limit}}' },
    options: {
      type: 'object',
      properties: { max: { type: 'integer', minimum: 1, maximum: 64, description: `The longest name allowed (default ${MAX}, abra's limit).` } },
      additionalProperties: false,
    },
    defaultOptions: { max: MAX },
    fixable: false,
    presets: ['coop-cloud'],
    abra: 'R015',
  },
  check(context) {
    const max = (context.options.max as number | undefined) ?? MAX;
    const limit = max === MAX ? `abra recommends at most ${MAX}` : `the configured limit is ${max}`;
    for (const secret of recipeSecrets(context.fullStack)) {
      if (secret.name.length <= max) continue;
      context.report({
        messageId: 'long',
        span: secret.definition.keySpan,
        data: { secret: secret.name, length: secret.name.length, limit },
        remediation: `Rename secret "${secret.name}" to at most ${max} characters (keys, the \`secrets\` of its services, its name and SECRET_…_VERSION in .env.sample together).`,
      });
    }
  },
};

export default rule;
