import type { Rule } from '@galley/linter';
import type { Score } from '@galley/recipe';

type Range = { min: number; max: number; words: ('yes' | 'no' | 'n/a')[] };

/** What each score may be, on the current scale (see the recipe format). */
const SCORES: [field: 'status' | 'healthcheck' | 'backups' | 'email' | 'tests' | 'sso', label: string, range: Range][] = [
  ['status', 'Status', { min: 1, max: 5, words: [] }],
  ['healthcheck', 'Healthcheck', { min: 0, max: 0, words: ['yes', 'no', 'n/a'] }],
  ['backups', 'Backups', { min: 0, max: 0, words: ['yes', 'no', 'n/a'] }],
  ['email', 'Email', { min: 0, max: 3, words: ['no', 'n/a'] }],
  ['tests', 'Tests', { min: 0, max: 3, words: ['no'] }],
  ['sso', 'SSO', { min: 0, max: 3, words: ['no', 'n/a'] }],
];

function describe(range: Range): string {
  const parts: string[] = [];
  if (range.max > 0) parts.push(`a number ${range.min}–${range.max}`);
  if (range.words.length) parts.push(range.words.map((w) => (w === 'n/a' ? 'N/A' : w[0]!.toUpperCase() + w.slice(1))).join(', '));
  return parts.join(' or ');
}

function valid(score: Score, range: Range): boolean {
  // The legacy emoji scale (❶ best … ❹ worst) is read for every score.
  if (score.legacy) return score.legacy.digit >= 1 && score.legacy.digit <= 4;
  if (score.value === undefined) return false;
  if (typeof score.value === 'number') return range.max > 0 && score.value >= range.min && score.value <= range.max;
  return range.words.includes(score.value);
}

const rule: Rule = {
  meta: {
    id: 'recipe/readme-metadata-values',
    severity: 'warning',
    category: 'coop-cloud',
    description: 'README metadata scores are on their scales: Status 1–5, Image rating 1–4, Email/SSO/Tests 0–3, Healthcheck/Backups yes or no.',
    docs: {
      why: 'The catalogue reads the scores of the README metadata block to rank and filter recipes. A value off the scale (`Status: 7`, `Image: …, 5, upstream`) or not a score at all (`Email: maybe`) is shown as unknown, and hosters cannot compare recipes. The scales: **Status** 1 (alpha) to 5; **Image** 4 official upstream, 3 semi-official, 2 third-party, 1 own image; **Email** and **SSO** 3 automatic, 2 mostly automatic, 1 manual, 0 none, or N/A; **Tests** 0–3; **Healthcheck** and **Backups** Yes or No. The legacy emoji scale (❶💚) is read too.',
      fix: 'Write each score as a number on its scale (optionally followed by a word, `3, stable`), or Yes/No/N/A where the scale allows it.',
      wrong:
        '<!-- metadata -->\n* **Category**: Apps\n* **Status**: 7\n* **Image**: [`nginx`](https://hub.docker.com/_/nginx), 5, upstream\n* **Healthcheck**: Yes\n* **Backups**: Yes\n* **Email**: maybe\n* **Tests**: 2\n* **SSO**: No\n<!-- endmetadata -->\n',
      right:
        '<!-- metadata -->\n* **Category**: Apps\n* **Status**: 3, stable\n* **Image**: [`nginx`](https://hub.docker.com/_/nginx), 4, upstream\n* **Healthcheck**: Yes\n* **Backups**: Yes\n* **Email**: N/A\n* **Tests**: 2\n* **SSO**: No\n<!-- endmetadata -->\n',
      exampleFile: 'README.md',
    },
    messages: {
      score: '**{{field}}** is "{{value}}", which is not {{expected}}',
      statusZero: '**Status** is 0, as `abra recipe new` writes it: rate the recipe (1 alpha … 5) once it works',
      imageRating: 'the **Image** rating is {{value}}; it must be 4 (official upstream), 3 (semi-official), 2 (third-party) or 1 (own image)',
      imageName: 'the **Image** field names no image; write it as [`name`](url), rating, source',
    },
    fixable: false,
    composeIndependent: true,
    presets: ['coop-cloud'],
  },
  check(context) {
    const metadata = context.recipe.readme?.metadata;
    if (!metadata) return;
    for (const [field, label, range] of SCORES) {
      const score = metadata[field];
      if (!score?.raw.trim()) continue;
      if (valid(score, range)) continue;
      if (field === 'status' && score.value === 0 && !score.legacy) {
        // What `abra recipe new` writes: a recipe not rated yet, not a mistake.
        context.report({ messageId: 'statusZero', span: score.span, severity: 'info' });
        continue;
      }
      context.report({ messageId: 'score', span: score.span, data: { field: label, value: score.raw, expected: describe(range) } });
    }
    const image = metadata.image;
    if (image?.raw.trim()) {
      if (image.rating !== undefined && (image.rating < 1 || image.rating > 4)) {
        context.report({ messageId: 'imageRating', span: image.span, data: { value: image.rating } });
      }
      if (!image.image) context.report({ messageId: 'imageName', span: image.span });
    }
  },
};

export default rule;
