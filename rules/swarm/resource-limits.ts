import type { Rule } from '@galley/linter';
import { getIn, isScalar, services } from '@galley/recipe';
import { serviceDefinition } from '../_lib/compose.js';

const rule: Rule = {
  meta: {
    id: 'swarm/resource-limits',
    severity: 'info',
    category: 'best-practice',
    description: 'Services set a memory limit under `deploy.resources.limits`.',
    docs: {
      why: 'Without a memory limit, one leaking or overloaded service can take all the memory of a node and get other stacks on it killed by the kernel. On shared Co-op Cloud servers, a limit keeps a misbehaving app to itself. Good limits depend on the app and the server, so this rule is off in every preset: turn it on when you want every service bounded.',
      fix: 'Set `deploy.resources.limits.memory` (and `cpus` if needed), ideally from a variable with a default so operators can adjust it: `memory: ${APP_MEMORY_LIMIT:-1G}`.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      resources:\n        limits:\n          memory: ${APP_MEMORY_LIMIT:-512M}\n',
    },
    messages: { missing: 'service "{{service}}" has no memory limit (deploy.resources.limits.memory)' },
    fixable: false,
    presets: [],
    appliesToComposeFiles: true,
  },
  check(context) {
    const stack = context.fullStack;
    for (const service of services(stack.root)) {
      const memory = getIn(service.node, 'deploy', 'resources', 'limits', 'memory');
      if (isScalar(memory) && memory.value !== null && memory.value !== '') continue;
      const span = serviceDefinition(stack, service.name)?.keySpan ?? service.keySpan;
      context.report({ messageId: 'missing', span, data: { service: service.name } });
    }
  },
};

export default rule;
