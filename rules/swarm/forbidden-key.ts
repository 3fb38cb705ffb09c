import type { Rule } from '@galley/linter';
import { checkServiceKeys, DOCKER_VERSION_OPTIONS } from './_data/check-service-keys.js';

const rule: Rule = {
  meta: {
    id: 'swarm/forbidden-key',
    severity: 'error',
    category: 'swarm',
    description: 'No service uses keys that make `docker stack deploy` refuse the stack (`extends`, `volumes_from`, `mem_limit`, …).',
    docs: {
      why: '`docker stack deploy` refuses the whole file ("Configuration contains forbidden properties") when a service uses `extends`, `volume_driver`, `volumes_from`, `cpu_quota`, `cpu_shares`, `cpuset`, `mem_limit` or `memswap_limit`. These are `docker compose` (v2 format) features with a swarm equivalent.',
      fix: 'Use the swarm equivalent the message names: resource limits go under `deploy.resources`, shared volumes are declared at the top level and mounted by each service, `extends` becomes a YAML anchor or an overlay file.',
      wrong: 'services:\n  db:\n    image: postgres:16.4\n    mem_limit: 1g\n',
      right: 'services:\n  db:\n    image: postgres:16.4\n    deploy:\n      resources:\n        limits:\n          memory: 1g\n',
    },
    messages: { forbidden: '`{{key}}` of service "{{service}}" makes docker stack deploy refuse the stack: {{advice}}' },
    options: DOCKER_VERSION_OPTIONS,
    fixable: false,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkServiceKeys(context, 'forbidden');
  },
};

export default rule;
