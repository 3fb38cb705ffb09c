import type { Rule } from '@galley/linter';

const REFERENCE = /^\$\{?COMPOSE_FILE\}?$/;

const rule: Rule = {
  meta: {
    id: 'recipe/compose-file-missing',
    severity: 'error',
    category: 'coop-cloud',
    description: 'Every compose file `COMPOSE_FILE` names in `.env.sample` exists, also in commented-out lines.',
    docs: {
      why: '`COMPOSE_FILE` lists the compose files of an app, separated by `:`. A name that matches no file (a typo, a renamed overlay) makes every deploy of a new app fail with "open compose.postgress.yml: no such file or directory". Commented-out lines are the recipe\'s menu of optional overlays: a wrong name there fails the day an operator enables it.',
      fix: 'Correct the file name in `.env.sample` (compose files are named relative to the recipe root, e.g. `compose.postgres.yml` or `postgres/compose.tune.yml`), or add the missing overlay to the recipe.',
      wrong: 'COMPOSE_FILE="compose.yml"\nCOMPOSE_FILE="$COMPOSE_FILE:compose.postgress.yml"\n',
      right: 'COMPOSE_FILE="compose.yml"\nCOMPOSE_FILE="$COMPOSE_FILE:compose.postgres.yml"\n',
      exampleFile: '.env.sample',
    },
    messages: {
      missing: 'COMPOSE_FILE names {{file}}, which the recipe does not have',
      commentedMissing: 'the commented-out COMPOSE_FILE names {{file}}, which the recipe does not have: enabling this line breaks the deploy',
    },
    fixable: false,
    composeIndependent: true,
    presets: ['recommended', 'coop-cloud'],
  },
  check(context) {
    const env = context.recipe.envSample;
    if (!env) return;
    const files = new Set(context.recipe.files);
    for (const entry of env.entries) {
      if (entry.name !== 'COMPOSE_FILE') continue;
      let position = 0;
      for (const part of entry.raw.split(':')) {
        const start = position;
        position += part.length + 1;
        const name = part.trim();
        if (!name || REFERENCE.test(name)) continue;
        const normalized = name.replace(/^\.\//, '');
        if (files.has(normalized)) continue;
        const offset = entry.valueSpan.offset + start + (part.length - part.trimStart().length);
        const exact = env.text.slice(offset, offset + name.length) === name;
        context.report({
          messageId: entry.commented ? 'commentedMissing' : 'missing',
          span: exact ? env.lines.span(env.file, offset, offset + name.length) : entry.valueSpan,
          data: { file: normalized },
          ...(entry.commented ? { severity: 'warning' as const } : {}),
        });
      }
    }
  },
};

export default rule;
