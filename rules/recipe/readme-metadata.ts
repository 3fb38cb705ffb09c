import type { Rule } from '@galley/linter';
import { fileStart } from '../_lib/compose.js';

/** The fields of the metadata block the catalogue reads. */
export const METADATA_FIELDS = ['Category', 'Status', 'Image', 'Healthcheck', 'Backups', 'Email', 'Tests', 'SSO'];

/** What each field holds, for remediations. */
const HINTS: Record<string, string> = {
  Category: 'e.g. Apps, Utilities, Development',
  Status: '1 alpha … 5 production-ready with SSO, e.g. `3, stable`',
  Image: '[`name`](url), rating 1–4, upstream/own',
  Healthcheck: 'Yes or No',
  Backups: 'Yes or No',
  Email: '0–3 or N/A',
  Tests: '0–3',
  SSO: '0–3 or N/A',
};

const BLOCK = [
  '<!-- metadata -->',
  '* **Category**: Apps',
  '* **Status**: 3, stable',
  '* **Image**: [`nginx`](https://hub.docker.com/_/nginx), 4, upstream',
  '* **Healthcheck**: Yes',
  '* **Backups**: Yes',
  '* **Email**: N/A',
  '* **Tests**: 2',
  '* **SSO**: N/A',
  '<!-- endmetadata -->',
].join('\n');

const rule: Rule = {
  meta: {
    id: 'recipe/readme-metadata',
    severity: 'warning',
    category: 'coop-cloud',
    description: 'The README has a metadata block with Category, Status, Image, Healthcheck, Backups, Email, Tests and SSO filled in.',
    docs: {
      why: "The recipe catalogue (recipes.coopcloud.tech, `abra recipe ls`) shows each recipe's category and scores from the metadata block of its README. Without the block, or with empty fields, the recipe is listed without a category and with unknown quality, and hosters skip it (abra R007).",
      fix: `Add the block near the top of README.md and fill in every field:\n\n\`\`\`markdown\n${BLOCK}\n\`\`\``,
      wrong: '# nginx\n\nA web server.\n',
      right: `# nginx\n\nA web server.\n\n${BLOCK}\n`,
      exampleFile: 'README.md',
    },
    messages: {
      noReadme: 'the recipe has no README.md, so the catalogue has no description, category or scores for it',
      noBlock: '{{file}} has no <!-- metadata --> block, so the catalogue shows no category or scores',
      missingField: 'the metadata block has no **{{field}}** field',
      emptyField: 'the metadata field **{{field}}** is empty',
      noRating: 'the **Image** field gives no rating (4 official upstream … 1 own image), which abra recipe lint requires',
    },
    fixable: false,
    composeIndependent: true,
    presets: ['coop-cloud'],
    abra: 'R007',
  },
  check(context) {
    const readme = context.recipe.readme;
    if (!readme) {
      context.report({
        messageId: 'noReadme',
        span: fileStart('README.md'),
        remediation: "Add README.md with a title, a one-line description and the <!-- metadata --> block (see the rule's documentation for the block).",
      });
      return;
    }
    const metadata = readme.metadata;
    if (!metadata) {
      context.report({
        messageId: 'noBlock',
        span: fileStart(readme.file),
        data: { file: readme.file },
        remediation: `Add a <!-- metadata --> … <!-- endmetadata --> block to ${readme.file} with one \`* **Field**: value\` line for each of ${METADATA_FIELDS.join(', ')}.`,
      });
      return;
    }
    const lineEnd = readme.text.indexOf('\n', metadata.span.offset);
    const end = lineEnd === -1 ? readme.text.length : lineEnd;
    // The `<!-- metadata -->` line: where missing fields belong.
    const firstLine = { ...metadata.span, endLine: metadata.span.line, endCol: metadata.span.col + (end - metadata.span.offset), endOffset: end };
    for (const field of METADATA_FIELDS) {
      const found = metadata.fields.find((f) => f.key.toLowerCase() === field.toLowerCase());
      const remediation = `Fill in \`* **${field}**: …\` in the metadata block (${HINTS[field]}).`;
      if (!found) context.report({ messageId: 'missingField', span: firstLine, data: { field }, remediation });
      else if (!found.value) context.report({ messageId: 'emptyField', span: found.span, data: { field }, remediation });
    }
    // abra's R007 fails an Image line without its rating (`[nginx](…), 4, upstream`).
    const image = metadata.image;
    if (image?.raw.trim() && image.rating === undefined) {
      context.report({
        messageId: 'noRating',
        span: image.span,
        remediation: `Add the rating after the image: \`* **Image**: [\`name\`](url), 4, upstream\` (${HINTS.Image}).`,
      });
    }
  },
};

export default rule;
