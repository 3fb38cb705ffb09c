import type { RuleContext } from '@galley/linter';
import { type TopLevelKind, topLevel } from '@galley/recipe';
import { isLoneOverlay } from './compose.js';
import { definitionOf, referencesIn, someServiceUsesDefaultNetwork } from './references.js';

/**
 * Reports top-level networks, volumes, secrets or configs no service of
 * any compose file uses. Every compose file of the recipe counts, so an
 * object only an overlay uses is not unused.
 */
export function checkUnused(context: RuleContext, kind: TopLevelKind): void {
  // An overlay linted without its base may declare what the base's services use.
  if (isLoneOverlay(context)) return;
  const full = context.fullStack;
  const used = new Set(referencesIn(full.root, kind).map((r) => r.name));
  if (kind === 'networks' && someServiceUsesDefaultNetwork(full.root)) used.add('default');
  for (const object of topLevel(full.root, kind)) {
    if (used.has(object.name)) continue;
    const definition = definitionOf(full, kind, object.name) ?? object;
    context.report({ messageId: 'unused', span: definition.keySpan, data: { name: object.name } });
  }
}
