import type { Rule } from '@galley/linter';
import { checkServiceKeys, DOCKER_VERSION_OPTIONS } from './_data/check-service-keys.js';

const rule: Rule = {
  meta: {
    id: 'swarm/deprecated-key',
    severity: 'warning',
    category: 'swarm',
    description: 'No service uses keys `docker stack deploy` ignores as deprecated (`container_name`, `expose`).',
    docs: {
      why: '`container_name` and `expose` were dropped from the v3 file format: swarm names containers itself (a fixed name could not work with several replicas) and services on a shared network reach each other on every port anyway. `docker stack deploy` ignores both with a warning, so they only mislead readers about how the service is reached.',
      fix: 'Remove the key. Other services reach this one by its service name (`db`, or `<stack>_db` from other stacks on a shared network). `--fix` removes it in recipes.',
      wrong: 'services:\n  db:\n    image: postgres:16.4\n    container_name: postgres\n    expose:\n      - "5432"\n',
      right: 'services:\n  db:\n    image: postgres:16.4\n',
    },
    messages: { deprecated: '`{{key}}` of service "{{service}}" is deprecated and ignored by docker stack deploy: {{advice}}' },
    options: DOCKER_VERSION_OPTIONS,
    fixable: true,
    hasSuggestions: true,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkServiceKeys(context, 'deprecated');
  },
};

export default rule;
