import type { Rule } from '@galley/linter';
import { get, getPair, isMap, scalarString, services } from '@galley/recipe';
import { removePair } from '../_lib/edits.js';

const rule: Rule = {
  meta: {
    id: 'swarm/replicas-global',
    severity: 'error',
    category: 'swarm',
    description: 'A service in `mode: global` sets no `replicas`.',
    docs: {
      why: 'A global service runs exactly one task on every node; `replicas` only means something in `replicated` mode. Docker refuses the service ("replicas can only be used with replicated or replicated-job mode").',
      fix: 'Remove `replicas`, or switch the service to `mode: replicated` if a fixed number of tasks was meant. `--fix` removes `replicas`.',
      wrong: 'services:\n  agent:\n    image: portainer/agent:2.21.0\n    deploy:\n      mode: global\n      replicas: 1\n',
      right: 'services:\n  agent:\n    image: portainer/agent:2.21.0\n    deploy:\n      mode: global\n',
    },
    messages: { replicas: 'service "{{service}}" runs in mode: global, where `replicas` is refused' },
    fixable: true,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    const checkTree = (root: Parameters<typeof services>[0], text: string | undefined) => {
      for (const service of services(root)) {
        const deploy = get(service.node, 'deploy');
        if (!isMap(deploy) || scalarString(get(deploy, 'mode')) !== 'global') continue;
        const pair = getPair(deploy, 'replicas');
        if (!pair) continue;
        const edit = text !== undefined && pair.key.span.file === deploy.span.file ? removePair(text, pair, deploy) : undefined;
        context.report({
          messageId: 'replicas',
          node: pair.key,
          data: { service: service.name },
          ...(edit ? { fix: { description: 'remove replicas', edits: [edit] } } : {}),
        });
      }
    };
    for (const parsed of context.recipe.composeFiles.values()) checkTree(parsed.root, parsed.text);
    // mode and replicas may come from different files of the default deploy
    checkTree(context.stack.root, undefined);
  },
};

export default rule;
