import type { Rule } from '@galley/linter';
import { isScalar, services } from '@galley/recipe';
import { fieldsAt } from '../_lib/fields.js';
import { checkDuration } from '../_lib/values.js';
import { originOf, unsetRefs, variablesAreUnknown } from '../_lib/variables.js';

/** Service fields Docker reads with Go's `time.ParseDuration`. */
export const DURATION_FIELDS: string[][] = [
  ['healthcheck', 'interval'],
  ['healthcheck', 'timeout'],
  ['healthcheck', 'start_period'],
  ['healthcheck', 'start_interval'],
  ['stop_grace_period'],
  ['deploy', 'update_config', 'delay'],
  ['deploy', 'update_config', 'monitor'],
  ['deploy', 'rollback_config', 'delay'],
  ['deploy', 'rollback_config', 'monitor'],
  ['deploy', 'restart_policy', 'delay'],
  ['deploy', 'restart_policy', 'window'],
];

const rule: Rule = {
  meta: {
    id: 'compose/invalid-duration',
    severity: 'error',
    category: 'correctness',
    description: 'Durations (healthcheck intervals, grace periods, update delays) are Go durations such as `30s` or `1m30s`, also after interpolation.',
    docs: {
      why: "Docker reads durations with Go's `time.ParseDuration`: a number followed by a unit (`ns`, `us`, `ms`, `s`, `m`, `h`), possibly several (`1m30s`). A bare number (`interval: 10`), a space (`10 s`), days (`1d`) or an empty value left by a variable make `docker stack deploy` refuse the whole stack. The schema rule reports a bare number written in the file; this rule checks the text of durations, also where it comes from a `${VAR}`, after interpolation.",
      fix: 'Write the duration with a unit and no spaces: `10s`, `1m30s`, `2h`. When the value comes from a variable, give the variable a valid value in `.env.sample` or a default (`${HEALTH_INTERVAL:-30s}`).',
      wrong:
        'services:\n  app:\n    image: nginx:1.27.3\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost"]\n      interval: 10\n      timeout: 10 s\n',
      right:
        'services:\n  app:\n    image: nginx:1.27.3\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost"]\n      interval: 10s\n      timeout: 10s\n',
    },
    messages: {
      invalid: '{{field}} of service "{{service}}" is "{{value}}", which is no duration: {{reason}}{{origin}}',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    const unknown = variablesAreUnknown(context);
    for (const tree of context.fullStack.files.values()) {
      for (const service of services(tree.root)) {
        for (const pattern of DURATION_FIELDS) {
          for (const { path, node } of fieldsAt(service.node, pattern)) {
            if (!isScalar(node) || node.value === null || typeof node.value === 'boolean') continue;
            if (unsetRefs(node).length && unknown) continue;
            // A number written as such is the schema rule's (`must be a string`); from a variable it is text here.
            if (typeof node.value === 'number') continue;
            const result = checkDuration(node.value);
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
