import type { Rule } from '@galley/linter';
import { recipeAnchor } from '../_lib/compose.js';
import { askOnline } from '../_lib/online.js';

export const DEFAULT_CATALOGUE_URL = 'https://recipes.coopcloud.tech/recipes.json';

const rule: Rule = {
  meta: {
    id: 'recipe/published-version',
    severity: 'warning',
    category: 'coop-cloud',
    description: 'The recipe has a published version in the recipe catalogue (online).',
    docs: {
      why: '`abra app new` and `abra app deploy` install the versions the catalogue (recipes.coopcloud.tech) lists. A recipe the catalogue does not know, or knows without versions, can only be deployed from an unreleased checkout (`--chaos`), so operators get whatever the default branch holds (abra R006). Runs only with `--online`; the catalogue URL is the `catalogueUrl` option.',
      fix: 'Publish a release: tag it with `abra recipe release` (an annotated `<recipe semver>+<image tag>` tag) and push it, then wait for the catalogue to be regenerated, or ask the catalogue maintainers to add the recipe.',
      wrong: '# recipes.json has no entry (or no versions) for the recipe\n',
      right: '{ "myapp": { "versions": [ { "1.0.0+1.27.3": { } } ] } }\n',
      exampleFile: 'recipes.json',
    },
    messages: {
      notInCatalogue: 'the catalogue at {{url}} does not list recipe "{{recipe}}"',
      noVersions: 'the catalogue at {{url}} lists recipe "{{recipe}}" without any published version',
      unreachable: 'could not check the catalogue at {{url}}: {{reason}}',
    },
    options: {
      type: 'object',
      properties: {
        catalogueUrl: { type: 'string', description: 'Where the recipes.json catalogue is.' },
        timeoutSeconds: { type: 'number', minimum: 1 },
      },
      additionalProperties: false,
    },
    defaultOptions: { catalogueUrl: DEFAULT_CATALOGUE_URL, timeoutSeconds: 20 },
    fixable: false,
    composeIndependent: true,
    presets: ['coop-cloud'],
    abra: 'R006',
    requires: ['online'],
  },
  async check(context) {
    const url = String(context.options.catalogueUrl ?? DEFAULT_CATALOGUE_URL);
    const timeout = typeof context.options.timeoutSeconds === 'number' ? context.options.timeoutSeconds : undefined;
    const span = recipeAnchor(context);
    const recipe = context.recipe.name;
    const result = await askOnline(url, { kind: 'catalogue', once: true, ...(timeout === undefined ? {} : { timeoutSeconds: timeout }) });
    let catalogue: unknown;
    let reason: string | undefined;
    if ('reason' in result) reason = result.reason;
    else if (result.status !== 200) reason = `HTTP ${result.status}`;
    else {
      try {
        catalogue = JSON.parse(result.body);
      } catch {
        reason = 'the answer is not JSON';
      }
    }
    if (reason === undefined && (typeof catalogue !== 'object' || catalogue === null || Array.isArray(catalogue)))
      reason = 'the answer is not a recipes.json object';
    if (reason !== undefined) {
      context.report({ messageId: 'unreachable', span, data: { url, reason }, severity: 'info' });
      return;
    }
    const entry = (catalogue as Record<string, unknown>)[recipe];
    if (typeof entry !== 'object' || entry === null) {
      context.report({ messageId: 'notInCatalogue', span, data: { url, recipe } });
      return;
    }
    const versions = (entry as { versions?: unknown }).versions;
    if (!Array.isArray(versions) || versions.length === 0) context.report({ messageId: 'noVersions', span, data: { url, recipe } });
  },
};

export default rule;
