import type { Rule, TextEdit } from '@galley/linter';
import { abraExport, envEntry, get, isExternal, isScalar, type Recipe, topLevel } from '@galley/recipe';
import { appendLine } from '../_lib/edits.js';
import { definitionOf } from '../_lib/references.js';

/** Adds `export NAME=v1` to abra.sh, after its last export (creating the file when there is none). */
export function addExport(recipe: Recipe, name: string, value = 'v1'): TextEdit {
  const sh = recipe.abraSh;
  const line = `export ${name}=${value}`;
  if (!sh) return { file: 'abra.sh', offset: 0, endOffset: 0, text: `${line}\n` };
  const last = sh.exports[sh.exports.length - 1];
  return appendLine(sh.file, sh.text, line, last?.span.offset);
}

const rule: Rule = {
  meta: {
    id: 'recipe/config-version-export',
    severity: 'error',
    category: 'coop-cloud',
    description: 'Every config has a versioned name whose `*_VERSION` is exported by `abra.sh`.',
    docs: {
      why: 'Swarm configs are immutable: once deployed, a config with the same name cannot change, and the next deploy fails ("only updates to Labels are allowed"). Recipes therefore name configs `${STACK_NAME}_<name>_${<NAME>_VERSION}` and bump the version in `abra.sh` whenever the file changes; abra reads those exports on every deploy (R012). A version that only `.env.sample` sets is frozen into every operator\'s env file, so a bump never reaches existing apps.',
      fix: 'Name the config `${STACK_NAME}_<name>_${<NAME>_VERSION}` and add `export <NAME>_VERSION=v1` to `abra.sh`. `--fix` adds the export (creating `abra.sh` if needed). A default in the name (`${<NAME>_VERSION:-v1}`), bumped in the compose file, is accepted too.',
      wrong:
        'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}\n    file: nginx.conf\n# abra.sh has no `export NGINX_CONF_VERSION=…`\n',
      right:
        'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}\n    file: nginx.conf\n# and abra.sh: export NGINX_CONF_VERSION=v1\n',
    },
    messages: {
      notExported: '{{variable}} versions config "{{config}}" but abra.sh does not export it',
      inEnvSample: '{{variable}} versions config "{{config}}" but is set in .env.sample instead of abra.sh: bumps would not reach existing apps',
      unversioned:
        'config "{{config}}" has no versioned name (`name: ${STACK_NAME}_{{config}}_${{{upper}}_VERSION}`), so changing {{file}} breaks the next deploy',
    },
    fixable: true,
    presets: ['recommended', 'coop-cloud'],
    abra: 'R012',
  },
  check(context) {
    const recipe = context.recipe;
    const full = context.fullStack;
    for (const config of topLevel(full.root, 'configs')) {
      const file = get(config.node, 'file');
      if (isExternal(config.node) || !isScalar(file) || typeof file.value !== 'string') continue;
      const definition = definitionOf(full, 'configs', config.name) ?? config;
      const name = get(definition.node, 'name');
      const ref = [...(isScalar(name) ? (name.interpolation?.refs ?? []) : [])].reverse().find((r) => r.name.endsWith('_VERSION'));
      if (!ref) {
        context.report({
          messageId: 'unversioned',
          node: isScalar(name) ? name : definition.pair.key,
          data: { config: config.name, upper: config.name.toUpperCase().replace(/[^A-Z0-9]/g, '_'), file: file.value },
        });
        continue;
      }
      if (abraExport(recipe.abraSh, ref.name)) continue;
      // `${NAME_VERSION:-v3}`: the version lives in the compose file and is bumped there.
      if ((ref.form === ':-' || ref.form === '-') && ref.argument) continue;
      const span = ref.span ?? (isScalar(name) ? name.span : definition.keySpan);
      const data = { variable: ref.name, config: config.name };
      if (recipe.envSample && envEntry(recipe.envSample, ref.name)) {
        context.report({ messageId: 'inEnvSample', span, data });
        continue;
      }
      context.report({ messageId: 'notExported', span, data, fix: { description: `export ${ref.name}=v1 in abra.sh`, edits: [addExport(recipe, ref.name)] } });
    }
  },
};

export default rule;
