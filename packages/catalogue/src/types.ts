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
}
