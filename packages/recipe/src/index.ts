/**
 * @galley/recipe — the one model of a Co-op Cloud recipe. It knows recipes
 * and compose files, nothing about linting, registries or Docker.
 */

export * from './abra-sh.js';
export * from './compose/merge.js';
export * from './compose/model.js';
export * from './diagnostics.js';
export * from './diff/index.js';
export * from './env-check.js';
export * from './env-file.js';
export * from './env-requirements.js';
export * from './image-ref.js';
export * from './inspect.js';
export * from './interpolation/docker-cli.js';
export * from './interpolation/template.js';
export * from './interpolation/tree.js';
export { closestName } from './names.js';
export * from './readme-metadata.js';
export * from './recipe.js';
export * from './source.js';
export * from './stack.js';
export { LineIndex } from './text.js';
export * from './versions/image-tag.js';
export * from './versions/recipe-version.js';
export * from './yaml/nodes.js';
export { MAX_YAML_BYTES, MAX_YAML_DEPTH, type ParsedYaml, parseYaml } from './yaml/parse.js';
