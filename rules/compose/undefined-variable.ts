import type { Rule } from '@galley/linter';
import { appendLine } from '../_lib/edits.js';

/** Whether a reference is the `*_VERSION` in the `name` of a top-level secret or config. */
function isObjectVersion(path: string[], name: string): boolean {
  return path.length === 3 && (path[0] === 'secrets' || path[0] === 'configs') && path[2] === 'name' && name.endsWith('_VERSION');
}

/** Variables abra sets for every deploy without `.env.sample` naming them. */
const ABRA_VARIABLES = ['STACK_NAME'];

const rule: Rule = {
  meta: {
    id: 'compose/undefined-variable',
    severity: 'warning',
    category: 'correctness',
    description: 'Every `${VAR}` in the compose files is set or documented in `.env.sample`, exported by `abra.sh`, or has a default.',
    docs: {
      why: "An operator's env file starts as a copy of `.env.sample`. A variable the compose files use but `.env.sample` does not mention is never set, so compose substitutes an empty string: a label rule without a host, an empty password, a port mapping `:80` that the deploy refuses. Nobody can tell from the env file that the setting exists.",
      fix: 'Add the variable to `.env.sample` (commented out, `#NAME=value`, when it is optional), give it a default in the compose file (`${NAME:-value}`), or export it from `abra.sh` when it versions a config. `${NAME:?message}` makes a required setting fail loudly instead.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - SMTP_HOST=${SMTP_HOST}\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - SMTP_HOST=${SMTP_HOST:-localhost}\n',
    },
    messages: {
      undefined:
        '{{ref}} is not in .env.sample (not even commented out), has no default and is not exported by abra.sh; it is empty on every deploy that does not set it',
      required: '{{ref}} is required but .env.sample does not mention it, so a new app fails to deploy until the operator guesses to set it',
    },
    options: {
      type: 'object',
      properties: { knownVariables: { type: 'array', items: { type: 'string' }, description: 'Variables set by the deploy environment, besides STACK_NAME.' } },
      additionalProperties: false,
    },
    defaultOptions: { knownVariables: [] },
    fixable: false,
    hasSuggestions: true,
    presets: ['recommended', 'coop-cloud'],
  },
  check(context) {
    const env = context.recipe.envSample;
    if (!env) return;
    const known = new Set<string>([...ABRA_VARIABLES, ...((context.options.knownVariables as string[] | undefined) ?? [])]);
    for (const entry of env.entries) known.add(entry.name);
    for (const e of context.recipe.abraSh?.exports ?? []) known.add(e.name);
    for (const tree of context.fullStack.files.values()) {
      for (const ref of tree.refs) {
        if (known.has(ref.name)) continue;
        if (ref.form !== 'plain' && ref.form !== ':?' && ref.form !== '?') continue;
        // Versions of secrets and configs: recipe/secret-version-env and recipe/config-version-export report those.
        if (isObjectVersion(ref.path, ref.name)) continue;
        const line = `#${ref.name}=`;
        context.report({
          messageId: ref.form === 'plain' ? 'undefined' : 'required',
          span: ref.span ?? ref.scalarSpan,
          data: { ref: `\${${ref.name}}` },
          suggestions: [{ description: `document ${ref.name} in .env.sample (commented out)`, edits: [appendLine(env.file, env.text, line)] }],
        });
      }
    }
  },
};

export default rule;
