import type { Rule } from '@galley/linter';
import { imagesOf } from '../_lib/images.js';
import { originOf } from '../_lib/variables.js';

const rule: Rule = {
  meta: {
    id: 'compose/image-invalid',
    severity: 'error',
    category: 'correctness',
    description: 'Every image is a valid reference `[registry/]name[:tag][@digest]` after interpolation.',
    docs: {
      why: 'Docker refuses an image reference that does not parse ("invalid reference format"): upper-case letters in the name, spaces, an empty tag left by a variable that is empty (`nginx:${TAG}` with `TAG=`), a malformed digest. The service never starts.',
      fix: 'Write the image as `name:tag` in lower case (`ghcr.io/owner/app:1.2.3`), and make sure every variable in it has a value or a default (`${TAG:-1.27.3}`).',
      wrong: 'services:\n  app:\n    image: MyOrg/App:1.0\n',
      right: 'services:\n  app:\n    image: myorg/app:1.0\n',
    },
    messages: { invalid: 'image "{{image}}" of service "{{service}}" is not a valid reference: {{reason}}{{origin}}' },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const image of imagesOf(context)) {
      if (image.parsed.ok) continue;
      context.report({
        messageId: 'invalid',
        node: image.node,
        data: { image: image.value, service: image.service, reason: image.parsed.reason, origin: originOf(image.node, context) },
      });
    }
  },
};

export default rule;
