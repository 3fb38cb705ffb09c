import type { Rule } from '@galley/linter';
import { recipeAnchor } from '../_lib/compose.js';
import { askOnline } from '../_lib/online.js';

export const DEFAULT_REPOSITORY_URL = 'https://git.coopcloud.tech/coop-cloud/{name}';

const rule: Rule = {
  meta: {
    id: 'recipe/upstream-repository',
    severity: 'warning',
    category: 'coop-cloud',
    description: "The recipe's repository exists on the Co-op Cloud forge (online).",
    docs: {
      why: 'abra fetches recipes, their tags and their release notes from the forge (git.coopcloud.tech/coop-cloud/<recipe>). A recipe whose repository is not there cannot be fetched by operators (`abra recipe fetch`) nor listed in the catalogue (abra R013). Runs only with `--online`; the URL template is the `repositoryUrl` option (`{name}` is the recipe name), for forks on other forges.',
      fix: "Push the recipe to the forge under the recipe's name (ask the Co-op Cloud maintainers for a repository), or set `repositoryUrl` to where the recipe really lives.",
      wrong: '# https://git.coopcloud.tech/coop-cloud/myapp answers 404\n',
      right: '# https://git.coopcloud.tech/coop-cloud/myapp answers 200\n',
      exampleFile: 'shell',
    },
    messages: {
      missing: 'the recipe repository {{url}} does not exist (HTTP {{status}})',
      unreachable: 'could not check the recipe repository {{url}}: {{reason}}',
    },
    options: {
      type: 'object',
      properties: {
        repositoryUrl: { type: 'string', description: 'URL template of the recipe repository; {name} is the recipe name.' },
        timeoutSeconds: { type: 'number', minimum: 1 },
      },
      additionalProperties: false,
    },
    defaultOptions: { repositoryUrl: DEFAULT_REPOSITORY_URL, timeoutSeconds: 20 },
    fixable: false,
    composeIndependent: true,
    presets: ['coop-cloud'],
    abra: 'R013',
    requires: ['online'],
  },
  async check(context) {
    const template = String(context.options.repositoryUrl ?? DEFAULT_REPOSITORY_URL);
    const url = template.replace(/\{name\}/g, encodeURIComponent(context.recipe.name));
    const timeoutSeconds = typeof context.options.timeoutSeconds === 'number' ? context.options.timeoutSeconds : 20;
    const span = recipeAnchor(context);
    let result = await askOnline(url, { kind: 'repository', method: 'HEAD', timeoutSeconds });
    if ('status' in result && (result.status === 405 || result.status === 501)) result = await askOnline(url, { kind: 'repository', timeoutSeconds });
    if ('reason' in result) {
      context.report({ messageId: 'unreachable', span, data: { url, reason: result.reason }, severity: 'info' });
      return;
    }
    if (result.status === 404 || result.status === 410) {
      context.report({ messageId: 'missing', span, data: { url, status: result.status } });
      return;
    }
    if (result.status >= 400) context.report({ messageId: 'unreachable', span, data: { url, reason: `HTTP ${result.status}` }, severity: 'info' });
  },
};

export default rule;
