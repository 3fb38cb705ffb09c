import type { Rule } from '@galley/linter';
import { isScalar, services } from '@galley/recipe';
import { fieldsAt } from '../_lib/fields.js';
import { refsOf, unsetRefs, variableList, variablesAreUnknown } from '../_lib/variables.js';

type FieldType = 'int' | 'float' | 'bool';

/**
 * Service fields compose reads as numbers or booleans even when written as
 * `${VAR}` (port fields are `compose/invalid-port`'s).
 */
const TYPED_FIELDS: [path: string[], type: FieldType][] = [
  [['deploy', 'replicas'], 'int'],
  [['deploy', 'update_config', 'parallelism'], 'int'],
  [['deploy', 'update_config', 'max_failure_ratio'], 'float'],
  [['deploy', 'rollback_config', 'parallelism'], 'int'],
  [['deploy', 'rollback_config', 'max_failure_ratio'], 'float'],
  [['deploy', 'restart_policy', 'max_attempts'], 'int'],
  [['deploy', 'placement', 'max_replicas_per_node'], 'int'],
  [['deploy', 'resources', 'limits', 'cpus'], 'float'],
  [['deploy', 'resources', 'limits', 'pids'], 'int'],
  [['deploy', 'resources', 'reservations', 'cpus'], 'float'],
  [['healthcheck', 'retries'], 'int'],
  [['healthcheck', 'disable'], 'bool'],
  [['cpus'], 'float'],
  [['cpu_count'], 'int'],
  [['cpu_percent'], 'float'],
  [['cpu_shares'], 'int'],
  [['pids_limit'], 'int'],
  [['scale'], 'int'],
  [['init'], 'bool'],
  [['privileged'], 'bool'],
  [['read_only'], 'bool'],
  [['stdin_open'], 'bool'],
  [['tty'], 'bool'],
  [['oom_kill_disable'], 'bool'],
  [['oom_score_adj'], 'int'],
  [['ulimits', '*'], 'int'],
  [['ulimits', '*', 'soft'], 'int'],
  [['ulimits', '*', 'hard'], 'int'],
  [['secrets', '#', 'mode'], 'int'],
  [['configs', '#', 'mode'], 'int'],
  [['volumes', '#', 'read_only'], 'bool'],
];

const EXPECTED: Record<FieldType, string> = { int: 'a whole number', float: 'a number', bool: 'true or false' };

const rule: Rule = {
  meta: {
    id: 'compose/interpolated-type',
    severity: 'error',
    category: 'correctness',
    description: 'Numbers and booleans written as `${VAR}` (replicas, retries, cpus, read_only, …) are numbers and booleans after interpolation.',
    docs: {
      why: "Compose lets typed fields come from variables (`replicas: ${REPLICAS}`) and converts the text after interpolation. When the variable holds `two`, `1,5` or nothing at all, the conversion fails and the deploy is refused, and the schema error points at the compose file although the mistake is in the env file. This rule names the variable. Values written literally are the schema rule's concern.",
      fix: 'Give the variable a value of the right type in `.env.sample` (`REPLICAS=2`, `READ_ONLY=true`), or a default in the compose file (`${REPLICAS:-1}`).',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      replicas: ${REPLICAS} # .env.sample says REPLICAS=two\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      replicas: ${REPLICAS:-1}\n',
    },
    messages: {
      mistyped: '{{field}} of service "{{service}}" must be {{expected}}, but {{variables}} makes it "{{value}}"',
      empty: '{{field}} of service "{{service}}" must be {{expected}}, but {{variables}} leaves it empty',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    // On a swarm, docker converts other fields than compose does: swarm/schema checks them.
    if (context.settings.swarm) return;
    const unknown = variablesAreUnknown(context);
    for (const tree of context.fullStack.files.values()) {
      if (!tree.refs.length) continue; // nothing in this file comes from a variable
      for (const service of services(tree.root)) {
        for (const [pattern, type] of TYPED_FIELDS) {
          for (const { path, node } of fieldsAt(service.node, pattern)) {
            if (!isScalar(node) || !node.interpolation || typeof node.value !== 'string') continue;
            const unset = unsetRefs(node);
            if (unset.length && unknown) continue;
            const refs = unset.length ? unset : refsOf(node);
            const empty = node.value.trim() === '';
            context.report({
              messageId: empty ? 'empty' : 'mistyped',
              node,
              data: { field: path, service: service.name, expected: EXPECTED[type], variables: variableList(refs), value: node.value },
            });
          }
        }
      }
    }
  },
};

export default rule;
