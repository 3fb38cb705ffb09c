import type { Rule } from '@galley/linter';
import { getIn, isScalar, isSeq, scalarString, services, type YNode } from '@galley/recipe';
import { removeSeqItem } from '../_lib/edits.js';

/** List-form `KEY=value` fields where a repeated key silently overrides the earlier one. */
const FIELDS: { path: string[]; what: string }[] = [
  { path: ['environment'], what: 'environment variable' },
  { path: ['labels'], what: 'label' },
  { path: ['deploy', 'labels'], what: 'deploy label' },
];

const rule: Rule = {
  meta: {
    id: 'compose/duplicate-entry',
    severity: 'warning',
    category: 'correctness',
    description: 'An environment variable or label is set once per list (`- KEY=a` … `- KEY=b`).',
    docs: {
      why: 'In the list form of `environment` and `labels`, a key written twice is not an error: the later entry silently wins. The earlier one looks effective but is not, which is how a recipe ends up with a Traefik rule or a setting that nobody can explain. (In the map form, the YAML parser reports duplicate keys.)',
      fix: 'Keep one entry per key. `--fix` removes the earlier entries, which have no effect anyway.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - LOG_LEVEL=debug\n      - TZ=UTC\n      - LOG_LEVEL=info\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - TZ=UTC\n      - LOG_LEVEL=info\n',
    },
    messages: {
      duplicate: '{{what}} {{key}} of service "{{service}}" is set again at line {{line}}, which wins: this entry has no effect',
    },
    fixable: true,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const parsed of context.recipe.composeFiles.values()) {
      for (const service of services(parsed.root)) {
        for (const { path, what } of FIELDS) {
          const list = getIn(service.node, ...path);
          if (!isSeq(list)) continue;
          const last = new Map<string, YNode>();
          for (const item of list.items) {
            const text = scalarString(item);
            if (text === undefined) continue;
            const eq = text.indexOf('=');
            last.set((eq === -1 ? text : text.slice(0, eq)).trim(), item);
          }
          for (const item of list.items) {
            const text = scalarString(item);
            if (!isScalar(item) || text === undefined) continue;
            const eq = text.indexOf('=');
            const key = (eq === -1 ? text : text.slice(0, eq)).trim();
            const winner = last.get(key);
            if (!winner || winner === item) continue;
            const edit = item.span.file === list.span.file ? removeSeqItem(parsed.text, item) : undefined;
            context.report({
              messageId: 'duplicate',
              node: item,
              data: { what, key, service: service.name, line: winner.span.line },
              related: [{ message: `${key} is set here, and this value wins`, span: winner.span }],
              ...(edit ? { fix: { description: `remove the overridden ${key}`, edits: [edit] } } : {}),
            });
          }
        }
      }
    }
  },
};

export default rule;
