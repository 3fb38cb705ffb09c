import { GalleyError } from '@galley/platform';
import { isoStrict } from '@galley/platform/git';
import { describe, expect, it } from '@jest/globals';
import { emptyFeatures, featuresFromReadme } from './abra.js';
import type { Catalogue } from './types.js';
import { canonicalJson, validateCatalogue } from './writer.js';

const recipe = (): Catalogue => ({
  forum: {
    name: 'forum',
    category: 'Apps',
    default_branch: 'main',
    description: '',
    icon: '',
    repository: 'https://git.example/forum.git',
    ssh_url: '',
    website: '',
    features: emptyFeatures(),
    versions: [{ '1.0.0+3.8.4': { app: { image: 'nodebb/nodebb', tag: '3.8.4', digest: 'unknown' } } }],
    galley: {
      versions: { '1.0.0+3.8.4': { date: '2024-01-01T00:00:00+00:00', annotated: true, commit: 'a'.repeat(40) } },
      upgrades: {
        app: {
          image: 'docker.io/nodebb/nodebb',
          current: '3.8.4',
          unparseable: [],
          minor: { tag: '3.9.0', digest: `sha256:${'b'.repeat(64)}` },
          daysBehind: 3,
        },
      },
      lint: { version: '1.0.0+3.8.4', errors: 0, warnings: 1, infos: 0, rules: { 'recipe/x': 1 } },
      source: 'gitea',
      sourceId: 'gitea:https://git.example/coop',
    },
  },
});

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, ends with a newline', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }], u: undefined })).toBe('{\n  "a": [\n    {\n      "c": 2,\n      "d": 1\n    }\n  ],\n  "b": 1\n}\n');
  });
});

describe('validateCatalogue (schemas/catalogue.schema.json)', () => {
  it('accepts a catalogue of the types’ shape', () => {
    expect(() => validateCatalogue(JSON.parse(canonicalJson(recipe())))).not.toThrow();
  });
  it('refuses one that does not fit, as a bug (exit 4)', () => {
    const bad = recipe();
    bad.forum!.versions.push({ a: {}, b: {} });
    (bad.forum!.galley!.upgrades.app as { daysBehind: number }).daysBehind = -1;
    try {
      validateCatalogue(bad);
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(GalleyError);
      expect((error as GalleyError).exitCode).toBe(4);
      expect((error as Error).message).toMatch(/versions\/1 must NOT have more than 1 properties|daysBehind must be >= 0/);
    }
  });
});

describe('featuresFromReadme', () => {
  it('gives abra’s features from a README metadata block', () => {
    const { features, category } = featuresFromReadme(
      '# X\n\n<!-- metadata -->\n* **Category**: Apps\n* **Status**: 2, beta\n* **Image**: [`wordpress`](https://hub.docker.com/_/wordpress), 4, upstream\n* **Healthcheck**: Yes\n* **Backups**: ❶💚\n* **Email**: 3\n* **Tests**:\n* **SSO**: No\n<!-- endmetadata -->\n',
    );
    expect(category).toBe('Apps');
    expect(features).toEqual({
      backups: '❶💚',
      email: '3',
      healthcheck: 'Yes',
      tests: '',
      sso: 'No',
      status: 2,
      image: { image: 'wordpress', rating: '4', source: 'upstream', url: 'https://hub.docker.com/_/wordpress' },
    });
  });
});

describe('isoStrict', () => {
  it('prints dates as git --format=%(taggerdate:iso-strict) does', () => {
    expect(isoStrict(1706875200, '+0000')).toBe('2024-02-02T12:00:00+00:00');
    expect(isoStrict(1706875200, '+0130')).toBe('2024-02-02T13:30:00+01:30');
    expect(isoStrict(1706875200, '-0500')).toBe('2024-02-02T07:00:00-05:00');
  });
});
