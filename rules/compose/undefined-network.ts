import type { Rule } from '@galley/linter';
import { checkUndefinedReferences } from '../_lib/references.js';

const rule: Rule = {
  meta: {
    id: 'compose/undefined-network',
    severity: 'error',
    category: 'correctness',
    description: 'Every network a service joins is defined under top-level `networks` (or is the implicit `default`).',
    docs: {
      why: '`docker stack deploy` refuses a stack whose service joins a network the file does not declare ("service app refers to undefined network proxy"), so nothing of the stack is deployed. Only `default` exists without a declaration. In a recipe, a network an overlay declares is missing from every deploy that leaves that overlay out.',
      fix: "Declare the network under top-level `networks` in the same compose file as the service that joins it (or in the base `compose.yml`). A network shared with other stacks, such as Traefik's `proxy`, is declared with `external: true`.",
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    networks:\n      - proxy\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    networks:\n      - proxy\nnetworks:\n  proxy:\n    external: true\n',
    },
    messages: {
      undefined: 'service "{{service}}" joins network "{{name}}", which no compose file declares under top-level `networks`',
      notInDefault: 'service "{{service}}" joins network "{{name}}", which only {{files}} declares, and COMPOSE_FILE in .env.sample leaves that file out',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkUndefinedReferences(context, 'networks');
  },
};

export default rule;
