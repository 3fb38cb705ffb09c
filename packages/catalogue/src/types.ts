/**
 * The catalogue file (`recipes.json`): the contract between
 * `galley catalogue generate` and `galley site build`, and the file abra
 * reads. It is abra's format — an object keyed by recipe name — with
 * Galley's additions under each recipe's `galley` key (Go's JSON decoder in
 * abra ignores unknown fields).
 *
 * `schemas/catalogue.schema.json` is the one definition of its shape: these
 * types are generated from it (scripts/build-catalogue-types.mjs, run by the
 * build) and given their public names here, so the types and the schema the
 * writer validates against cannot drift apart. Change the schema, not these.
 */
import type * as Schema from './generated/catalogue-schema.js';

/** Recipe name → recipe. Keys are sorted for deterministic output. */
export type Catalogue = Schema.Catalogue;
export type CatalogueRecipe = Schema.Recipe;
export type Features = Schema.Features;
/** `{ "<version>": { "<service>": { image, tag, digest } } }` */
export type VersionEntry = Schema.VersionEntry;
export type ServiceImage = Schema.ServiceImage;
export type GalleyRecipeInfo = Schema.Galley;
export type GalleyVersionInfo = Schema.GalleyVersion;
export type ServiceUpgrades = Schema.ServiceUpgrades;
export type UpgradeCandidate = Schema.Candidate;
export type LintSummary = Schema.LintSummary;
export type Staleness = Schema.Staleness;
export type InvalidRelease = Schema.InvalidRelease;
export type RecipeHealth = Schema.Health;
export type Licence = NonNullable<GalleyRecipeInfo['licence']>;
export type Maintainer = NonNullable<GalleyRecipeInfo['maintainers']>[number];
/** A mirrored file; `file` is relative to the folder of the catalogue file (`media/<sha256>.png`). */
export type MediaFile = Omit<Schema.MediaFile, 'src' | 'alt'>;
export type RecipeMedia = NonNullable<GalleyRecipeInfo['media']>;
export type LintFinding = NonNullable<LintSummary['findings']>[number];
