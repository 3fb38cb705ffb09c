import { describe, expect, it } from '@jest/globals';
import { abraImageName, abraJson, featuresFromReadme, stripTagMeta } from './abra.js';
import type { CatalogueRecipe } from './types.js';

// Parity with abra's catalogue generator (see abra.ts for the Go code each
// rule follows): image names, README features, and the file's layout.

describe('image names as abra writes them', () => {
  it.each([
    // repository path (reference.Path of the normalised name) → what abra writes
    ['library/nginx', 'nginx'],
    ['nodebb/nodebb', 'nodebb/nodebb'],
    ['baosystems/postgis', 'baosystems/postgis'],
    ['coop-cloud/app/sub', 'coop-cloud/app/sub'],
    // strings.Contains(image, "library"): any path with the word loses its first segment
    ['mylibrary/app', 'app'],
    // no slash to split on: kept (Go would panic here)
    ['library', 'library'],
  ])('%s → %s', (path, written) => {
    expect(stripTagMeta(path)).toBe(written);
  });

  it('drops the registry host, as reference.Path does', () => {
    expect(abraImageName({ image: 'ghcr.io/nodebb/nodebb', registry: 'ghcr.io', repository: 'nodebb/nodebb' } as never)).toBe('nodebb/nodebb');
    expect(abraImageName({ image: 'nginx', repository: 'library/nginx' })).toBe('nginx');
    // An image that does not parse keeps what the recipe writes.
    expect(abraImageName({ image: '${IMAGE}' })).toBe('${IMAGE}');
  });
});

const readme = (block: string) => `# App\n\nAn app.\n\n<!-- metadata -->\n${block}\n<!-- endmetadata -->\n`;

describe('README features as abra reads them', () => {
  it.each([
    [
      'current scores',
      '* **Category**: Apps\n* **Status**: 3, stable\n* **Image**: [`app/app`](https://hub.docker.com/r/app/app), 4, upstream\n* **Healthcheck**: Yes\n* **Backups**: Yes\n* **Email**: 2\n* **Tests**: No\n* **SSO**: N/A',
      {
        category: 'Apps',
        status: 3,
        backups: 'Yes',
        email: '2',
        tests: 'No',
        sso: 'N/A',
        image: { image: 'app/app', rating: '4', source: 'upstream', url: 'https://hub.docker.com/r/app/app' },
      },
    ],
    [
      'legacy emoji: kept as written; the status is no number, so 0',
      '* **Category**: Utilities\n* **Status**: ❷💛, beta\n* **Image**: [app](https://x.example/app), ❶💚, own\n* **Backups**: ❸🍎\n* **Email**: ❹💣',
      { category: 'Utilities', status: 0, backups: '❸🍎', email: '❹💣', image: { image: 'app', rating: '❶💚', source: 'own', url: 'https://x.example/app' } },
    ],
    [
      'an image line without rating and source: no image',
      '* **Image**: [app](https://x.example/app)\n* **Status**: 1',
      { status: 1, image: { image: '', rating: '', source: '', url: '' } },
    ],
    ['a line abra cannot strip (a dash bullet) is kept whole', '- **Backups**: Yes\n\t* **Tests**:\t2', { backups: '- **Backups**: Yes', tests: '2' }],
  ])('%s', (_title, block, expected) => {
    const { features, category } = featuresFromReadme(readme(block));
    const { category: wantCategory = '', ...want } = expected as Record<string, unknown>;
    expect(category).toBe(wantCategory);
    expect(features).toMatchObject(want);
  });

  it('gives empty features without a README or a metadata block', () => {
    expect(featuresFromReadme(undefined).features.status).toBe(0);
    expect(featuresFromReadme('# App\n\n* **Status**: 3\n').features.status).toBe(0);
  });
});

describe('--format abra', () => {
  it("lays the file out as Go's json.MarshalIndent does with abra's structs", () => {
    const entry: CatalogueRecipe = {
      name: 'forum',
      category: 'Apps',
      default_branch: 'main',
      description: 'Talk <here> & there',
      icon: '',
      repository: 'https://git.example/forum.git',
      ssh_url: '',
      website: '',
      features: {
        backups: 'Yes',
        email: '',
        healthcheck: '',
        tests: '2',
        sso: 'No',
        status: 3,
        image: { image: 'nodebb', rating: '4', source: 'upstream', url: '' },
      },
      versions: [
        { '1.0.0+3.8.4': { db: { image: 'postgres', tag: '16', digest: 'unknown' }, app: { image: 'nodebb/nodebb', tag: '3.8.4', digest: 'unknown' } } },
      ],
      galley: { versions: {}, upgrades: {} },
    };
    // What abra writes for a recipe up to `versions` (features end with status, tests, sso).
    const head = (name: string) => [
      `    "${name}": {`,
      '        "category": "Apps",',
      '        "default_branch": "main",',
      '        "description": "Talk \\u003chere\\u003e \\u0026 there",',
      '        "features": {',
      '            "backups": "Yes",',
      '            "email": "",',
      '            "healthcheck": "",',
      '            "image": {',
      '                "image": "nodebb",',
      '                "rating": "4",',
      '                "source": "upstream",',
      '                "url": ""',
      '            },',
      '            "status": 3,',
      '            "tests": "2",',
      '            "sso": "No"',
      '        },',
      '        "icon": "",',
      `        "name": "${name}",`,
      '        "repository": "https://git.example/forum.git",',
      '        "ssh_url": "",',
    ];
    expect(abraJson({ forum: entry, empty: { ...entry, name: 'empty', versions: [], galley: undefined } as CatalogueRecipe })).toBe(
      [
        '{',
        ...head('empty'),
        '        "versions": [],',
        '        "website": ""',
        '    },',
        ...head('forum'),
        '        "versions": [',
        '            {',
        '                "1.0.0+3.8.4": {',
        '                    "app": {',
        '                        "digest": "unknown",',
        '                        "image": "nodebb/nodebb",',
        '                        "tag": "3.8.4"',
        '                    },',
        '                    "db": {',
        '                        "digest": "unknown",',
        '                        "image": "postgres",',
        '                        "tag": "16"',
        '                    }',
        '                }',
        '            }',
        '        ],',
        '        "website": "",',
        '        "galley": {',
        '            "upgrades": {},',
        '            "versions": {}',
        '        }',
        '    }',
        '}',
      ].join('\n'),
    );
  });
});
