import type { CatalogueRecipe, Features } from './types.js';

/**
 * Parity with abra's own catalogue generator (coop-cloud/abra, Go), so that
 * switching from `abra catalogue generate` to galley is a no-op for
 * abra and the other readers of recipes.json:
 *
 * - image names: abra writes `reference.Path()` of the normalised image
 *   (no registry host) through `formatter.StripTagMeta` (drops a
 *   `docker.io/` or `library/` first segment): `nginx`, not
 *   `library/nginx`; `nodebb/nodebb` for `ghcr.io/nodebb/nodebb`;
 * - README features: each metadata line that contains `**Key**` is read
 *   with `strings.TrimPrefix(line, "* **Key**:")` and trimmed, so scores
 *   are kept exactly as written (legacy emoji `❶💚` included), the status
 *   is `strconv.Atoi` of the text before the first comma (0 when that is no
 *   number, e.g. a legacy emoji), and the image line needs three
 *   comma-separated fields `[name](url), rating, source`;
 * - layout (`--format abra`): Go's `json.MarshalIndent(catalogue, "", "    ")`:
 *   four-space indent, struct fields in abra's declaration order, map keys
 *   sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped, no final newline.
 */

/** abra's `formatter.StripTagMeta` over a repository path (`library/nginx` → `nginx`). */
export function stripTagMeta(path: string): string {
  let out = path;
  // Go's strings.Split(x, "/")[1] panics without a slash: such names are kept as they are.
  if (out.includes('docker.io') && out.includes('/')) out = out.split('/')[1]!;
  if (out.includes('library') && out.includes('/')) out = out.split('/')[1]!;
  return out;
}

/** The image name abra writes for a service: the repository path without registry, stripped as abra strips it. */
export function abraImageName(service: { image: string; repository?: string }): string {
  return service.repository !== undefined ? stripTagMeta(service.repository) : service.image;
}

/** `GetStringInBetween`: the text between the first `start` and the next `end`, or undefined. */
function between(text: string, start: string, end: string): string | undefined {
  const s = text.indexOf(start);
  if (s === -1) return undefined;
  const from = s + start.length;
  const e = text.indexOf(end, from);
  return e === -1 ? undefined : text.slice(from, e);
}

/** Go's strings.TrimSpace for the whitespace a README line can have. */
const trim = (text: string): string => text.replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/g, '');

/** Go's strconv.Atoi: a whole decimal number with an optional sign, else 0 (abra ignores the error). */
function atoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) return 0;
  const n = Number(text);
  return Number.isSafeInteger(n) && Math.abs(n) <= 2 ** 63 ? n : 0;
}

export function emptyFeatures(): Features {
  return { backups: '', email: '', healthcheck: '', tests: '', sso: '', status: 0, image: { image: '', rating: '', source: '', url: '' } };
}

/**
 * abra's `features` and `category` from a README's text, read the way
 * abra's `GetRecipeFeaturesAndCategory` reads them (see the module comment).
 * No README or no metadata block gives empty features.
 */
export function featuresFromReadme(text: string | undefined): { features: Features; category: string } {
  const features = emptyFeatures();
  let category = '';
  const block = text === undefined ? undefined : between(text, '<!-- metadata -->', '<!-- endmetadata -->');
  if (block === undefined) return { features, category };
  const after = (line: string, key: string): string => {
    const prefix = `* **${key}**:`;
    return trim(line.startsWith(prefix) ? line.slice(prefix.length) : line);
  };
  for (const line of block.replaceAll('\t', '').split('\n')) {
    if (line.includes('**Status**')) features.status = atoi(trim(after(line, 'Status').split(',')[0]!));
    if (line.includes('**Category**')) category = after(line, 'Category');
    if (line.includes('**Backups**')) features.backups = after(line, 'Backups');
    if (line.includes('**Email**')) features.email = after(line, 'Email');
    if (line.includes('**SSO**')) features.sso = after(line, 'SSO');
    if (line.includes('**Healthcheck**')) features.healthcheck = after(line, 'Healthcheck');
    if (line.includes('**Tests**')) features.tests = after(line, 'Tests');
    if (line.includes('**Image**')) {
      const fields = after(line, 'Image')
        .split(',')
        .map((f) => trim(f));
      // Fewer than three fields: abra leaves the image empty (and warns).
      if (fields.length < 3) continue;
      features.image = {
        image: (between(fields[0]!, '[', ']') ?? '').replaceAll('`', ''),
        rating: fields[1]!,
        source: fields[2]!,
        url: between(fields[0]!, '(', ')') ?? '',
      };
    }
  }
  return { features, category };
}

/** abra's struct field order for each object it writes; other objects (maps) have their keys sorted. */
const RECIPE_KEYS = ['category', 'default_branch', 'description', 'features', 'icon', 'name', 'repository', 'ssh_url', 'versions', 'website'];
const FEATURE_KEYS = ['backups', 'email', 'healthcheck', 'image', 'status', 'tests', 'sso'];
const IMAGE_KEYS = ['image', 'rating', 'source', 'url'];
const SERVICE_KEYS = ['digest', 'image', 'tag'];

/** A JSON string as Go's encoding/json writes it (HTML-safe escapes). */
function goString(value: string): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type Order = (path: readonly string[]) => readonly string[] | undefined;

function goJson(value: unknown, indent: string, path: readonly string[], order: Order): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${goJson(v, inner, [...path, '[]'], order)}`).join(',\n')}\n${indent}]`;
  }
  const record = value as Record<string, unknown>;
  const present = Object.keys(record).filter((k) => record[k] !== undefined);
  const fixed = order(path);
  const keys = fixed
    ? [...fixed.filter((k) => present.includes(k)), ...present.filter((k) => !fixed.includes(k)).sort()]
    : present.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${goString(k)}: ${goJson(record[k], inner, [...path, k], order)}`).join(',\n')}\n${indent}}`;
}

/** Which struct an object at `path` is (path segments below the catalogue root; `[]` for array items). */
function abraOrder(path: readonly string[]): readonly string[] | undefined {
  if (path.length === 1) return RECIPE_KEYS;
  if (path.length === 2 && path[1] === 'features') return FEATURE_KEYS;
  if (path.length === 3 && path[1] === 'features' && path[2] === 'image') return IMAGE_KEYS;
  // versions: [ { "<version>": { "<service>": { digest, image, tag } } } ]
  if (path.length === 5 && path[1] === 'versions') return SERVICE_KEYS;
  return undefined;
}

/**
 * The catalogue laid out as abra writes recipes.json: abra's fields in
 * abra's order (galley's own `galley` key after them), four-space indent,
 * Go's escapes, no final newline.
 */
export function abraJson(catalogue: Record<string, CatalogueRecipe>): string {
  return goJson(catalogue, '', [], (path) => (path.length === 0 ? undefined : abraOrder(path)));
}
