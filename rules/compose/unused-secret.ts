import type { Rule } from '@galley/linter';
import { checkUnused } from '../_lib/unused.js';

const rule: Rule = {
  meta: {
    id: 'compose/unused-secret',
    severity: 'warning',
    category: 'best-practice',
    description: 'Every secret declared under top-level `secrets` is used by some service.',
    docs: {
      why: 'An external secret must exist before the stack deploys, even when no service uses it: operators are made to generate and store a secret for nothing, and `abra app secret generate` creates it. More often a service lost its `secrets` entry and reads an empty password file.',
      fix: 'Add the secret to the `secrets` of the service that needs it, or remove the declaration (and its `SECRET_<NAME>_VERSION` line in `.env.sample`).',
      wrong:
        'services:\n  app:\n    image: postgres:16.4\nsecrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\n',
      right:
        'services:\n  app:\n    image: postgres:16.4\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\n',
    },
    messages: { unused: 'secret "{{name}}" is declared but no service uses it' },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkUnused(context, 'secrets');
  },
};

export default rule;
