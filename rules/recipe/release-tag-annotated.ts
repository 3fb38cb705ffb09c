import type { Rule } from '@galley/linter';
import { isRecipeVersion } from '@galley/recipe';
import { recipeAnchor } from '../_lib/compose.js';
import { appService, findLabel, VERSION_LABEL } from '../_lib/labels.js';

const rule: Rule = {
  meta: {
    id: 'recipe/release-tag-annotated',
    severity: 'error',
    category: 'coop-cloud',
    description: 'Every git tag of the recipe is annotated, not lightweight (release tags above all).',
    docs: {
      why: 'abra and the catalogue read releases from annotated tags: they carry the release date, the tagger and the message `chore: publish <version> release`. A lightweight tag is only a name for a commit: abra does not list it as a version, so operators cannot deploy or upgrade to it. `abra recipe lint` fails on any lightweight tag, release-shaped or not (R014).',
      fix: 'Replace the tag with an annotated one on the same commit and push it:\n\n```sh\ngit tag -d 1.2.0+3.4.5\ngit tag -a 1.2.0+3.4.5 <commit> -m "chore: publish 1.2.0+3.4.5 release"\ngit push --force origin 1.2.0+3.4.5\n```\n\n`abra recipe release` creates annotated tags.',
      wrong: 'git tag 1.2.0+3.4.5\n',
      right: 'git tag -a 1.2.0+3.4.5 -m "chore: publish 1.2.0+3.4.5 release"\n',
      exampleFile: 'shell',
    },
    messages: {
      lightweight:
        'release tag {{tag}} is lightweight; abra only sees annotated release tags (git tag -a {{tag}} {{commit}} -m "chore: publish {{tag}} release")',
      lightweightOther: 'tag {{tag}} is lightweight, and abra recipe lint fails on any lightweight tag (R014): delete it, or make it annotated',
    },
    fixable: false,
    composeIndependent: true,
    presets: ['recommended', 'coop-cloud'],
    abra: 'R014',
  },
  check(context) {
    const tags = context.recipe.git?.tags ?? [];
    const app = appService(context.stack);
    const label = app ? findLabel(app, VERSION_LABEL) : undefined;
    for (const tag of tags) {
      if (tag.annotated) continue;
      if (!isRecipeVersion(tag.name)) {
        context.report({
          messageId: 'lightweightOther',
          span: recipeAnchor(context),
          data: { tag: tag.name },
          remediation: `git tag -d ${tag.name} && git push origin :refs/tags/${tag.name}, or git tag -f -a ${tag.name} ${tag.commit.slice(0, 12)} -m "${tag.name}"`,
        });
        continue;
      }
      const span = label && label.value.trim() === tag.name ? label.node.span : recipeAnchor(context);
      context.report({
        messageId: 'lightweight',
        span,
        data: { tag: tag.name, commit: tag.commit.slice(0, 12) },
        remediation: `git tag -d ${tag.name} && git tag -a ${tag.name} ${tag.commit.slice(0, 12)} -m "chore: publish ${tag.name} release" && git push --force origin ${tag.name}`,
      });
    }
  },
};

export default rule;
