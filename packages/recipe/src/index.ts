/**
 * @galley/recipe — the one model of a Co-op Cloud recipe. It knows recipes
 * and compose files, nothing about linting, registries or Docker.
 */
export * from './diagnostics.js';
export { LineIndex } from './text.js';
export * from './yaml/nodes.js';
export { parseYaml, MAX_YAML_BYTES, MAX_YAML_DEPTH, type ParsedYaml } from './yaml/parse.js';
export * from './env-file.js';
export * from './interpolation/template.js';
export * from './interpolation/tree.js';
export * from './compose/merge.js';
export * from './compose/model.js';
export * from './image-ref.js';
export * from './versions/image-tag.js';
export * from './versions/recipe-version.js';
export * from './readme-metadata.js';
export * from './abra-sh.js';
export * from './source.js';
export { git } from './git/command.js';
export { findGitDir } from './git/find.js';
export { GitRepository, type GitTag, type TreeEntry } from './git/repository.js';
export { isoStrict, readRefs, readHead } from './git/objects.js';
export * from './recipe.js';
export * from './stack.js';
export * from './inspect.js';
