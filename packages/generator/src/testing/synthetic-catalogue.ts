import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalogue, CatalogueRecipe, LintFinding, MediaFile, ServiceUpgrades, VersionEntry } from '../catalogue-types.js';

/** Icons the synthetic recipes share (mirrored files are content-addressed, so equal icons are one file). */
const ICON_COLOURS = ['#0b5cad', '#1a7f37', '#a14200', '#6f42c1', '#b3261e', '#3d4451', '#7d5a00', '#0a7e8c'];
function icons(): { file: MediaFile; bytes: Buffer }[] {
  return ICON_COLOURS.map((fill) => {
    const bytes = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="8" fill="${fill}"/></svg>\n`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { file: { file: `media/${sha256}.svg`, type: 'image/svg+xml', bytes: bytes.length, sha256 }, bytes };
  });
}

/**
 * A synthetic catalogue of `count` recipes that looks like the real one
 * (categories, scores written every way abra sees them, several releases
 * with dated annotated tags, 1–4 services, upgrade candidates, lint
 * summaries, READMEs with a metadata block, lists, code and links), for
 * benchmarks and size budgets. Deterministic: the same count and seed give
 * the same catalogue.
 */
export interface SyntheticCatalogue {
  catalogue: Catalogue;
  /** README markdown by recipe name. */
  readmes: Map<string, string>;
}

const SYLLABLES = ['ba', 'co', 'da', 'fe', 'gi', 'ho', 'ju', 'ka', 'lo', 'mi', 'nu', 'pa', 're', 'si', 'to', 'vu', 'wa', 'xe', 'yo', 'ze'];
const NOUNS = ['cloud', 'wiki', 'chat', 'forum', 'docs', 'mail', 'board', 'notes', 'drive', 'pad', 'feed', 'maps', 'tube', 'cal', 'shop'];
const CATEGORIES = ['Apps', 'Apps', 'Apps', 'Utilities', 'Development', 'Communication', 'Media', 'Office'];
const UPSTREAM_IMAGES = ['nginx', 'postgres', 'redis', 'mariadb', 'memcached', 'bitnami/keycloak', 'ghcr.io/example/worker', 'quay.io/example/proxy'];
const WORDS = ['self-hosted', 'libre', 'cooperative', 'fast', 'simple', 'federated', 'collaborative', 'private', 'lightweight', 'community'];
const SCORE_FORMS = [
  (n: number) => String(n),
  (n: number) => `${n}, ${['alpha', 'beta', 'stable', 'stable', 'great'][n - 1] ?? ''}`,
  (n: number) => `${'❶❷❸❹'[Math.max(0, 4 - n)]}💚`,
];

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticCatalogue(count: number, seed = 1): SyntheticCatalogue {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const int = (min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const catalogue: Catalogue = {};
  const readmes = new Map<string, string>();
  const used = new Set<string>();
  const epoch = Date.parse('2024-06-30T12:00:00Z');
  const iconFiles = icons();

  for (let i = 0; i < count; i++) {
    let name = `${pick(SYLLABLES)}${pick(SYLLABLES)}${pick(NOUNS)}`;
    while (used.has(name)) name = `${name}-${int(2, 99)}`;
    used.add(name);
    const category = pick(CATEGORIES);
    const status = int(1, 5);
    const mainImage = rand() < 0.7 ? `${name}/${name}` : `ghcr.io/${name}/${name}`;
    const extra = Array.from({ length: int(0, 3) }, () => pick(UPSTREAM_IMAGES)).filter((v, k, a) => a.indexOf(v) === k);
    const services: [string, string][] = [['app', mainImage], ...extra.map((img, k): [string, string] => [['db', 'cache', 'worker'][k]!, img])];
    const releases = int(1, 8);
    const versions: VersionEntry[] = [];
    const galleyVersions: NonNullable<CatalogueRecipe['galley']>['versions'] = {};
    let major = int(0, 3);
    let minor = int(0, 9);
    let upstream = [int(1, 20), int(0, 20), int(0, 9)];
    let date = epoch - int(0, 900) * 86_400_000;
    const dates: number[] = [];
    for (let r = 0, d = date; r < releases; r++, d -= int(5, 60) * 86_400_000) dates.push(d);
    dates.reverse();
    for (let r = 0; r < releases; r++) {
      if (rand() < 0.3) major++;
      else minor++;
      upstream = [upstream[0]!, upstream[1]! + int(0, 2), int(0, 9)];
      const tag = upstream.join('.');
      const version = `${major}.${minor}.0+${tag}`;
      const entry: Record<string, { image: string; tag: string; digest: string }> = {};
      for (const [service, image] of services) {
        entry[service] = { image, tag: service === 'app' ? tag : `${int(1, 16)}.${int(0, 9)}`, digest: rand() < 0.05 ? 'unknown' : `sha256:${hex(64)}` };
      }
      versions.push({ [version]: entry });
      date = dates[r]!;
      galleyVersions[version] = {
        date: new Date(date).toISOString().replace('.000Z', 'Z'),
        annotated: rand() < 0.9,
        commit: hex(40),
        ...(rand() < 0.4 ? { notes: `Upgrades ${name} to ${tag}.\n\n- ${pick(WORDS)} fixes\n- ${pick(WORDS)} defaults` } : {}),
      };
    }
    const latest = Object.values(versions[versions.length - 1]!)[0]!;
    const upgrades: Record<string, ServiceUpgrades> = {};
    for (const [service, current] of Object.entries(latest)) {
      const u: ServiceUpgrades = { image: current.image, current: current.tag, unparseable: [] };
      const roll = rand();
      if (roll < 0.3) u.patch = { tag: `${current.tag}.1`, digest: `sha256:${hex(64)}` };
      if (roll < 0.15) u.minor = { tag: `${current.tag}-next`, digest: `sha256:${hex(64)}` };
      if (roll < 0.07) u.major = { tag: `${int(20, 30)}.0.0`, digest: `sha256:${hex(64)}` };
      if (roll < 0.3) u.daysBehind = int(1, 400);
      else if (rand() < 0.8) u.daysBehind = 0;
      if (rand() < 0.1) u.unparseable.push({ tag: 'latest', reason: 'a bare word, not a version' });
      if (rand() < 0.03) u.error = 'the registry answered 429 Too Many Requests';
      upgrades[service] = u;
    }
    const errors = int(0, 2);
    const warnings = int(0, 6);
    const findings: LintFinding[] = [
      ...Array.from({ length: errors }, (_, k) => ({
        rule: 'security/docker-socket',
        title: 'No service mounts the Docker socket.',
        severity: 'error' as const,
        message: `service "app" mounts /var/run/docker.sock (${k + 1})`,
        file: 'compose.yml',
        line: 10 + k,
        column: 9,
        docs: 'https://git.coopcloud.tech/toolshed/galley/src/branch/main/docs/rules/security/docker-socket.md',
      })),
      ...Array.from({ length: warnings }, (_, k) => ({
        rule: 'compose/unused-volume',
        title: 'Every volume defined is used by a service.',
        severity: 'warning' as const,
        message: `volume "v${k}" is not used`,
        file: 'compose.yml',
        line: 40 + k,
        column: 3,
        docs: 'https://git.coopcloud.tech/toolshed/galley/src/branch/main/docs/rules/compose/unused-volume.md',
      })),
    ];
    const icon = rand() < 0.6 ? iconFiles[int(0, iconFiles.length - 1)]!.file : undefined;
    const yesNo = (): string => pick(['Yes', 'No', '', '✅', '❌']);
    const graded = (): string => pick(['0', '1', '2', '3', 'N/A', '', 'No']);
    const form = pick(SCORE_FORMS);
    const recipe: CatalogueRecipe = {
      name,
      category,
      default_branch: 'main',
      description: `A ${pick(WORDS)} ${pick(WORDS)} ${pick(NOUNS)} for co-ops, packaged for Co-op Cloud (${name})`,
      icon: '',
      repository: `https://git.coopcloud.tech/coop-cloud/${name}.git`,
      ssh_url: `ssh://git@git.coopcloud.tech:2222/coop-cloud/${name}.git`,
      website: rand() < 0.8 ? `https://${name}.example.org` : '',
      features: {
        backups: yesNo(),
        email: graded(),
        healthcheck: yesNo(),
        tests: pick(['0', '1', '2', '3', '']),
        sso: graded(),
        status,
        image: { image: mainImage, rating: form(int(1, 4)), source: pick(['upstream', 'own', 'third-party']), url: `https://hub.docker.com/r/${name}/${name}` },
      },
      versions,
      galley: {
        versions: galleyVersions,
        upgrades,
        lint: {
          version: Object.keys(versions[versions.length - 1]!)[0]!,
          errors,
          warnings,
          infos: 0,
          rules: Object.fromEntries(Object.entries({ 'security/docker-socket': errors, 'compose/unused-volume': warnings }).filter(([, n]) => n > 0)),
          findings,
        },
        source: 'gitea',
        licence: pick([
          { spdx: 'AGPL-3.0', name: 'GNU Affero General Public License v3', file: 'LICENSE' },
          { spdx: 'GPL-3.0', name: 'GNU General Public License v3', file: 'LICENSE' },
          { spdx: 'MIT', name: 'MIT License', file: 'LICENSE.md' },
        ]),
        maintainers: [{ name: `${pick(SYLLABLES)}${pick(SYLLABLES)}`, from: ['tagger'] }],
        ...(icon ? { media: { icon: { ...icon, src: `https://git.coopcloud.tech/avatars/${name}` }, images: [] } } : {}),
      },
    };
    catalogue[name] = recipe;
    readmes.set(name, syntheticReadme(name, category, status, mainImage, pick, int));
  }
  const sorted: Catalogue = {};
  for (const key of Object.keys(catalogue).sort()) sorted[key] = catalogue[key]!;
  return { catalogue: sorted, readmes };
}

function syntheticReadme(
  name: string,
  category: string,
  status: number,
  image: string,
  pick: <T>(l: readonly T[]) => T,
  int: (a: number, b: number) => number,
): string {
  const paragraphs = Array.from({ length: int(2, 5) }, () => Array.from({ length: int(8, 30) }, () => pick(WORDS)).join(' '));
  return `# ${name}

> ${paragraphs[0]}

<!-- metadata -->
* **Category**: ${category}
* **Status**: ${status}
* **Image**: [\`${image}\`](https://hub.docker.com/r/${image}), 4, upstream
* **Healthcheck**: Yes
* **Backups**: Yes
* **Email**: 2
* **Tests**: 1
* **SSO**: No
<!-- endmetadata -->

## Quick start

1. \`abra app new ${name} --secrets\`
2. \`abra app config <app-name>\`
3. \`abra app deploy <app-name>\`

${paragraphs.slice(1).join('\n\n')}

## Configuration

| variable | what |
| --- | --- |
| \`DOMAIN\` | where it runs |
| \`SECRET_DB_PASSWORD_VERSION\` | the database password version |

\`\`\`sh
abra app cmd <app-name> app migrate
\`\`\`

See [the docs](docs/setup.md), [upstream](https://${name}.example.org/docs) and ![logo](logo.png).
`;
}

/** Writes `recipes.json`, its sidecar, the shared icons in `media/` and `readmes/<name>.md` into `dir`; returns their paths. */
export async function writeSyntheticCatalogue(dir: string, count: number, seed = 1): Promise<{ catalogueFile: string; readmesDir: string }> {
  const { catalogue, readmes } = syntheticCatalogue(count, seed);
  const readmesDir = path.join(dir, 'readmes');
  await mkdir(readmesDir, { recursive: true });
  await mkdir(path.join(dir, 'media'), { recursive: true });
  const catalogueFile = path.join(dir, 'recipes.json');
  await writeFile(catalogueFile, `${JSON.stringify(catalogue, null, 2)}\n`);
  await writeFile(
    path.join(dir, 'recipes.galley.json'),
    `${JSON.stringify({ generatedAt: '2024-07-01T03:00:00Z', upstreamCheckedAt: '2024-07-01T03:00:00Z', media: 'media' }, null, 2)}\n`,
  );
  for (const icon of icons()) await writeFile(path.join(dir, icon.file.file), icon.bytes);
  await Promise.all([...readmes].map(([name, text]) => writeFile(path.join(readmesDir, `${name}.md`), text)));
  return { catalogueFile, readmesDir };
}
