import type { Fix, Rule } from '@galley/linter';
import { compareRecipeVersions, get, isMap, isScalar, isSeq, parseRecipeVersion, type YNode } from '@galley/recipe';
import { fileText, serviceDefinition } from '../_lib/compose.js';
import { indentAt } from '../_lib/edits.js';
import { latestReleaseTag } from '../_lib/git.js';
import { appService, findLabel, VERSION_LABEL } from '../_lib/labels.js';

/** An edit replacing the version of a label as written, when it is written literally. */
function replaceVersion(text: string, node: YNode, value: string, version: string): Fix | undefined {
  if (!isScalar(node) || node.style === 'literal' || node.style === 'folded') return undefined;
  const quoted = node.style === 'single' || node.style === 'double';
  const start = node.span.offset + (quoted ? 1 : 0);
  const end = node.span.endOffset - (quoted ? 1 : 0);
  const content = text.slice(start, end);
  const at = content.indexOf('.version=');
  const from = at === -1 ? 0 : at + '.version='.length;
  if (content.slice(from).trim() !== value) return undefined;
  const offset = start + from + (content.slice(from).length - content.slice(from).trimStart().length);
  return { description: `set the version label to ${version}`, edits: [{ file: node.span.file, offset, endOffset: offset + value.length, text: version }] };
}

/** An edit adding the version label after the last entry of a block list or map of `deploy.labels`. */
function addLabel(text: string, labels: YNode, version: string): Fix | undefined {
  let line: string;
  let end: number;
  let file: string;
  if (isSeq(labels) && labels.items.length) {
    const last = labels.items[labels.items.length - 1]!;
    const prefix = text.slice(text.lastIndexOf('\n', last.span.offset - 1) + 1, last.span.offset);
    if (!/^ *- $/.test(prefix)) return undefined;
    line = `${prefix}"coop-cloud.\${STACK_NAME}.version=${version}"`;
    end = last.span.endOffset;
    file = last.span.file;
  } else if (isMap(labels) && labels.pairs.length) {
    const last = labels.pairs[labels.pairs.length - 1]!;
    const indent = indentAt(text, last.key.span.offset);
    if (indent === undefined || last.mergedAt) return undefined;
    line = `${indent}coop-cloud.\${STACK_NAME}.version: ${version}`;
    end = Math.max(last.key.span.endOffset, last.value.span.endOffset);
    file = last.key.span.file;
  } else return undefined;
  const nl = text.indexOf('\n', end);
  const at = text[end - 1] === '\n' ? end : nl === -1 ? text.length : nl + 1;
  const lead = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return { description: `add the version label ${version}`, edits: [{ file, offset: at, endOffset: at, text: `${lead}${line}\n` }] };
}

const rule: Rule = {
  meta: {
    id: 'recipe/version-label',
    severity: 'warning',
    category: 'coop-cloud',
    description: 'The `app` service carries `coop-cloud.${STACK_NAME}.version` equal to the latest release tag.',
    docs: {
      why: 'abra reads the `coop-cloud.${STACK_NAME}.version` label of a deployed app to know which recipe version runs, to offer upgrades and rollbacks. The release commit sets it to the new tag (`2.0.1+1.0.6`). When the label is missing, not a version, or older than the latest release tag, deployed apps report the wrong version and `abra app upgrade` misbehaves. A label newer than every tag is a release in preparation and fine. Recipes without release tags are skipped.',
      fix: 'Set the label in `deploy.labels` of `app` to the latest release tag: `- "coop-cloud.${STACK_NAME}.version=2.0.1+1.0.6"`. `--fix` updates or adds it.',
      wrong:
        'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      labels:\n        - "coop-cloud.${STACK_NAME}.version=1.0.0+1.27.2"\n# latest tag: 1.1.0+1.27.3\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      labels:\n        - "coop-cloud.${STACK_NAME}.version=1.1.0+1.27.3"\n',
    },
    messages: {
      missing: 'service "app" has no coop-cloud.${STACK_NAME}.version label; the latest release is {{latest}}',
      outdated: 'the version label says {{value}} but the latest release tag is {{latest}}',
      invalid: 'the version label "{{value}}" is no recipe version; the latest release tag is {{latest}}',
    },
    fixable: true,
    presets: ['recommended', 'coop-cloud'],
  },
  check(context) {
    const tag = latestReleaseTag(context);
    const app = appService(context.stack);
    if (!tag || !app) return;
    const latest = tag.name;
    const label = findLabel(app, VERSION_LABEL);
    if (!label) {
      const definition = serviceDefinition(context.stack, 'app');
      const deploy = get(definition?.node, 'deploy');
      const labelsPair = isMap(deploy) ? deploy.pairs.find((p) => p.key.value === 'labels') : undefined;
      const text = labelsPair ? fileText(context.recipe, labelsPair.key.span.file) : undefined;
      const fix = text !== undefined && labelsPair && !labelsPair.mergedAt ? addLabel(text, labelsPair.value, latest) : undefined;
      context.report({ messageId: 'missing', span: labelsPair?.key.span ?? definition?.keySpan ?? app.span, data: { latest }, ...(fix ? { fix } : {}) });
      return;
    }
    const value = label.value.trim();
    if (value === latest) return;
    const parsed = parseRecipeVersion(value);
    if (parsed.ok && compareRecipeVersions(value, latest) > 0) return;
    const text = fileText(context.recipe, label.node.span.file);
    const fix = text !== undefined && !label.value.includes('$') ? replaceVersion(text, label.node, value, latest) : undefined;
    context.report({ messageId: parsed.ok ? 'outdated' : 'invalid', node: label.node, data: { value, latest }, ...(fix ? { fix } : {}) });
  },
};

export default rule;
