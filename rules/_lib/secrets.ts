import { get, isExternal, isScalar, type NamedNode, type Stack, topLevel, type VariableRef } from '@galley/recipe';
import { definitionOf } from './references.js';

/** `db_password` → `SECRET_DB_PASSWORD_VERSION`: the env variable abra reads for a secret. */
export function secretVersionVariable(secret: string): string {
  return `SECRET_${secret.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_VERSION`;
}

export interface RecipeSecret {
  name: string;
  /** The secret as the first compose file that declares it writes it. */
  definition: NamedNode;
  /** The `*_VERSION` reference in its `name`, if any. */
  versionRef?: VariableRef;
  /** Whether abra generates or inserts it (external), rather than a file. */
  external: boolean;
}

/** Every secret the compose files of a stack declare. */
export function recipeSecrets(stack: Stack): RecipeSecret[] {
  return topLevel(stack.root, 'secrets').map((secret) => {
    const definition = definitionOf(stack, 'secrets', secret.name) ?? secret;
    const name = get(definition.node, 'name');
    const refs = isScalar(name) ? (name.interpolation?.refs ?? []) : [];
    const versionRef = [...refs].reverse().find((r) => r.name.endsWith('_VERSION'));
    const out: RecipeSecret = { name: secret.name, definition, external: isExternal(secret.node) || get(secret.node, 'file') === undefined };
    if (versionRef) out.versionRef = versionRef;
    return out;
  });
}
