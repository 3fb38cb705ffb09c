import { parseScore, type Span } from '@galley/recipe';
import type { Features } from './catalogue-types.js';

/** The README metadata scores the site shows and filters on. */
export type ScoreKey = 'status' | 'image' | 'healthcheck' | 'backups' | 'email' | 'sso' | 'tests';

export const SCORE_KEYS: readonly ScoreKey[] = ['status', 'image', 'healthcheck', 'backups', 'email', 'sso', 'tests'];

export interface ScoreView {
  key: ScoreKey;
  /** `Status`, `Image`, `Healthcheck`, … */
  label: string;
  /** As the catalogue has it (`3, stable`, `❶💚`, `Yes`, ``). */
  raw: string;
  /**
   * For filtering: a number on the score's scale (yes = 1, no = 0 for the
   * yes/no scores), `na` for "not applicable", undefined when unknown.
   */
  level: number | 'na' | undefined;
  /** How the site shows it: `3 of 5`, `Yes`, `N/A`, `unknown`. */
  display: string;
  /** The value as written, when it is written some other way than a plain number or yes/no (`❶💚`, `3, stable`). */
  writtenAs?: string;
  /** good (the top of the scale), ok, weak, poor (the bottom), none (unknown or not applicable): the colour. */
  tone: 'good' | 'ok' | 'weak' | 'poor' | 'none';
  /** What this value means, in a sentence. */
  meaning: string;
  /** What the score measures, in a sentence. */
  about: string;
}

interface ScoreDefinition {
  label: string;
  about: string;
  /** Highest value on the scale; 1 for yes/no scores. */
  max: number;
  yesNo: boolean;
  meanings: Record<number, string>;
}

/** From the Co-op Cloud recipe format (README metadata block). */
export const SCORE_DEFINITIONS: Record<ScoreKey, ScoreDefinition> = {
  status: {
    label: 'Status',
    about: 'How ready the recipe is for production, from 1 (alpha) to 5.',
    max: 5,
    yesNo: false,
    meanings: {
      0: 'Not rated yet.',
      1: 'Alpha: it may deploy, but expect to fix things yourself.',
      2: 'Beta: missing 3–4 of upstream image, backups, email, healthcheck and integration tests, or no upstream image.',
      3: 'Stable: an upstream image, missing 1–2 of backups, email, healthcheck and integration tests.',
      4: 'Upstream image, backups, email, healthcheck and integration tests.',
      5: 'Everything in 4, plus single sign-on.',
    },
  },
  image: {
    label: 'Image',
    about: 'Who builds the main image, from 1 (the recipe maintainers) to 4 (upstream, official).',
    max: 4,
    yesNo: false,
    meanings: {
      1: 'An image of its own, built by the recipe maintainers.',
      2: 'A third-party image.',
      3: 'A semi-official image.',
      4: 'The official upstream image.',
    },
  },
  healthcheck: {
    label: 'Healthcheck',
    about: 'Whether the app service has a healthcheck, so a deploy waits until it is really up.',
    max: 1,
    yesNo: true,
    meanings: { 0: 'No healthcheck: a deploy cannot tell a broken app from a working one.', 1: 'The app reports its health; deploys wait for it.' },
  },
  backups: {
    label: 'Backups',
    about: 'Whether the recipe says what to back up (backupbot labels), so backups work out of the box.',
    max: 1,
    yesNo: true,
    meanings: { 0: 'No backup configuration: you have to work out what to save.', 1: 'Backups are configured.' },
  },
  email: {
    label: 'Email',
    about: 'How much of sending email is set up for you, from 0 (none) to 3 (automatic).',
    max: 3,
    yesNo: false,
    meanings: {
      0: 'No email support.',
      1: 'Email works after manual configuration.',
      2: 'Email is mostly automatic.',
      3: 'Email is configured automatically.',
    },
  },
  sso: {
    label: 'SSO',
    about: 'How much of single sign-on is set up for you, from 0 (none) to 3 (automatic).',
    max: 3,
    yesNo: false,
    meanings: {
      0: 'No single sign-on.',
      1: 'Single sign-on works after manual configuration.',
      2: 'Single sign-on is mostly automatic.',
      3: 'Single sign-on is configured automatically.',
    },
  },
  tests: {
    label: 'Tests',
    about: 'How well the recipe is tested, from 0 (not at all) to 3.',
    max: 3,
    yesNo: false,
    meanings: {
      0: 'No tests.',
      1: 'Some tests, run by hand.',
      2: 'Integration tests cover most of it.',
      3: 'Automated integration tests cover deploys and upgrades.',
    },
  },
};

const NO_SPAN: Span = { file: 'recipes.json', line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };

/** Reads every score of a recipe's `features`, whatever the form (`3, stable`, `❶💚`, `Yes`, `N/A`, empty). */
export function readScores(features: Partial<Features> | undefined): ScoreView[] {
  return SCORE_KEYS.map((key) => {
    let raw: string;
    if (key === 'status') raw = features?.status === undefined ? '' : String(features.status);
    else if (key === 'image') raw = features?.image?.rating ?? '';
    else raw = features?.[key] ?? '';
    return scoreView(key, raw);
  });
}

export function scoreView(key: ScoreKey, raw: string): ScoreView {
  const definition = SCORE_DEFINITIONS[key];
  const parsed = parseScore(raw, NO_SPAN);
  let level: ScoreView['level'];
  const value = parsed.value;
  if (typeof value === 'number') level = definition.yesNo ? (value > 0 ? 1 : 0) : Math.min(value, definition.max);
  else if (value === 'yes') level = 1;
  else if (value === 'no') level = 0;
  else if (value === 'n/a') level = 'na';
  // status 0 means "not rated": keep it as a level, the filter's lowest step is 1
  let display: string;
  let meaning: string;
  if (level === undefined) {
    display = 'unknown';
    meaning = raw.trim() ? `Written as “${raw.trim()}”, which galley does not understand.` : 'The README does not say.';
  } else if (level === 'na') {
    display = 'N/A';
    meaning = 'Not applicable to this app.';
  } else {
    display = definition.yesNo ? (level > 0 ? 'Yes' : 'No') : `${level} of ${definition.max}`;
    meaning = definition.meanings[level] ?? '';
    if (parsed.label && !definition.yesNo) display += ` (${parsed.label})`;
  }
  const view: ScoreView = { key, label: definition.label, raw, level, display, meaning, about: definition.about, tone: toneOf(level, definition.max) };
  const written = raw.trim();
  if (written && !/^\d+$/.test(written) && !/^(yes|no|n\/a)$/i.test(written)) view.writtenAs = written;
  return view;
}

const TONES: Record<number, ScoreView['tone'][]> = {
  1: ['poor', 'good'],
  3: ['poor', 'weak', 'ok', 'good'],
  4: ['none', 'poor', 'weak', 'ok', 'good'],
  5: ['none', 'poor', 'weak', 'ok', 'good', 'good'],
};

function toneOf(level: ScoreView['level'], max: number): ScoreView['tone'] {
  if (level === undefined || level === 'na') return 'none';
  return TONES[max]?.[Math.max(0, Math.min(level, max))] ?? 'none';
}
