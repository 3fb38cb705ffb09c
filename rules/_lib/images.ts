import type { RuleContext } from '@galley/linter';
import { get, type ServiceImage, scalarString, serviceImage, services, type YMap } from '@galley/recipe';
import { unsetRefs } from './variables.js';

/**
 * The `image` of every service in every compose file, each file
 * interpolated on its own; an image written once in an anchor and shared by
 * several services comes once. Images that depend on a variable nobody set
 * are left out: their value is unknown here (and
 * `compose/undefined-variable` reports the variable).
 */
export function imagesOf(context: RuleContext, options: { pulledOnly?: boolean } = {}): ServiceImage[] {
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
      if (options.pulledOnly && builtHere(service.node, context)) continue;
      out.push(image);
    }
  }
  return out;
}

/**
 * Whether `docker compose` builds a service's image here instead of pulling
 * it: the service has `build` and no `pull_policy` that pulls first. Its
 * `image` only names the result (`myapp` is tagged `myapp:latest` locally).
 * `docker stack deploy` never builds, so on a swarm every image is pulled.
 */
function builtHere(service: YMap, context: RuleContext): boolean {
  if (context.settings.swarm || get(service, 'build') === undefined) return false;
  const policy = scalarString(get(service, 'pull_policy'));
  return policy === undefined || policy === 'never' || policy === 'build';
}
