/**
 * The catalogue file's shape, as @galley/catalogue defines it (types only:
 * the site builder reads the file, it never loads the generator's code for it).
 */
export type {
  Catalogue,
  CatalogueRecipe,
  Features,
  VersionEntry,
  ServiceImage,
  GalleyRecipeInfo,
  GalleyVersionInfo,
  UpgradeCandidate,
  ServiceUpgrades,
  LintSummary,
} from '@galley/catalogue';
