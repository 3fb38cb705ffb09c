import type { Rule, TextEdit } from '@galley/linter';
import { closestName, envEntry, get, isExternal, isScalar, type Recipe, topLevel } from '@galley/recipe';
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
      fix: 'Name the config `${STACK_NAME}_<name>_${<NAME>_VERSION}` and add `export <NAME>_VERSION=v1` to `abra.sh`. `--fix` adds the export (creating `abra.sh` if needed). A default in the name (`${<NAME>_VERSION:-v1}`), bumped in the compose file, is accepted too when the recipe has an `abra.sh`: abra reads config versions from there only, and fails a recipe with configs but none (R012).\n\nWhen `abra.sh` exports a near miss (`ENTRYPIONT_CONF_VERSION` for `ENTRYPOINT_CONF_VERSION`), the finding says so and suggests renaming it; `--fix` adds no second export then. An export that versions nothing is reported too: it is usually such a typo, or left over from a removed config.',
      wrong:
        'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}\n    file: nginx.conf\n# abra.sh has no `export NGINX_CONF_VERSION=…`\n',
      right:
        'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}\n    file: nginx.conf\n# and abra.sh: export NGINX_CONF_VERSION=v1\n',
    },
    messages: {
      notExported: '{{variable}} versions config "{{config}}" but abra.sh does not export it',
      noAbraSh:
        '{{variable}} versions config "{{config}}" with a default in the compose file, but abra reads config versions from abra.sh exports only, and the recipe has no abra.sh (R012)',
      nearMiss: '{{variable}} versions config "{{config}}" but abra.sh exports {{exported}} instead: did you mean {{variable}}?',
      unusedExport: 'abra.sh exports {{variable}}, which no compose file uses: it versions nothing',
      inEnvSample: '{{variable}} versions config "{{config}}" but is set in .env.sample instead of abra.sh: bumps would not reach existing apps',
      unversioned:
        'config "{{config}}" has no versioned name (`name: ${STACK_NAME}_{{config}}_${{{upper}}_VERSION}`), so changing {{file}} breaks the next deploy',
    },
    fixable: true,
    hasSuggestions: true,
    presets: ['recommended', 'coop-cloud'],
    abra: 'R012',
  },
  check(context) {
    const recipe = context.recipe;
    const full = context.fullStack;
    const exported = new Set((recipe.abraSh?.exports ?? []).map((e) => e.name));
    // Exports that version nothing: candidates for a misspelt name.
    const referenced = new Set(full.refs.map((r) => r.name));
    const orphans = (recipe.abraSh?.exports ?? []).filter((e) => e.name.endsWith('_VERSION') && !referenced.has(e.name));
    const nearMisses = new Set<string>();
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
      if (exported.has(ref.name)) continue;
      const span = ref.span ?? (isScalar(name) ? name.span : definition.keySpan);
      const data = { variable: ref.name, config: config.name };
      // `${NAME_VERSION:-v3}`: the version lives in the compose file and is bumped there, but abra
      // (R012) reads config versions from abra.sh only: a recipe with configs needs one.
      const defaulted = (ref.form === ':-' || ref.form === '-') && ref.argument;
      if (defaulted && recipe.abraSh) continue;
      const nearMiss = closestName(
        ref.name,
        orphans.map((e) => e.name),
      );
      if (nearMiss) {
        // A misspelt export: adding a second one would leave the typo in place.
        const typo = orphans.find((e) => e.name === nearMiss)!;
        nearMisses.add(nearMiss);
        context.report({
          messageId: 'nearMiss',
          span,
          data: { ...data, exported: nearMiss },
          related: [{ message: `abra.sh exports ${nearMiss} here`, span: typo.nameSpan }],
          suggestions: [
            {
              description: `rename the export to ${ref.name}`,
              edits: [{ file: typo.nameSpan.file, offset: typo.nameSpan.offset, endOffset: typo.nameSpan.endOffset, text: ref.name }],
            },
          ],
        });
        continue;
      }
      if (recipe.envSample && envEntry(recipe.envSample, ref.name)) {
        context.report({ messageId: 'inEnvSample', span, data });
        continue;
      }
      const value = defaulted ? (ref.argument ?? 'v1') : 'v1';
      context.report({
        messageId: defaulted ? 'noAbraSh' : 'notExported',
        span,
        data,
        fix: { description: `export ${ref.name}=${value} in abra.sh`, edits: [addExport(recipe, ref.name, value)] },
      });
    }
    for (const orphan of orphans) {
      if (nearMisses.has(orphan.name) || /^SECRET_/.test(orphan.name)) continue;
      context.report({ messageId: 'unusedExport', span: orphan.nameSpan, data: { variable: orphan.name }, severity: 'warning' });
    }
  },
};

export default rule;
