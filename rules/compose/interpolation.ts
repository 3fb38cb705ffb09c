import type { Rule } from '@galley/linter';

const rule: Rule = {
  meta: {
    id: 'compose/interpolation',
    severity: 'error',
    category: 'correctness',
    description: 'Every `$` in a value starts a valid variable reference (or is escaped as `$$`), and required variables (`${VAR:?}`) have a value.',
    docs: {
      why: 'Docker (compose and `docker stack deploy`) refuses the whole file for a `$` that starts no variable reference ("invalid interpolation format"): a password with a `$` in it, `cost: 5$`, `${}`. A required variable (`${VAR:?message}`) set to an empty value stops the deploy too. In a recipe, required variables that `.env.sample` does not mention are `compose/undefined-variable`\'s concern; in a compose project, a variable the `.env` does not set may come from the shell, so only one it sets empty is reported.',
      fix: 'Write a literal `$` as `$$`, complete the reference (`${NAME}`), or give the required variable a value.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - PRICE=5$\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - PRICE=5$$\n',
    },
    messages: {
      invalid: '{{message}}',
      required: '{{message}}',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    const stack = context.fullStack;
    for (const d of stack.diagnostics) {
      if (!d.span) continue;
      if (d.code === 'interpolation-invalid') context.report({ messageId: 'invalid', span: d.span, data: { message: d.message } });
      // Only a variable the compose project's .env sets empty: unset ones may come from the shell.
      else if (
        d.code === 'interpolation-required' &&
        context.recipe.kind === 'compose-file' &&
        d.subject !== undefined &&
        stack.variables.get(d.subject) === ''
      ) {
        context.report({ messageId: 'required', span: d.span, data: { message: d.message } });
      }
    }
  },
};

export default rule;
