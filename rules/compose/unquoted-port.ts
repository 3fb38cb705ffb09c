import type { Rule } from '@galley/linter';
import { get, isScalar, isSeq, services } from '@galley/recipe';
import { quoteScalar } from '../_lib/edits.js';

/** YAML 1.1 sexagesimal integers: `22:22` is 1342 to a YAML 1.1 reader. */
const SEXAGESIMAL = /^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$/;

const rule: Rule = {
  meta: {
    id: 'compose/unquoted-port',
    severity: 'warning',
    category: 'correctness',
    description: 'Port mappings that YAML 1.1 reads as base-60 numbers (`22:22`) are quoted.',
    docs: {
      why: 'In YAML 1.1, which many tools still speak, an unquoted `22:22` is the base-60 number 1342, not the text "22:22": any mapping `a:b` whose container port is below 60 turns into a meaningless number for such readers (Docker\'s own documentation warns about it). Galley and compose read it right, but the file means different things to different tools.',
      fix: 'Quote port mappings: `- "22:22"`. Quoting every mapping is the simplest habit.',
      wrong: 'services:\n  git:\n    image: gitea/gitea:1.22.3\n    ports:\n      - 2222:22\n',
      right: 'services:\n  git:\n    image: gitea/gitea:1.22.3\n    ports:\n      - "2222:22"\n',
    },
    messages: { sexagesimal: 'port mapping {{value}} is a base-60 number ({{number}}) to YAML 1.1 readers; quote it: "{{value}}"' },
    fixable: true,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const [file, parsed] of context.recipe.composeFiles) {
      const seen = new Set<number>();
      for (const service of services(parsed.root)) {
        const ports = get(service.node, 'ports');
        if (!isSeq(ports)) continue;
        for (const item of ports.items) {
          if (!isScalar(item) || item.style !== 'plain' || typeof item.value !== 'string' || item.span.file !== file) continue;
          if (!SEXAGESIMAL.test(item.value) || seen.has(item.span.offset)) continue;
          seen.add(item.span.offset);
          const edit = quoteScalar(parsed.text, item);
          const number = item.value
            .replace(/_/g, '')
            .split(':')
            .reduce((acc, part) => acc * 60 + Math.abs(Number(part)), 0);
          context.report({
            messageId: 'sexagesimal',
            node: item,
            data: { value: item.value, number },
            ...(edit ? { fix: { description: `quote "${item.value}"`, edits: [edit] } } : {}),
          });
        }
      }
    }
  },
};

export default rule;
