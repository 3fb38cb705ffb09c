import type { Rule } from '@galley/linter';
import { fileStart } from '../_lib/compose.js';
import { latestReleaseTag } from '../_lib/git.js';

const rule: Rule = {
  meta: {
    id: 'recipe/release-notes',
    severity: 'info',
    category: 'coop-cloud',
    description: 'The latest release has release notes in `release/<version>`.',
    docs: {
      why: 'abra shows `release/<version>` to operators before they upgrade to that version: it is where breaking changes, new secrets and manual migration steps are announced. Without notes, an operator cannot tell whether the upgrade is safe.',
      fix: 'Write `release/<version>` for the latest release tag (plain text or markdown): what changed, and what operators must do before or after upgrading. Keep notes for the next release in `release/next` and rename the file when you tag.',
      wrong: '# (no release/1.1.0+1.27.3)\n',
      right: 'Upgrades nginx to 1.27.3.\n\nNo manual steps are needed.\n',
      exampleFile: 'release/1.1.0+1.27.3',
    },
    messages: { missing: 'the latest release {{version}} has no release notes (release/{{version}})' },
    fixable: false,
    composeIndependent: true,
    presets: ['coop-cloud'],
  },
  check(context) {
    const tag = latestReleaseTag(context);
    if (!tag || context.recipe.releaseNotes.has(tag.name)) return;
    context.report({ messageId: 'missing', span: fileStart(`release/${tag.name}`), data: { version: tag.name } });
  },
};

export default rule;
