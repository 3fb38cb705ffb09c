import type { Rule } from '@galley/linter';
import { getIn, isScalar, services } from '@galley/recipe';
import { appService, findLabel, TIMEOUT_LABEL } from '../_lib/labels.js';
import { durationSeconds } from '../_lib/values.js';

function seconds(value: number): string {
  return Number.isInteger(value) ? `${value}s` : `${value.toFixed(1)}s`;
}

const rule: Rule = {
  meta: {
    id: 'recipe/healthcheck-timeout',
    severity: 'warning',
    category: 'coop-cloud',
    description: "No healthcheck `start_period` is longer than the deploy timeout of the `app` service's `coop-cloud.${STACK_NAME}.timeout` label.",
    docs: {
      why: 'abra waits for a deploy to converge for as many seconds as the `coop-cloud.${STACK_NAME}.timeout` label of `app` says, then reports failure (and may roll back). A service whose healthcheck may take longer than that to start (`start_period`) can never be reported healthy in time: every deploy of a slow-starting app looks failed although it would have come up.',
      fix: 'Raise the timeout label (`coop-cloud.${STACK_NAME}.timeout=${TIMEOUT:-600}`) above the longest `start_period`, or shorten the `start_period` if the service starts faster.',
      wrong:
        'services:\n  app:\n    image: nextcloud:29.0.4\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost"]\n      start_period: 10m\n    deploy:\n      labels:\n        - "coop-cloud.${STACK_NAME}.timeout=${TIMEOUT:-300}"\n',
      right:
        'services:\n  app:\n    image: nextcloud:29.0.4\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost"]\n      start_period: 10m\n    deploy:\n      labels:\n        - "coop-cloud.${STACK_NAME}.timeout=${TIMEOUT:-900}"\n',
    },
    messages: {
      exceeds: 'start_period {{startPeriod}} of service "{{service}}" is longer than the {{timeout}} abra waits for the deploy (the timeout label of app)',
    },
    fixable: false,
    presets: ['coop-cloud'],
  },
  check(context) {
    const app = appService(context.stack);
    const label = app ? findLabel(app, TIMEOUT_LABEL) : undefined;
    if (!label) return;
    const timeout = Number(label.value.trim());
    if (!Number.isFinite(timeout) || timeout <= 0) return;
    for (const service of services(context.stack.root)) {
      const node = getIn(service.node, 'healthcheck', 'start_period');
      if (!isScalar(node) || typeof node.value !== 'string') continue;
      const start = durationSeconds(node.value);
      if (start === undefined || start <= timeout) continue;
      context.report({
        messageId: 'exceeds',
        node,
        data: { startPeriod: node.value, service: service.name, timeout: seconds(timeout) },
        related: [{ message: 'the deploy timeout is set here', span: label.node.span }],
      });
    }
  },
};

export default rule;
