import type { Rule } from '@galley/linter';
import { services } from '@galley/recipe';

const rule: Rule = {
  meta: {
    id: 'recipe/app-service',
    severity: 'error',
    category: 'coop-cloud',
    description: 'A recipe has a service named `app`, its main service.',
    docs: {
      why: 'abra and galley treat the `app` service as the main one: its labels carry the recipe version and deploy timeout, `abra app run` and backups default to it. Without it, deploys and upgrades of the recipe break (abra R009).',
      fix: 'Rename the main service of the stack to `app` (in every compose file that names it).',
      wrong: 'services:\n  web:\n    image: nginx:1.27.3\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n',
    },
    messages: {
      missing: 'no service is named "app"; the main service of a recipe must be called app',
    },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    abra: 'R009',
  },
  check(context) {
    const root = context.fullStack.root;
    if (!root) return;
    if (services(root).some((s) => s.name === 'app')) return;
    const base = context.fullStack.files.get(context.fullStack.composeFiles[0] ?? '')?.root;
    const servicesKey = base?.kind === 'map' ? base.pairs.find((p) => p.key.value === 'services')?.key : undefined;
    context.report({ messageId: 'missing', node: servicesKey ?? root });
  },
};

export default rule;
