import type { Rule } from '@galley/linter';
import { checkUndefinedReferences } from '../_lib/references.js';

const rule: Rule = {
  meta: {
    id: 'compose/undefined-secret',
    severity: 'error',
    category: 'correctness',
    description: 'Every secret a service uses is defined under top-level `secrets`.',
    docs: {
      why: '`docker stack deploy` refuses a service that uses a secret the stack does not declare ("service app refers to undefined secret db_password"). In a recipe this often happens when an overlay adds a secret to a service but the secret itself is declared in another overlay.',
      fix: 'Declare the secret under top-level `secrets` in the same file as the service that uses it. Recipes declare generated secrets as `external: true` with a versioned name: `name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}`.',
      wrong: 'services:\n  app:\n    image: postgres:16.4\n    secrets:\n      - db_password\n',
      right:
        'services:\n  app:\n    image: postgres:16.4\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\n',
    },
    messages: {
      undefined: 'service "{{service}}" uses secret "{{name}}", which no compose file declares under top-level `secrets`',
      notInDefault: 'service "{{service}}" uses secret "{{name}}", which only {{files}} declares, and COMPOSE_FILE in .env.sample leaves that file out',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkUndefinedReferences(context, 'secrets');
  },
};

export default rule;
