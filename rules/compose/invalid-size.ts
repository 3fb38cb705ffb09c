import type { Rule } from '@galley/linter';
import { isScalar, services } from '@galley/recipe';
import { fieldsAt } from '../_lib/fields.js';
import { checkByteSize } from '../_lib/values.js';
import { originOf, unsetRefs, variablesAreUnknown } from '../_lib/variables.js';

/** Service fields Docker reads as byte sizes (`units.RAMInBytes`). */
const SIZE_FIELDS: string[][] = [
  ['deploy', 'resources', 'limits', 'memory'],
  ['deploy', 'resources', 'reservations', 'memory'],
  ['shm_size'],
  ['mem_limit'],
  ['mem_reservation'],
  ['memswap_limit'],
  ['volumes', '#', 'tmpfs', 'size'],
];

const SWARM_UNREAD = new Set(['shm_size', 'mem_limit', 'mem_reservation', 'memswap_limit']);

const rule: Rule = {
  meta: {
    id: 'compose/invalid-size',
    severity: 'error',
    category: 'correctness',
    description: 'Memory limits and other byte sizes are numbers with an optional unit (`512m`, `1g`), also after interpolation.',
    docs: {
      why: 'Docker reads `deploy.resources.*.memory`, `shm_size` and tmpfs sizes as a number with an optional unit `b`, `k`, `m`, `g`, `t` or `p`. Anything else (`1 GB`, `1gig`, an empty `${DB_MEMORY}`) makes the deploy fail with "invalid size". Recipes often take the limit from a variable, which the JSON schema cannot check.',
      fix: 'Write sizes like `512M`, `1G` or `1.5g`, or a number of bytes. When the value comes from a variable, give it a valid value in `.env.sample` or a default (`${DB_MEMORY:-1G}`).',
      wrong: 'services:\n  db:\n    image: postgres:16.4\n    deploy:\n      resources:\n        limits:\n          memory: 1 gig\n',
      right: 'services:\n  db:\n    image: postgres:16.4\n    deploy:\n      resources:\n        limits:\n          memory: 1G\n',
    },
    messages: { invalid: '{{field}} of service "{{service}}" is "{{value}}", which is no size: {{reason}}{{origin}}' },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    const unknown = variablesAreUnknown(context);
    for (const tree of context.fullStack.files.values()) {
      for (const service of services(tree.root)) {
        for (const pattern of SIZE_FIELDS) {
          for (const { path, node } of fieldsAt(service.node, pattern)) {
            if (!isScalar(node) || typeof node.value !== 'string') continue;
            if (unsetRefs(node).length && unknown) continue;
            if (path === 'memswap_limit' && node.value.trim() === '-1') continue;
            // docker stack deploy never reads these (it ignores shm_size, refuses the others): swarm rules say so.
            if (context.settings.swarm && SWARM_UNREAD.has(path)) continue;
            const result = checkByteSize(node.value);
            if (result.ok) continue;
            context.report({
              messageId: 'invalid',
              node,
              data: { field: path, service: service.name, value: node.value, reason: result.reason, origin: originOf(node, context) },
            });
          }
        }
      }
    }
  },
};

export default rule;
