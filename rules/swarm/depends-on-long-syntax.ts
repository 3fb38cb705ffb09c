import type { Rule } from '@galley/linter';
import { get, getPair, isMap, keyString, services } from '@galley/recipe';
import { indentAt } from '../_lib/edits.js';

const rule: Rule = {
  meta: {
    id: 'swarm/depends-on-long-syntax',
    severity: 'error',
    category: 'swarm',
    description: '`depends_on` is a list of service names, not the long form with conditions.',
    docs: {
      why: '`docker stack deploy` reads the v3 file format, where `depends_on` is a list of names. The long form (`depends_on: {db: {condition: service_healthy}}`) makes it refuse the file ("services.app.depends_on must be a list"). Swarm ignores `depends_on` anyway: services start in no particular order and must retry until their dependencies answer.',
      fix: 'Write `depends_on` as a list (`depends_on: [db]`), and make the service wait for its dependency itself (retry on start, or a healthcheck so swarm restarts it until it is healthy).',
      wrong:
        'services:\n  app:\n    image: nextcloud:29.0.4\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16.4\n',
      right: 'services:\n  app:\n    image: nextcloud:29.0.4\n    depends_on:\n      - db\n  db:\n    image: postgres:16.4\n',
    },
    messages: { long: '`depends_on` of service "{{service}}" uses the long form, which docker stack deploy refuses: write a list of names ({{names}})' },
    fixable: false,
    hasSuggestions: true,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const parsed of context.recipe.composeFiles.values()) {
      for (const service of services(parsed.root)) {
        const value = get(service.node, 'depends_on');
        if (!isMap(value)) continue;
        const pair = getPair(service.node, 'depends_on')!;
        const names = value.pairs.map((p) => keyString(p.key));
        const indent = indentAt(parsed.text, pair.key.span.offset);
        const suggestions =
          indent !== undefined && !pair.mergedAt && value.span.file === pair.key.span.file
            ? [
                {
                  description: 'rewrite depends_on as a list of names',
                  edits: [
                    {
                      file: value.span.file,
                      offset: pair.key.span.endOffset,
                      endOffset: value.span.endOffset,
                      text: `:\n${names.map((n) => `${indent}  - ${n}\n`).join('')}`,
                    },
                  ],
                },
              ]
            : [];
        context.report({ messageId: 'long', node: pair.key, data: { service: service.name, names: names.join(', ') }, suggestions });
      }
    }
  },
};

export default rule;
