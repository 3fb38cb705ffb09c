import { applyEdits, type Finding } from '@galley/linter';

/** The files (only the changed ones) after applying a finding's first suggestion. */
export function withSuggestion(files: Record<string, string>, finding: Finding | undefined): Record<string, string> {
  const edits = finding?.suggestions?.[0]?.edits ?? [];
  const texts = new Map(Object.entries(files));
  const { files: out } = applyEdits(texts, edits);
  return Object.fromEntries([...out].filter(([file, text]) => texts.get(file) !== text));
}
