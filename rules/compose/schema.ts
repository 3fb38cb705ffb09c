import { composeSchemaProblems, type Rule } from '@galley/linter';
import { get, getIn, type Span } from '@galley/recipe';

const rule: Rule = {
  meta: {
    id: 'compose/schema',
    severity: 'error',
    category: 'schema',
    description: 'Every compose file follows the compose-spec schema (checked after `${VAR}` interpolation).',
    docs: {
      why: 'Docker refuses a compose file with an unknown key, a value of the wrong type or a missing required key, or silently does something else than intended. galley validates each compose file after interpolating `.env.sample`, so typed fields written as `${VAR}` (ports, replicas, booleans) are checked as the values they become, unlike abra, which checks them before interpolation. Every problem is reported at its key, not just the first one.',
      fix: 'Correct the key or value the finding points at; for an unknown key, the message names the closest allowed key. Custom keys must start with `x-`.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    restart_policy: always\n    deploy:\n      replicas: [2]\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      replicas: 2\n      restart_policy:\n        condition: any\n',
    },
    messages: {
      unknownKey: '{{message}}',
      invalidName: '{{message}}',
      type: '{{message}}',
      enum: '{{message}}',
      required: '{{message}}',
      invalid: '{{message}}',
    },
    fixable: false,
    hasSuggestions: true,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  async check(context) {
    // On a swarm, swarm/schema checks docker's own (v3) format instead.
    if (context.settings.swarm) return;
    for (const [file, tree] of context.fullStack.files) {
      const parsed = context.recipe.composeFiles.get(file);
      if (!tree.root || !parsed) continue;
      const fallback: Span = parsed.lines.span(file, 0, 0);
      for (const problem of await composeSchemaProblems(tree.root, fallback)) {
        const messageId = problem.kind === 'unknown-key' ? 'unknownKey' : problem.kind === 'invalid-name' ? 'invalidName' : problem.kind;
        const suggestions = [];
        if (problem.kind === 'unknown-key' && problem.suggestion) {
          const keyText = parsed.text.slice(problem.span.offset, problem.span.endOffset);
          // Renaming onto a key the map already has would only make a duplicate key.
          const taken = get(getIn(tree.root, ...problem.path.slice(0, -1)), problem.suggestion) !== undefined;
          if (keyText === problem.key && !taken) {
            suggestions.push({
              description: `rename "${problem.key}" to "${problem.suggestion}"`,
              edits: [{ file, offset: problem.span.offset, endOffset: problem.span.endOffset, text: problem.suggestion }],
            });
          }
        }
        context.report({ messageId, data: { message: problem.message, key: problem.key, where: problem.where }, span: problem.span, suggestions });
      }
    }
  },
};

export default rule;
