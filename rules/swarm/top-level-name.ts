import type { Fix, Rule } from '@galley/linter';
import { getPair, isMap } from '@galley/recipe';
import { removePair } from '../_lib/edits.js';

const rule: Rule = {
  meta: {
    id: 'swarm/top-level-name',
    severity: 'error',
    category: 'swarm',
    description: 'Compose files for a swarm have no top-level `name`.',
    docs: {
      why: 'The top-level `name` (the project name of `docker compose`) is not part of the file format `docker stack deploy` reads: it refuses the file with "(root) Additional property name is not allowed". The stack name comes from the command line (abra derives it from the app\'s domain). Some linters even ask for `name:`, which breaks swarm deploys.',
      fix: 'Remove the top-level `name`. `--fix` does it in recipes and suggests it in lone compose files.',
      wrong: 'name: myapp\nservices:\n  app:\n    image: nginx:1.27.3\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n',
    },
    messages: { name: 'top-level `name` makes docker stack deploy refuse {{file}}: the stack name comes from the deploy command' },
    fixable: true,
    hasSuggestions: true,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const [file, parsed] of context.recipe.composeFiles) {
      if (!isMap(parsed.root)) continue;
      const pair = getPair(parsed.root, 'name');
      if (!pair) continue;
      const edit = removePair(parsed.text, pair, parsed.root);
      const removal: Fix | undefined = edit ? { description: 'remove the top-level `name`', edits: [edit] } : undefined;
      context.report({
        messageId: 'name',
        node: pair.key,
        data: { file },
        ...(removal && context.recipe.kind === 'recipe' ? { fix: removal } : {}),
        ...(removal && context.recipe.kind !== 'recipe' ? { suggestions: [removal] } : {}),
      });
    }
  },
};

export default rule;
