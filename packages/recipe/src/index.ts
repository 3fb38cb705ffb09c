/**
 * @galley/recipe — the one model of a Co-op Cloud recipe. It knows recipes
 * and compose files, nothing about linting, registries or Docker.
 */

export { type AbraSh, abraExport } from './abra-sh.js';
export {
  isExternal,
  labelsOf,
  type NamedNode,
  type ServiceImage,
  type ServiceNode,
  type ServiceReference,
  serviceImage,
  serviceNamed,
  serviceReferences,
  services,
  type TopLevelKind,
  topLevel,
  topLevelNamed,
  versionVariable,
} from './compose/model.js';
export { isIpAddress, type PortRange, parsePortMapping, parsePortRange } from './compose/ports.js';
export { type Diagnostic, formatDiagnostic, type Severity, type Span } from './diagnostics.js';
export {
  type Change,
  type ChangeKind,
  compareRecipes,
  diffSnapshots,
  formatDiffMarkdown,
  formatDiffText,
  formatReleaseNotesDraft,
  openRecipeVersions,
  type RecipeDiff,
  type RecipeSnapshot,
  snapshotRecipe,
  summarizeDiff,
  type UpgradeChange,
  type UpgradeSummary,
} from './diff/index.js';
export { checkAppEnv, type EnvProblem, formatEnvProblems } from './env-check.js';
export { type EnvEntry, type EnvFile, envEntry, MAX_ENV_VALUE_LENGTH, parseEnvFile } from './env-file.js';
export { DOCKER_HUB, type ImageRef, parseImageRef } from './image-ref.js';
export { describeRecipe, formatRecipeDescription } from './inspect.js';
export { substituteLikeDockerCli } from './interpolation/docker-cli.js';
export { interpolateString } from './interpolation/template.js';
export { closestName } from './names.js';
export { parseScore, type Score } from './readme-metadata.js';
export {
  COMPOSE_BASE_NAMES,
  type ComposeFile,
  closeRecipe,
  composeProject,
  isComposeFileName,
  isComposePath,
  loadRecipe,
  loadRecipeAtRef,
  openRecipe,
  parseRecipeSpec,
  type Recipe,
  readRecipe,
  recipeDiagnostics,
} from './recipe.js';
export { DirectorySource, GitTreeSource, MemorySource, type RecipeSource } from './source.js';
export { everyComposeFile, MAX_STACK_NAME_LENGTH, resolveStack, type Stack, stackNameFromDomain } from './stack.js';
export { clip, LineIndex } from './text.js';
export { findUpgrades, isFloatingTag, parseTag, type UpgradeKind } from './versions/image-tag.js';
export {
  compareRecipeVersions,
  isRecipeVersion,
  latestRecipeVersion,
  nextRecipeVersion,
  parseRecipeVersion,
  type RecipeBump,
  sortRecipeVersions,
} from './versions/recipe-version.js';
export {
  entries,
  get,
  getIn,
  getPair,
  isMap,
  isScalar,
  isSeq,
  keyString,
  scalarString,
  toJS,
  type VariableRef,
  type YMap,
  type YNode,
  type YPair,
  type YScalar,
} from './yaml/nodes.js';
export { MAX_YAML_ALIASES, MAX_YAML_BYTES, MAX_YAML_NODES, MAX_YAML_SYNTAX_ERRORS, parseYaml } from './yaml/parse.js';
