import type { RuleContext } from '@galley/linter';
import {
  get,
  type NamedNode,
  type ServiceReference,
  type Stack,
  serviceReferences,
  services,
  type TopLevelKind,
  topLevel,
  topLevelNamed,
  type YNode,
} from '@galley/recipe';
import { isLoneOverlay } from './compose.js';

export type ReferenceKind = TopLevelKind | 'depends_on';

/** Names a stack defines for a kind of reference (`default` is an implicit network). */
export function definedNames(root: YNode | null | undefined, kind: ReferenceKind): Set<string> {
  if (kind === 'depends_on') return new Set(services(root).map((s) => s.name));
  const names = new Set(topLevel(root, kind).map((d) => d.name));
  if (kind === 'networks') names.add('default');
  return names;
}

export interface LocatedReference extends ServiceReference {
  service: string;
}

/** Every reference of a kind made by the services of a tree. */
export function referencesIn(root: YNode | null | undefined, kind: ReferenceKind): LocatedReference[] {
  const out: LocatedReference[] = [];
  for (const service of services(root)) {
    for (const ref of serviceReferences(service.node, kind)) out.push({ ...ref, service: service.name });
  }
  return out;
}

/** The files of a stack that define a top-level object (or a service, for `depends_on`). */
export function filesDefining(stack: Stack, kind: ReferenceKind, name: string): string[] {
  const out: string[] = [];
  for (const file of stack.composeFiles) {
    const root = stack.files.get(file)?.root;
    const names = kind === 'depends_on' ? new Set(services(root).map((s) => s.name)) : new Set(topLevel(root, kind).map((d) => d.name));
    if (names.has(name)) out.push(file);
  }
  return out;
}

/** A top-level definition, located in the first file of the stack that writes it. */
export function definitionOf(stack: Stack, kind: TopLevelKind, name: string): NamedNode | undefined {
  for (const file of stack.composeFiles) {
    const found = topLevelNamed(stack.files.get(file)?.root, kind, name);
    if (found) return found;
  }
  return topLevelNamed(stack.root, kind, name);
}

/** Whether some service of a tree has no `networks` key (and so joins `default`). */
export function someServiceUsesDefaultNetwork(root: YNode | null | undefined): boolean {
  return services(root).some((s) => get(s.node, 'networks') === undefined);
}

/**
 * Reports references of one kind that nothing defines: against every
 * compose file of the recipe merged (what any overlay combination could
 * define), and then for the default deploy, references that only a file
 * `.env.sample` leaves out defines.
 */
export function checkUndefinedReferences(context: RuleContext, kind: ReferenceKind): void {
  // An overlay linted without its base refers to what the base defines.
  if (isLoneOverlay(context)) return;
  const full = context.fullStack;
  const universe = definedNames(full.root, kind);
  const reported = new Set<ServiceReference['node']>();
  for (const ref of referencesIn(full.root, kind)) {
    if (universe.has(ref.name)) continue;
    reported.add(ref.node);
    context.report({ messageId: 'undefined', node: ref.node, data: { name: ref.name, service: ref.service } });
  }
  const stack = context.stack;
  if (context.recipe.kind !== 'recipe' || stack === full || stack.missingComposeFiles.length || !stack.root) return;
  const inDefault = definedNames(stack.root, kind);
  for (const ref of referencesIn(stack.root, kind)) {
    if (inDefault.has(ref.name) || !universe.has(ref.name) || reported.has(ref.node)) continue;
    const files = filesDefining(full, kind, ref.name);
    context.report({
      messageId: 'notInDefault',
      node: ref.node,
      data: { name: ref.name, service: ref.service, files: files.join(', ') },
    });
  }
}
