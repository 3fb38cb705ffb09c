import path from 'node:path';
import type { Rule } from '@galley/linter';
import { GalleyError } from '@galley/platform';
import {
  abraExport,
  everyComposeFile,
  GitTreeSource,
  get,
  isExternal,
  isScalar,
  type Recipe,
  readRecipe,
  resolveStack,
  scalarString,
  topLevel,
  topLevelNamed,
} from '@galley/recipe';
import { previousReleaseTag } from '../_lib/git.js';
import { definitionOf } from '../_lib/references.js';

const rule: Rule = {
  meta: {
    id: 'recipe/config-version-bump',
    severity: 'error',
    category: 'coop-cloud',
    description: 'A config file changed since the latest release has its version bumped.',
    docs: {
      why: 'Swarm configs cannot change: a config keeps its content for as long as its name stays the same. When a packager edits `nginx.conf` but leaves `NGINX_CONF_VERSION` as it was at the last release, upgrading an app fails with "only updates to Labels are allowed", or, on a fresh install, different servers run different files under one name. This rule compares each config file with the latest release tag in git.',
      fix: "Bump the config's version in `abra.sh` (`export NGINX_CONF_VERSION=v3` → `v4`) whenever its file changes. `--fix` bumps a `vN` version.",
      wrong: '# nginx.conf changed since 1.0.0+1.27.2, abra.sh still says:\nexport NGINX_CONF_VERSION=v3\n',
      right: 'export NGINX_CONF_VERSION=v4\n',
      exampleFile: 'abra.sh',
    },
    messages: { notBumped: '{{file}} changed since release {{tag}} but config "{{config}}" is still named {{name}}: bump {{variable}}' },
    fixable: true,
    presets: ['recommended', 'coop-cloud'],
  },
  async check(context) {
    const recipe = context.recipe;
    const tag = previousReleaseTag(context);
    if (!tag || !recipe.git) return;
    const repository = recipe.git.repository;
    let released: Recipe;
    let tree: Map<string, string>;
    try {
      released = await readRecipe(new GitTreeSource(repository, tag.commit, `${recipe.name}#${tag.name}`), recipe.name);
      tree = new Map((await repository.tree(tag.commit)).map((e) => [e.path, e.oid]));
    } catch (error) {
      if (error instanceof GalleyError) return;
      throw error;
    }
    const releasedStack = resolveStack(released, { composeFiles: everyComposeFile(released) });
    const full = context.fullStack;
    for (const config of topLevel(full.root, 'configs')) {
      const file = scalarString(get(config.node, 'file'));
      if (isExternal(config.node) || !file) continue;
      const definition = definitionOf(full, 'configs', config.name) ?? config;
      const nameNode = get(definition.node, 'name');
      const name = scalarString(nameNode);
      const then = topLevelNamed(releasedStack.root, 'configs', config.name);
      if (!name || !then || scalarString(get(then.node, 'name')) !== name) continue;
      const filePath = path.posix.normalize(file);
      const oid = tree.get(filePath);
      if (!oid) continue;
      const [before, now] = await Promise.all([repository.readBlob(oid), recipe.source.read(filePath)]);
      if (now === undefined || before === now) continue;
      const ref = [...(isScalar(nameNode) ? (nameNode.interpolation?.refs ?? []) : [])].reverse().find((r) => r.name.endsWith('_VERSION'));
      const exported = ref ? abraExport(recipe.abraSh, ref.name) : undefined;
      const bump = exported ? /^v(\d+)$/.exec(exported.value) : null;
      const span = exported?.valueSpan ?? ref?.span ?? nameNode?.span ?? definition.keySpan;
      context.report({
        messageId: 'notBumped',
        span,
        data: { file: filePath, tag: tag.name, config: config.name, name, variable: ref?.name ?? 'its version' },
        related: [{ message: `config "${config.name}" is declared here`, span: definition.keySpan }],
        ...(exported && bump
          ? {
              fix: {
                description: `bump ${exported.name} to v${Number(bump[1]) + 1}`,
                edits: [
                  {
                    file: exported.valueSpan.file,
                    offset: exported.valueSpan.offset,
                    endOffset: exported.valueSpan.endOffset,
                    text: `v${Number(bump[1]) + 1}`,
                  },
                ],
              },
            }
          : {}),
      });
    }
  },
};

export default rule;
