import type { Rule } from '@galley/linter';
import { checkUnused } from '../_lib/unused.js';

const rule: Rule = {
  meta: {
    id: 'compose/unused-network',
    severity: 'warning',
    category: 'best-practice',
    description: 'Every network declared under top-level `networks` is joined by some service.',
    docs: {
      why: "A declared network no service joins is created for nothing (or, when external, must exist for nothing) and usually means a service lost its `networks` entry by mistake, for example Traefik's `proxy` network declared while the `app` service does not join it, so Traefik cannot reach the app.",
      fix: 'Add the network to the services that should join it, or remove the declaration.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\nnetworks:\n  proxy:\n    external: true\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    networks:\n      - proxy\nnetworks:\n  proxy:\n    external: true\n',
    },
    messages: { unused: 'network "{{name}}" is declared but no service joins it' },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkUnused(context, 'networks');
  },
};

export default rule;
