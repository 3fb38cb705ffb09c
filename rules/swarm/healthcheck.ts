import type { Rule } from '@galley/linter';
import { get, isMap, isScalar, isSeq, services, type YNode } from '@galley/recipe';
import { isLoneOverlay, isTrue, serviceDefinition } from '../_lib/compose.js';

/** Whether a healthcheck node says anything: a test, or an explicit decision to have none. */
export function hasHealthcheck(node: YNode | undefined): boolean {
  if (!isMap(node)) return false;
  if (isTrue(get(node, 'disable'))) return true;
  const test = get(node, 'test');
  if (isSeq(test)) return test.items.length > 0;
  return isScalar(test) && test.value !== null && test.value !== '';
}

const rule: Rule = {
  meta: {
    id: 'swarm/healthcheck',
    severity: 'warning',
    category: 'swarm',
    description: 'Every service has a healthcheck (or disables it explicitly).',
    docs: {
      why: 'Swarm only knows a task is ready when its healthcheck passes. Without one, a rolling update (`order: start-first`) switches traffic to a container that is still starting, `failure_action: rollback` never fires, and abra reports a deploy as converged while the app is broken. Traefik also routes to unhealthy tasks it cannot tell apart (abra R002). Images that define a `HEALTHCHECK` themselves still deserve a line saying so.',
      fix: "Add a `healthcheck` with a `test` that proves the service answers (an HTTP request to its port, `pg_isready`, …) and a `start_period` long enough for the first start. When the image has its own check, or no check makes sense, say so with `healthcheck: {disable: true}` or a comment and a `test` that runs the image's check.",
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n',
      right:
        'services:\n  app:\n    image: nginx:1.27.3\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost"]\n      interval: 30s\n      timeout: 10s\n      retries: 10\n      start_period: 1m\n',
    },
    messages: { missing: 'service "{{service}}" has no healthcheck, so swarm cannot tell when it is ready or broken' },
    fixable: false,
    presets: ['swarm', 'coop-cloud'],
    abra: 'R002',
    appliesToComposeFiles: true,
  },
  check(context) {
    if (isLoneOverlay(context)) return;
    const stack = context.fullStack;
    for (const service of services(stack.root)) {
      if (hasHealthcheck(get(service.node, 'healthcheck'))) continue;
      const span = serviceDefinition(stack, service.name)?.keySpan ?? service.keySpan;
      context.report({ messageId: 'missing', span, data: { service: service.name } });
    }
  },
};

export default rule;
