import type { RuleContext } from '@galley/linter';
import {
  COMPOSE_BASE_NAMES,
  get,
  getPair,
  isMap,
  isScalar,
  type Recipe,
  type ServiceNode,
  type Span,
  type Stack,
  serviceNamed,
  services,
  type YMap,
  type YNode,
  type YPair,
} from '@galley/recipe';

/** One compose file of the recipe: as written, and interpolated on its own. */
export interface ComposeFileView {
  file: string;
  /** The file's tree after interpolation (spans unchanged). */
  root: YNode | null;
  /** The file's tree as written (no interpolation). */
  raw: YNode | null;
  /** The file's text, for edits. */
  text: string;
}

/**
 * Every compose file of the recipe, base first, each interpolated on its
 * own: per-file checks see overlays that `.env.sample` leaves commented out.
 */
export function composeFileViews(context: RuleContext): ComposeFileView[] {
  const out: ComposeFileView[] = [];
  for (const [file, tree] of context.fullStack.files) {
    const parsed = context.recipe.composeFiles.get(file);
    if (!parsed) continue;
    out.push({ file, root: tree.root, raw: parsed.root, text: parsed.text });
  }
  return out;
}

/** A file's text (compose file, `.env.sample`, `abra.sh`, README), if the recipe has it. */
export function fileText(recipe: Recipe, file: string): string | undefined {
  const compose = recipe.composeFiles.get(file);
  if (compose) return compose.text;
  if (recipe.envSample?.file === file) return recipe.envSample.text;
  if (recipe.abraSh?.file === file) return recipe.abraSh.text;
  if (recipe.readme?.file === file) return recipe.readme.text;
  return undefined;
}

/**
 * Where a service is defined: in the first compose file of `stack` that
 * gives it an image, else the first that names it. Findings about what a
 * service lacks point at this key, not at the last overlay that touched it.
 */
export function serviceDefinition(stack: Stack, name: string): ServiceNode | undefined {
  let first: ServiceNode | undefined;
  for (const file of stack.composeFiles) {
    const found = serviceNamed(stack.files.get(file)?.root, name);
    if (!found) continue;
    if (get(found.node, 'image')) return found;
    first ??= found;
  }
  return first;
}

/** The merged services of a stack, each located where it is defined. */
export function stackServices(stack: Stack): { name: string; node: YMap; keySpan: Span }[] {
  return services(stack.root).map((s) => ({ name: s.name, node: s.node, keySpan: serviceDefinition(stack, s.name)?.keySpan ?? s.keySpan }));
}

/** Zero-width span at the start of a file. */
export function fileStart(file: string): Span {
  return { file, line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };
}

/**
 * Where a finding about the recipe as a whole goes when nothing is written
 * wrong: the `services` key of the base compose file, else the start of the
 * first file there is.
 */
export function recipeAnchor(context: RuleContext): Span {
  const base = context.fullStack.composeFiles[0] ?? [...context.recipe.composeFiles.keys()][0];
  if (base) {
    const root = context.recipe.composeFiles.get(base)?.root;
    const pair = isMap(root) ? getPair(root, 'services') : undefined;
    return pair ? pair.key.span : fileStart(base);
  }
  if (context.recipe.envSample) return fileStart(context.recipe.envSample.file);
  return fileStart(context.recipe.readme?.file ?? 'compose.yml');
}

/** The top-level pair `key` of a tree (e.g. `secrets`), if present. */
export function topLevelPair(root: YNode | null | undefined, key: string): YPair | undefined {
  return isMap(root) ? getPair(root, key) : undefined;
}

/** True when a scalar is `true` (after interpolation and casting). */
export function isTrue(node: YNode | undefined): boolean {
  if (!isScalar(node)) return false;
  if (node.value === true) return true;
  return typeof node.value === 'string' && node.value.toLowerCase() === 'true';
}

/**
 * Whether a compose project (no recipe) is an overlay without its base: no
 * file of it is a base file (`compose.yml`, `docker-compose.yaml`, …), and
 * either a file is named as an override (`docker-compose.override.yml`,
 * `compose.prod.override.yaml`) or a service has neither `image` nor `build`,
 * which only makes sense as additions to a service of some base file. What
 * such a file leaves to its base (images, healthchecks, the networks and
 * volumes its services use) is not judged.
 */
export function isLoneOverlay(context: RuleContext): boolean {
  if (context.recipe.kind !== 'compose-file') return false;
  const files = [...context.recipe.composeFiles.keys()].map((f) => f.split('/').pop()!);
  if (files.some((f) => (COMPOSE_BASE_NAMES as readonly string[]).includes(f))) return false;
  if (files.some((file) => /(?:^|[._-])override\.ya?ml$/.test(file))) return true;
  return services(context.fullStack.root).some((s) => get(s.node, 'image') === undefined && get(s.node, 'build') === undefined);
}
