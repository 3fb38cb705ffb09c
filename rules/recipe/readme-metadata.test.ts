import { testRule } from '@galley/linter/testing';
import readmeMetadata from './readme-metadata.js';
import readmeMetadataValues from './readme-metadata-values.js';

const block = (fields: Record<string, string>) =>
  `# App\n\nAn app.\n\n<!-- metadata -->\n${Object.entries(fields)
    .map(([k, v]) => `* **${k}**: ${v}`.trimEnd())
    .join('\n')}\n<!-- endmetadata -->\n`;
const full = {
  Category: 'Apps',
  Status: '3, stable',
  Image: '[`nginx`](https://hub.docker.com/_/nginx), 4, upstream',
  Healthcheck: 'Yes',
  Backups: 'No',
  Email: 'N/A',
  Tests: '2',
  SSO: '0',
};
const compose = { 'compose.yml': 'services: {}\n' };

testRule(readmeMetadata, {
  valid: [
    { name: 'complete block', files: { ...compose, 'README.md': block(full) } },
    { name: 'dashes and legacy emoji', files: { ...compose, 'README.md': block({ ...full, Status: '❶💚' }).replace(/^\* /gm, '- ') } },
  ],
  invalid: [
    { name: 'no README', files: compose, errors: [{ messageId: 'noReadme', file: 'README.md', line: 1, col: 1, endLine: 1, endCol: 1 }] },
    {
      name: 'no block',
      files: { ...compose, 'README.md': '# App\n' },
      errors: [
        {
          messageId: 'noBlock',
          message: 'README.md has no <!-- metadata --> block, so the catalogue shows no category or scores',
          line: 1,
          col: 1,
          endLine: 1,
          endCol: 1,
        },
      ],
    },
    {
      name: 'missing and empty fields',
      files: {
        ...compose,
        'README.md': block({ Category: 'Apps', Status: '', Image: '[`x`](u), 4, upstream', Healthcheck: 'Yes', Backups: 'Yes', Email: '1', Tests: '' }),
      },
      errors: [
        { messageId: 'missingField', message: 'the metadata block has no **SSO** field', line: 5, col: 1, endLine: 5, endCol: 18 },
        { messageId: 'emptyField', message: 'the metadata field **Status** is empty', line: 7, col: 1, endLine: 7, endCol: 14 },
        { messageId: 'emptyField', line: 12, col: 1, endLine: 12, endCol: 13 },
      ],
    },
    {
      name: 'an Image line without its rating (abra R007 fails it)',
      files: { ...compose, 'README.md': block({ ...full, Image: '[`nginx`](https://hub.docker.com/_/nginx), upstream' }) },
      errors: [
        {
          messageId: 'noRating',
          message: 'the **Image** field gives no rating (4 official upstream … 1 own image), which abra recipe lint requires',
          line: 8,
          col: 14,
          endLine: 8,
          endCol: 65,
        },
      ],
    },
  ],
});

testRule(readmeMetadataValues, {
  valid: [
    { name: 'every scale', files: { ...compose, 'README.md': block(full) } },
    { name: "empty values are the other rule's", files: { ...compose, 'README.md': block({ ...full, Status: '', Email: '' }) } },
    {
      name: 'legacy emoji scores',
      files: { ...compose, 'README.md': block({ ...full, Status: '❷💛', Image: '[`x`](u), ❶💚, upstream', Email: '❶💚', Tests: '❷💛' }) },
    },
  ],
  invalid: [
    {
      name: 'off the scales',
      files: {
        ...compose,
        'README.md': block({ ...full, Status: '7', Image: '[`nginx`](https://hub.docker.com/_/nginx), 5, upstream', Email: 'maybe', Healthcheck: '2' }),
      },
      errors: [
        { messageId: 'score', message: '**Status** is "7", which is not a number 1–5', line: 7, col: 15, endLine: 7, endCol: 16 },
        {
          messageId: 'imageRating',
          message: 'the **Image** rating is 5; it must be 4 (official upstream), 3 (semi-official), 2 (third-party) or 1 (own image)',
          line: 8,
          col: 14,
          endLine: 8,
          endCol: 68,
        },
        { messageId: 'score', message: '**Healthcheck** is "2", which is not Yes, No, N/A', line: 9, col: 20, endLine: 9, endCol: 21 },
        { messageId: 'score', message: '**Email** is "maybe", which is not a number 0–3 or No, N/A', line: 11, col: 14, endLine: 11, endCol: 19 },
      ],
    },
    {
      name: 'a legacy emoji off its scale',
      files: { ...compose, 'README.md': block({ ...full, Tests: '❺' }) },
      errors: [{ messageId: 'score', line: 12, col: 14, endLine: 12, endCol: 15 }],
    },
    {
      name: 'Status 0, as abra recipe new writes it, is only information',
      files: { ...compose, 'README.md': block({ ...full, Status: '0' }) },
      errors: [{ messageId: 'statusZero', severity: 'info', line: 7, col: 15, endLine: 7, endCol: 16 }],
    },
    {
      name: 'image without a name',
      files: { ...compose, 'README.md': block({ ...full, Image: '4, upstream' }) },
      errors: [{ messageId: 'imageName', line: 8, col: 14, endLine: 8, endCol: 25 }],
    },
  ],
});
