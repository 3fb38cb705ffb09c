/**
 * The catalogue file (`recipes.json`): the contract between
 * `galley catalogue generate` and `galley site build`, and the file abra
 * reads. It is abra's format — an object keyed by recipe name — with
 * Galley's additions under each recipe's `galley` key (Go's JSON decoder in
 * abra ignores unknown fields). `schemas/catalogue.schema.json` describes it.
 */

/** Recipe name → recipe. Keys are sorted for deterministic output. */
export type Catalogue = Record<string, CatalogueRecipe>;

export interface CatalogueRecipe {
  name: string;
  /** From the README metadata block (`Category`). */
  category: string;
  default_branch: string;
  /** From the forge API (or the README's first paragraph when the forge has none). */
  description: string;
  icon: string;
  /** Clone URL (https or git). */
  repository: string;
  ssh_url: string;
  website: string;
  features: Features;
  /** Single-key maps, oldest first; the last is the latest release. */
  versions: VersionEntry[];
  /** Galley's additions; abra ignores them. */
  galley?: GalleyRecipeInfo;
}

/** abra's `features`: scores from the README metadata block, as abra writes them. */
export interface Features {
  backups: string;
  email: string;
  healthcheck: string;
  tests: string;
  sso: string;
  status: number;
  image: { image: string; rating: string; source: string; url: string };
}

/** `{ "<version>": { "<service>": { image, tag, digest } } }` */
export type VersionEntry = Record<string, Record<string, ServiceImage>>;

export interface ServiceImage {
  /** The image name as the recipe writes it, without the tag (e.g. `bonfirenetworks/bonfire`). */
  image: string;
  tag: string;
  /** `sha256:…` (the index digest for multi-arch images), or `unknown`. */
  digest: string;
}

export interface GalleyRecipeInfo {
  /** Per release version (same keys as `versions`). */
  versions: Record<string, GalleyVersionInfo>;
  /** Per service of the latest version: where upstream has moved on. */
  upgrades: Record<string, ServiceUpgrades>;
  /** Lint summary of the latest version. */
  lint?: LintSummary;
  /**
   * Set when this entry could not be refreshed and is the last good one (or,
   * for a recipe never catalogued before, what could be read). `since`: ISO
   * 8601 time of the first run that failed (kept while the failure lasts;
   * `SOURCE_DATE_EPOCH` sets it for reproducible runs).
   */
  stale?: { error: string; since: string };
  /** The forge the repository was found on (`github`, `gitea`, `list`). */
  source?: string;
  /**
   * The configured source that listed the repository, e.g. `github:coop-cloud`,
   * `gitea:https://git.coopcloud.tech/coop-cloud`, `list:recipes.txt`.
   */
  sourceId?: string;
  /** The licence of the recipe repository: its LICENSE/COPYING file, else the README metadata (`License`). */
  licence?: Licence;
  /** Who maintains the recipe: README metadata (`Maintainer(s)`), CODEOWNERS, and the taggers of its releases. */
  maintainers?: Maintainer[];
  /** Set when the recipe says it is deprecated (README metadata or text) or its repository is archived. */
  deprecated?: { reason: string; from: 'metadata' | 'readme' | 'forge' };
  /** A demo instance, from the README metadata (`Demo`). */
  demo?: string;
  /** Copies of the recipe's icon and README images (`galley catalogue generate --media`), so a site never loads them from elsewhere. */
  media?: RecipeMedia;
}

export interface Licence {
  /** SPDX identifier, when galley recognises the text (`AGPL-3.0`, `MIT` …). */
  spdx?: string;
  /** The licence's name as a person reads it. */
  name: string;
  /** The file it was read from (absent: from the README metadata). */
  file?: string;
}

export interface Maintainer {
  name: string;
  /** A profile or contact link, when one is given (`@user` on the forge, an https link). */
  url?: string;
  /** Where galley found them: README metadata, CODEOWNERS, or as the tagger of a release. */
  from: ('metadata' | 'codeowners' | 'tagger')[];
}

/** A mirrored file; `file` is relative to the folder of the catalogue file (`media/<sha256>.png`). */
export interface MediaFile {
  file: string;
  /** `image/png`, `image/jpeg`, `image/gif`, `image/webp` or `image/svg+xml`. */
  type: string;
  bytes: number;
  sha256: string;
}

export interface RecipeMedia {
  /** The forge's avatar of the repository, or an `icon`/`logo` image at its root. */
  icon?: MediaFile & { src: string };
  /** README images, in the order the README shows them; `src` as the README writes it. */
  images: (MediaFile & { src: string; alt: string })[];
}

export interface GalleyVersionInfo {
  /** ISO 8601: tagger date of an annotated tag, else the commit date. */
  date: string;
  annotated: boolean;
  commit: string;
  /** Release notes from `release/<version>`, when the recipe has them. */
  notes?: string;
}

export interface UpgradeCandidate {
  tag: string;
  digest: string;
}

export interface ServiceUpgrades {
  /** Normalised image name, e.g. `docker.io/library/nginx`. */
  image: string;
  current: string;
  patch?: UpgradeCandidate;
  minor?: UpgradeCandidate;
  major?: UpgradeCandidate;
  /** Tags upstream has that galley cannot compare, with the reason (sorted by tag; at most `registry.maxUnparseable`, default 100). */
  unparseable: { tag: string; reason: string }[];
  /** How many unparseable tags there are, when `unparseable` lists only the first of them. */
  unparseableTotal?: number;
  /** Why there are no candidates, when the current tag cannot be parsed. */
  currentUnparseable?: string;
  /**
   * Days between the creation of the current image and of the newest
   * compatible candidate (0 when up to date; absent when unknown). Creation
   * dates are the image configs' `created`, read only with
   * `--image-dates` (they cost requests); without it this is 0 when there is
   * no candidate and absent otherwise.
   */
  daysBehind?: number;
  /** Set when the registry could not be asked. */
  error?: string;
}

export interface LintSummary {
  /** The version that was linted. */
  version: string;
  errors: number;
  warnings: number;
  infos: number;
  /** Finding counts by rule id. */
  rules: Record<string, number>;
  /** The findings themselves (at most 100; `findingsTotal` says how many there were when cut short). */
  findings?: LintFinding[];
  findingsTotal?: number;
}

export interface LintFinding {
  rule: string;
  /** What the rule checks, in one line. */
  title: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  line: number;
  column: number;
  /** The rule's documentation page. */
  docs: string;
}
