import type { Rule } from '@galley/linter';
import { parseTag } from '@galley/recipe';
import { imagesOf, isFloatingTag } from '../_lib/images.js';
import { originOf } from '../_lib/variables.js';

const rule: Rule = {
  meta: {
    id: 'compose/image-unparseable-tag',
    severity: 'warning',
    category: 'coop-cloud',
    description: 'Image tags are versions the catalogue understands (`1.2.3`, `v2.1`, `16-alpine`, `20240101`).',
    docs: {
      why: "The recipe catalogue and upgrade tools (abra's `recipe upgrade`, Renovate) compare tags as versions: numbers, an optional `v`, a prerelease and a variant suffix. Tags such as commit hashes, `testing` or `hardcover-v0.4` have no order, so nobody is told when upstream moves on, and the recipe quietly falls behind (abra R005). Floating tags are `compose/image-unstable-tag`'s concern.",
      fix: 'Use a version tag upstream publishes for the same build (`1.4.2` rather than `sha-3f2a9c1`), or ask upstream to publish version tags. When none exist, pin a digest and accept that upgrades are manual.',
      wrong: 'services:\n  app:\n    image: moonlion/agora-server:build-3f2a9c1\n',
      right: 'services:\n  app:\n    image: moonlion/agora-server:0.9.2\n',
    },
    messages: { unparseable: 'tag "{{tag}}" of image "{{image}}" (service "{{service}}") is not a version upgrades can be found for: {{reason}}{{origin}}' },
    fixable: false,
    presets: ['coop-cloud'],
    abra: 'R005',
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const image of imagesOf(context)) {
      if (!image.parsed.ok) continue;
      const { tag, digest } = image.parsed.ref;
      if (tag === undefined || digest !== undefined) continue;
      const parsed = parseTag(tag);
      if (parsed.ok || isFloatingTag(tag)) continue;
      context.report({
        messageId: 'unparseable',
        node: image.node,
        data: { image: image.value, service: image.service, tag, reason: parsed.reason, origin: originOf(image.node, context) },
      });
    }
  },
};

export default rule;
