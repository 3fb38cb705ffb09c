import type { Rule } from '@galley/linter';
import { getPair, isMap, isScalar } from '@galley/recipe';
import { fileStart } from '../_lib/compose.js';
import { quoteScalar, replaceNode } from '../_lib/edits.js';

const EXPECTED = '3.8';

/** Where `version: "3.8"` goes in a file without one: after a leading `---` and comments. */
function insertionOffset(text: string): number {
  let offset = 0;
  for (;;) {
    const end = text.indexOf('\n', offset);
    if (end === -1) return offset;
    const line = text.slice(offset, end).trim();
    if (line === '---' || line.startsWith('#') || line.startsWith('%')) offset = end + 1;
    else return offset;
  }
}

const rule: Rule = {
  meta: {
    id: 'recipe/compose-version',
    severity: 'warning',
    category: 'coop-cloud',
    description: 'Every compose file of a recipe declares `version: "3.8"`.',
    docs: {
      why: 'Co-op Cloud recipes target the compose file format 3.8, the newest one `docker stack deploy` on every supported Docker reads, and abra checks for it (R001). `docker stack deploy` also refuses files of different versions deployed together ("version mismatched between two composefiles"), so an overlay without the same `version` breaks the deploy that enables it. Written unquoted, `3.8` is a number, not the string the format asks for.',
      fix: 'Start every compose file with `version: "3.8"` (quoted). `--fix` adds it, quotes it, or raises an older 3.x version.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n',
      right: 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n',
    },
    messages: {
      missing: '{{file}} declares no `version`; recipes use version: "3.8"',
      unquoted: '`version: {{value}}` is a number; write it as the string "3.8"',
      other: '{{file}} declares version "{{value}}"; recipes use version "3.8"',
    },
    fixable: true,
    hasSuggestions: true,
    presets: ['coop-cloud'],
    abra: 'R001',
  },
  check(context) {
    for (const [file, parsed] of context.recipe.composeFiles) {
      if (!isMap(parsed.root)) continue;
      const pair = getPair(parsed.root, 'version');
      if (!pair) {
        const offset = insertionOffset(parsed.text);
        context.report({
          messageId: 'missing',
          span: parsed.root.pairs[0]?.key.span ?? fileStart(file),
          data: { file },
          fix: { description: `add version: "${EXPECTED}" to ${file}`, edits: [{ file, offset, endOffset: offset, text: `version: "${EXPECTED}"\n` }] },
        });
        continue;
      }
      const value = pair.value;
      if (!isScalar(value)) continue;
      const text = value.value === null ? '' : String(value.value);
      if (typeof value.value === 'number' && text === EXPECTED) {
        const edit = quoteScalar(parsed.text, value);
        context.report({
          messageId: 'unquoted',
          node: value,
          data: { value: text },
          ...(edit ? { fix: { description: 'quote the version', edits: [edit] } } : {}),
        });
        continue;
      }
      if (text === EXPECTED) continue;
      const older = /^3(\.[0-7])?$/.test(text);
      const change = { description: `set version "${EXPECTED}"`, edits: [replaceNode(value, `"${EXPECTED}"`)] };
      context.report({ messageId: 'other', node: value, data: { file, value: text }, ...(older ? { fix: change } : { suggestions: [change] }) });
    }
  },
};

export default rule;
