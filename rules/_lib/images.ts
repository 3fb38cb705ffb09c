import type { RuleContext } from '@galley/linter';
import { serviceImage, services, type ServiceImage } from '@galley/recipe';
import { unsetRefs } from './variables.js';

/**
 * The `image` of every service in every compose file, each file
 * interpolated on its own; an image written once in an anchor and shared by
 * several services comes once. Images that depend on a variable nobody set
 * are left out: their value is unknown here (and
 * `compose/undefined-variable` reports the variable).
 */
export function imagesOf(context: RuleContext): ServiceImage[] {
  const out: ServiceImage[] = [];
  const seen = new Set<string>();
  for (const tree of context.fullStack.files.values()) {
    for (const service of services(tree.root)) {
      const image = serviceImage(service);
      if (!image) continue;
      const key = `${image.node.span.file}:${image.node.span.offset}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (unsetRefs(image.node).length) continue;
      out.push(image);
    }
  }
  return out;
}
