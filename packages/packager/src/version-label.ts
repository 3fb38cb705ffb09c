import { GalleyError } from '@galley/platform';
import { everyComposeFile, get, labelsOf, type Recipe, resolveStack, type Span, services } from '@galley/recipe';

/** The `coop-cloud.${STACK_NAME}.version` label of the `app` service, where it is written. */
export interface VersionLabel {
  file: string;
  span: Span;
  value: string;
}

const LABEL_KEY = /^coop-cloud\.[^.]+\.version$/;

/** Finds the version label (in any compose file: the merged stack knows where each label came from). */
export function findVersionLabel(recipe: Recipe): VersionLabel | undefined {
  const stack = resolveStack(recipe, { composeFiles: everyComposeFile(recipe) });
  const app = services(stack.root).find((s) => s.name === 'app');
  if (!app) return undefined;
  for (const [key, { value, node }] of labelsOf(get(get(app.node, 'deploy'), 'labels'))) {
    if (LABEL_KEY.test(key)) return { file: node.span.file, span: node.span, value: value.trim() };
  }
  return undefined;
}

/**
 * The compose file's text with the version label set to `version`: the
 * version as written is replaced and nothing else (quotes, list or map
 * form, comments kept).
 */
export function setVersionLabel(text: string, label: VersionLabel, version: string): string {
  const written = text.slice(label.span.offset, label.span.endOffset);
  const quote = written[0] === '"' || written[0] === "'" ? 1 : 0;
  const inner = written.slice(quote, written.length - quote);
  const at = inner.indexOf('.version=');
  const from = at === -1 ? 0 : at + '.version='.length;
  const old = inner.slice(from).trim();
  if (old !== label.value || old.includes('$') || /[\n|>]/.test(written.slice(0, 1))) {
    throw new GalleyError(
      'release-no-version-label',
      `${label.file}:${label.span.line}:${label.span.col}: the version label is not written as a plain version (${JSON.stringify(written)}): write it as "coop-cloud.\${STACK_NAME}.version=<version>"`,
      { span: label.span },
    );
  }
  const start = label.span.offset + quote + from + (inner.slice(from).length - inner.slice(from).trimStart().length);
  return `${text.slice(0, start)}${version}${text.slice(start + old.length)}`;
}
