import { get, getPair, isMap, labelsOf, type Stack, serviceNamed, services, type YMap, type YNode } from '@galley/recipe';

export interface Label {
  key: string;
  value: string;
  node: YNode;
}

/** A service's `deploy.labels`, list or map form, keys and values interpolated. */
export function deployLabels(service: YMap): Map<string, { value: string; node: YNode }> {
  return labelsOf(get(get(service, 'deploy'), 'labels'));
}

/** The first deploy label of a service whose key matches. */
export function findLabel(service: YMap, pattern: RegExp): Label | undefined {
  for (const [key, label] of deployLabels(service)) if (pattern.test(key)) return { key, ...label };
  return undefined;
}

/** `coop-cloud.<stack>.version`: the recipe version a deployed app runs. */
export const VERSION_LABEL = /^coop-cloud\.[^.]+\.version$/;
/** `coop-cloud.<stack>.timeout`: seconds abra waits for a deploy to converge. */
export const TIMEOUT_LABEL = /^coop-cloud\.[^.]+\.timeout$/;

/** The merged `app` service of a stack. */
export function appService(stack: Stack): YMap | undefined {
  return services(stack.root).find((s) => s.name === 'app')?.node;
}

/** Whether `traefik.enable` is true among a service's deploy labels. */
export function traefikEnabled(service: YMap): boolean {
  const label = deployLabels(service).get('traefik.enable');
  return label !== undefined && label.value.trim().toLowerCase() === 'true';
}

/**
 * The `labels` key under a service's `deploy` in the file where a label is
 * written: where a missing label belongs.
 */
export function labelsKeyFor(stack: Stack, serviceName: string, label: YNode): YNode {
  const tree = stack.files.get(label.span.file);
  const service = serviceNamed(tree?.root, serviceName);
  const deploy = get(service?.node, 'deploy');
  const pair = isMap(deploy) ? getPair(deploy, 'labels') : undefined;
  return pair?.key ?? label;
}
