import type { ScoreKey } from './scores.js';

/**
 * The home page's filters over the README scores. An option's value says
 * how it matches a card's level: a number N matches levels ≥ N, `no`
 * matches level 0, `na` matches "not applicable". The client script knows
 * only this rule; the options themselves live here.
 */
export interface ScoreFilter {
  key: ScoreKey;
  label: string;
  options: { value: string; label: string }[];
}

const atLeast = (max: number, top: string): { value: string; label: string }[] =>
  Array.from({ length: max }, (_, i) => max - i).map((n) => ({ value: String(n), label: n === max ? top : `${n} or more` }));

export const SCORE_FILTERS: readonly ScoreFilter[] = [
  { key: 'status', label: 'Status', options: atLeast(5, '5 (complete)') },
  { key: 'image', label: 'Image', options: atLeast(4, '4 (official upstream)') },
  {
    key: 'healthcheck',
    label: 'Healthcheck',
    options: [
      { value: '1', label: 'Yes' },
      { value: 'no', label: 'No' },
    ],
  },
  {
    key: 'backups',
    label: 'Backups',
    options: [
      { value: '1', label: 'Yes' },
      { value: 'no', label: 'No' },
    ],
  },
  { key: 'email', label: 'Email', options: [...atLeast(3, '3 (automatic)'), { value: 'no', label: 'None' }, { value: 'na', label: 'N/A' }] },
  { key: 'sso', label: 'SSO', options: [...atLeast(3, '3 (automatic)'), { value: 'no', label: 'None' }, { value: 'na', label: 'N/A' }] },
  { key: 'tests', label: 'Tests', options: [...atLeast(3, '3 (automated)'), { value: 'no', label: 'None' }] },
];

/** Sort orders of the home page (`sort` in the URL); the first is the default. */
export const SORT_OPTIONS = [
  { value: '', label: 'Best match, then name' },
  { value: 'name', label: 'Name' },
  { value: 'newest', label: 'Newest release' },
  { value: 'status', label: 'Status' },
  { value: 'fresh', label: 'Closest to upstream' },
] as const;
