/**
 * The catalogue file's shape, as @galley/catalogue defines it (types only:
 * the site builder reads the file, it never loads the generator's code for it).
 */
export type {
  Catalogue,
  CatalogueRecipe,
  Features,
  GalleyRecipeInfo,
  GalleyVersionInfo,
  Licence,
  LintFinding,
  LintSummary,
  Maintainer,
  MediaFile,
  RecipeMedia,
  ServiceImage,
  ServiceUpgrades,
  UpgradeCandidate,
  VersionEntry,
} from '@galley/catalogue';
