import type { Fix, Rule } from '@galley/linter';
import { isFloatingTag, parseRecipeVersion, parseTag, type ServiceImage } from '@galley/recipe';
import { fileText } from '../_lib/compose.js';
import { imagesOf } from '../_lib/images.js';
import { appService, findLabel, VERSION_LABEL } from '../_lib/labels.js';
import { originOf } from '../_lib/variables.js';

/**
 * A suggestion for the `app` image: the upstream tag the recipe version label
 * names (`2.0.1+1.0.6` → `1.0.6`), when the tag is written literally.
 */
function suggestion(image: ServiceImage, tag: string, upstream: string | undefined, text: string | undefined): Fix[] {
  if (!upstream || !text || image.node.interpolation || !parseTag(upstream).ok) return [];
  const source = text.slice(image.node.span.offset, image.node.span.endOffset);
  const at = source.lastIndexOf(`:${tag}`);
  if (at === -1) return [];
  const offset = image.node.span.offset + at + 1;
  return [
    {
      description: `pin ${image.value} to ${upstream}, the upstream version the recipe version label names`,
      edits: [{ file: image.node.span.file, offset, endOffset: offset + tag.length, text: upstream }],
    },
  ];
}

const rule: Rule = {
  meta: {
    id: 'compose/image-unstable-tag',
    severity: 'warning',
    category: 'best-practice',
    description: 'No image uses a floating tag such as `latest`, `stable`, `main` or `edge` (also with a variant, `stable-alpine`).',
    docs: {
      why: 'Floating tags (`latest`, `stable`, `edge`, `main`, `nightly`, …) move whenever the publisher pushes. The same recipe version then deploys different software on different days, upgrades happen without a release, and a rollback restores nothing. Renovate and the catalogue cannot offer upgrades from a tag that is not a version (abra R004).',
      fix: 'Replace the floating tag with the version it currently points to, e.g. `nginx:1.27.3`, or pin a digest (`nginx:latest@sha256:…`) when upstream publishes no version tags.',
      wrong: 'services:\n  app:\n    image: nginx:latest\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n',
    },
    messages: { unstable: 'image "{{image}}" of service "{{service}}" uses the floating tag "{{tag}}"{{origin}}; pin a version' },
    fixable: false,
    hasSuggestions: true,
    presets: ['recommended', 'coop-cloud'],
    abra: 'R004',
    appliesToComposeFiles: true,
  },
  check(context) {
    const label = (() => {
      const app = appService(context.stack);
      return app ? findLabel(app, VERSION_LABEL) : undefined;
    })();
    const version = label ? parseRecipeVersion(label.value.trim()) : undefined;
    const upstream = version?.ok ? version.version.upstream : undefined;
    for (const image of imagesOf(context, { pulledOnly: true })) {
      if (!image.parsed.ok) continue;
      const { tag, digest } = image.parsed.ref;
      if (tag === undefined || digest !== undefined) continue;
      if (!isFloatingTag(tag)) continue;
      context.report({
        messageId: 'unstable',
        node: image.node,
        data: { image: image.value, service: image.service, tag, origin: originOf(image.node, context) },
        suggestions: image.service === 'app' ? suggestion(image, tag, upstream, fileText(context.recipe, image.node.span.file)) : [],
      });
    }
  },
};

export default rule;
