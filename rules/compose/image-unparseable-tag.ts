import type { Rule } from '@galley/linter';
import { isFloatingTag, parseTag } from '@galley/recipe';
import { imagesOf } from '../_lib/images.js';
import { originOf } from '../_lib/variables.js';

const rule: Rule = {
  meta: {
    id: 'compose/image-unparseable-tag',
    severity: 'warning',
    category: 'coop-cloud',
    description: 'Image tags are versions abra and the catalogue understand (`1.2.3`, `v2.1`, `16-alpine`), not dates or 4-part versions.',
    docs: {
      why: "The recipe catalogue and upgrade tools (abra's `recipe upgrade`, Renovate) compare tags as versions: numbers, an optional `v`, a prerelease and a variant suffix. Tags such as commit hashes, `testing` or `hardcover-v0.4` have no order, so nobody is told when upstream moves on, and the recipe quietly falls behind. abra's tagcmp reads `[v]major[.minor[.patch]][-suffix]` only: dates (`20240101`) and 4-part versions (`1.2.3.4`) fail `abra recipe lint` too (R005). Floating tags are `compose/image-unstable-tag`'s concern.",
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
      if (isFloatingTag(tag)) continue;
      // As abra's tagcmp (R005): dates and versions of more than three numbers do not parse either.
      const reason = !parsed.ok
        ? parsed.reason
        : parsed.tag.format === 'date'
          ? "a date, which abra's tagcmp does not read as a version"
          : parsed.tag.numbers.length > 3
            ? `${parsed.tag.numbers.length} numbers, where abra's tagcmp reads at most three (major.minor.patch)`
            : undefined;
      if (reason === undefined) continue;
      context.report({
        messageId: 'unparseable',
        node: image.node,
        data: { image: image.value, service: image.service, tag, reason, origin: originOf(image.node, context) },
      });
    }
  },
};

export default rule;
