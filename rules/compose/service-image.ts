import type { Rule } from '@galley/linter';
import { get, isScalar, services } from '@galley/recipe';
import { isLoneOverlay, serviceDefinition } from '../_lib/compose.js';
import { unsetRefs, variablesAreUnknown } from '../_lib/variables.js';

const rule: Rule = {
  meta: {
    id: 'compose/service-image',
    severity: 'error',
    category: 'correctness',
    description: 'Every service has an `image`.',
    docs: {
      why: '`docker stack deploy` cannot build images: a service without `image` cannot be deployed to a swarm ("service has neither an image nor a build context"), and a recipe must run everywhere from published images (abra R011). Lone compose files for `docker compose` may build instead; there, only services with neither `image` nor `build` are reported.',
      fix: 'Give the service the `image` it runs, with a version tag. For an image you build yourself, publish it to a registry and reference it there.',
      wrong: 'services:\n  app:\n    build: .\n',
      right: 'services:\n  app:\n    image: ghcr.io/example/app:1.4.2\n',
    },
    messages: {
      missing: 'service "{{service}}" has no image',
      buildOnly: 'service "{{service}}" has only `build`, which `docker stack deploy` ignores: a recipe needs a published image',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    abra: 'R011',
    appliesToComposeFiles: true,
  },
  check(context) {
    if (isLoneOverlay(context)) return;
    const stack = context.fullStack;
    for (const service of services(stack.root)) {
      const image = get(service.node, 'image');
      if (isScalar(image) && image.value !== null && image.value !== '') continue;
      // `${IMAGE}` that no env file galley read sets: its value is unknown, not empty.
      if (unsetRefs(image).length && variablesAreUnknown(context)) continue;
      const build = get(service.node, 'build') !== undefined;
      if (build && context.recipe.kind === 'compose-file') continue;
      const span = serviceDefinition(stack, service.name)?.keySpan ?? service.keySpan;
      context.report({ messageId: build ? 'buildOnly' : 'missing', span, data: { service: service.name } });
    }
  },
};

export default rule;
