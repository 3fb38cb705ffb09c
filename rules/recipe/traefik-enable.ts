import type { Rule } from '@galley/linter';
import { envEntry, get, labelsOf, services } from '@galley/recipe';
import { recipeAnchor, serviceDefinition } from '../_lib/compose.js';
import { traefikEnabled } from '../_lib/labels.js';

const rule: Rule = {
  meta: {
    id: 'recipe/traefik-enable',
    severity: 'error',
    category: 'coop-cloud',
    description: 'A recipe with a `DOMAIN` sets `traefik.enable=true` in the `deploy.labels` of the service Traefik routes to.',
    docs: {
      why: "Co-op Cloud's Traefik only routes to services that opt in with `traefik.enable=true`. In swarm mode Traefik reads the labels of the service (`deploy.labels`), not of the containers (`labels`): with the label missing or in the wrong place, the app deploys fine and its domain answers 404 (abra R010). Recipes without a `DOMAIN` in `.env.sample` are not web apps and are skipped.",
      fix: 'Add `traefik.enable=true` to `deploy.labels` of the service that serves the domain (usually `app`), together with its router and port labels (see `recipe/traefik-labels`).',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    labels:\n      - "traefik.enable=true"\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      labels:\n        - "traefik.enable=true"\n',
    },
    messages: {
      missing: 'no service sets traefik.enable=true in deploy.labels, so Traefik does not route {{domain}} to the app',
      containerLabel: 'traefik.enable is set in `labels` of service "{{service}}", which Traefik ignores in swarm mode: move it to deploy.labels',
    },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    abra: 'R010',
  },
  check(context) {
    const env = context.recipe.envSample;
    const domain = env ? envEntry(env, 'DOMAIN') : undefined;
    if (!domain) return;
    const stack = context.stack;
    const all = services(stack.root);
    if (all.some((s) => traefikEnabled(s.node))) return;
    const misplaced = all.find((s) => labelsOf(get(s.node, 'labels')).has('traefik.enable'));
    if (misplaced) {
      const label = labelsOf(get(misplaced.node, 'labels')).get('traefik.enable')!;
      context.report({ messageId: 'containerLabel', node: label.node, data: { service: misplaced.name } });
      return;
    }
    const app = serviceDefinition(stack, 'app');
    context.report({ messageId: 'missing', span: app?.keySpan ?? recipeAnchor(context), data: { domain: domain.value || 'DOMAIN' } });
  },
};

export default rule;
