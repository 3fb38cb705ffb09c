import type { Rule } from '@galley/linter';
import { imagesOf } from '../_lib/images.js';
import { originOf } from '../_lib/variables.js';

const rule: Rule = {
  meta: {
    id: 'compose/image-untagged',
    severity: 'warning',
    category: 'best-practice',
    description: 'Every image names a tag (or a digest).',
    docs: {
      why: 'An image without a tag means `:latest`: whatever the publisher pushed last. Two deploys of the same recipe can run different software, an upgrade can arrive unannounced and break the app, and a rollback has nothing to roll back to. The catalogue cannot tell which version a release ships (abra R003).',
      fix: 'Pin the image to a version tag, e.g. `nginx:1.27.3` (or to a digest, `nginx@sha256:…`). Pick the most specific tag upstream publishes that you are willing to follow.',
      wrong: 'services:\n  app:\n    image: nginx\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n',
    },
    messages: { untagged: 'image "{{image}}" of service "{{service}}" has no tag, so it runs whatever :latest is today{{origin}}' },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    abra: 'R003',
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const image of imagesOf(context, { pulledOnly: true })) {
      if (!image.parsed.ok || image.parsed.ref.tag !== undefined || image.parsed.ref.digest !== undefined) continue;
      context.report({
        messageId: 'untagged',
        node: image.node,
        data: { image: image.value, service: image.service, origin: originOf(image.node, context) },
      });
    }
  },
};

export default rule;
