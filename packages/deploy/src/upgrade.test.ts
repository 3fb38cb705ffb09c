import { checkAppEnv } from '@galley/recipe';
import { afterAll, describe, expect, it } from '@jest/globals';
import { commitAll, removeTree, writeTree } from '../../../test/support/recipe-fixtures.js';
import { parseAppEnv } from './app-env.js';
import { locateRecipe } from './recipe-locator.js';
import { resolveAppStack } from './render.js';
import { formatUpgradeNotes, missingSettingsError, upgradeNotes } from './upgrade.js';

const compose = (extra: string) =>
  `services:\n  app:\n    image: nginx:1.27\n    environment:\n      - DOMAIN=\${DOMAIN}\n${extra}    deploy:\n      labels:\n        - "coop-cloud.\${STACK_NAME}.version=x"\n`;

describe('upgradeNotes and missingSettingsError', () => {
  const dir = writeTree({});
  commitAll(dir, [
    {
      files: { 'compose.yml': compose(''), '.env.sample': 'TYPE=shop\nDOMAIN=shop.example.org\nLANG=en\n' },
      tags: [{ name: '1.0.0+1.27', annotated: true }],
    },
    {
      // LANG was set but unused, and is now read: it became required; ADMIN is new and required.
      files: {
        'compose.yml': compose('      - LANG=${LANG}\n      - ADMIN=${ADMIN}\n'),
        '.env.sample': 'TYPE=shop\nDOMAIN=shop.example.org\nLANG=en\nADMIN=admin@shop.example.org # who gets mail\n',
      },
      tags: [{ name: '2.0.0+1.27', annotated: true }],
    },
  ]);
  afterAll(() => removeTree(dir));

  const app = parseAppEnv('TYPE=shop\nDOMAIN=shop.example.org\n', 'shop.env');

  it('is absent when nothing runs or the same release is deployed again', async () => {
    const located = await locateRecipe(app, { recipeDir: dir, version: '2.0.0+1.27' });
    try {
      expect(await upgradeNotes(located, app, undefined)).toBeUndefined();
      expect(await upgradeNotes(located, app, { recipe: 'shop', version: '2.0.0+1.27', chaos: false })).toBeUndefined();
    } finally {
      await located.dispose();
    }
  });

  it('says why it cannot compare: a chaos deploy, another recipe, a release the repository lacks', async () => {
    const located = await locateRecipe(app, { recipeDir: dir, version: '2.0.0+1.27' });
    try {
      const note = async (deployed: Parameters<typeof upgradeNotes>[2]) => (await upgradeNotes(located, app, deployed))?.notes.note;
      expect(await note({ recipe: 'shop', version: '1.0.0+1.27', chaos: true, chaosVersion: 'abc1234+U' })).toBe(
        'the app runs 1.0.0+1.27 (chaos abc1234+U), no release, so what changes cannot be shown',
      );
      expect(await note({ recipe: 'forum', version: '1.0.0+1.27', chaos: false })).toBe('the app runs recipe forum, not shop');
      expect(await note({ recipe: 'shop', version: '0.9.0+1.26', chaos: false })).toMatch(
        /^recipe shop \(.*#2\.0\.0\+1\.27\) has no release 0\.9\.0\+1\.26, so/,
      );
    } finally {
      await located.dispose();
    }
  });

  it('compares the deployed release with the target and refuses only what the newer release newly requires', async () => {
    const located = await locateRecipe(app, { recipeDir: dir, version: '2.0.0+1.27' });
    try {
      const upgrade = (await upgradeNotes(located, app, { recipe: 'shop', version: '1.0.0+1.27', chaos: false }))!;
      expect(upgrade.notes).toMatchObject({ from: '1.0.0+1.27', to: '2.0.0+1.27', breaking: 2, newSecrets: [], releaseNotes: [] });
      expect(formatUpgradeNotes(upgrade.notes)).toEqual([
        'upgrade:  1.0.0+1.27 -> 2.0.0+1.27: 2 changes, 2 breaking',
        '  BREAKING LANG is now required, compose no longer gives it a default (.env.sample:3)',
        '    -> the app env lacks it: add the line LANG=en',
        '  BREAKING ADMIN added, required (.env.sample:4)',
        '    -> the app env lacks it: add the line ADMIN=admin@shop.example.org # who gets mail',
      ]);
      const check = checkAppEnv(located.recipe, app.env, resolveAppStack(located, app));
      const error = missingSettingsError(upgrade.diff!, app, located, check.errors)!;
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(
        [
          "upgrading shop.example.org from 1.0.0+1.27 to 2.0.0+1.27 needs 2 settings shop.env lacks (LANG, ADMIN): add these lines of recipe shop's .env.sample (2.0.0+1.27) to it, with your own values, then deploy again; nothing was changed",
          '  .env.sample:3: LANG=en',
          '  .env.sample:4: ADMIN=admin@shop.example.org # who gets mail',
        ].join('\n'),
      );
      // With both set, nothing is missing.
      const complete = parseAppEnv('TYPE=shop\nDOMAIN=shop.example.org\nLANG=de\nADMIN=me@shop.example.org\n', 'shop.env');
      expect(missingSettingsError(upgrade.diff!, complete, located, checkAppEnv(located.recipe, complete.env).errors)).toBeUndefined();
    } finally {
      await located.dispose();
    }
  });
});
