import type { ReportDescriptor, RuleContext } from '@galley/linter';

/**
 * A `report` that drops repeats: the same message id at the same place
 * (the first report wins).
 * Rules that walk every compose file and the merged stack, or services that
 * share an anchor (`<<: *defaults`), would otherwise report one written
 * problem several times.
 */
export function dedupedReport(context: RuleContext): (descriptor: ReportDescriptor) => void {
  const seen = new Set<string>();
  return (descriptor) => {
    const span = descriptor.span ?? descriptor.node?.span;
    const key = [descriptor.messageId, span?.file ?? '', span?.offset ?? -1, span?.endOffset ?? -1].join('\u0000');
    if (seen.has(key)) return;
    seen.add(key);
    context.report(descriptor);
  };
}
