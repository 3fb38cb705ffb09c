// Compiles the JSON Schemas galley validates against into standalone
// validation code, once, at build time (ajv's standalone mode, bundled with
// esbuild so the output imports nothing): the compose-spec schema (from the
// pinned `dclint` devDependency, see compose-spec-schema.mjs) and galley's
// own schemas in schemas/. This is the one way galley compiles a JSON Schema
// (rule options aside: see packages/linter/src/settings.ts). Writes
// packages/linter/src/generated/compose-schema.js and config-schema.js: two
// modules, so a run that needs no compose-spec check (a recipe, linted as a
// swarm stack) never loads the large one; their errors are verbose (they
// carry their parent schema) so the schema rule can list the allowed keys and
// say "did you mean". And packages/catalogue/src/generated/validators.js (the
// catalogue, its configuration and its sidecar), exported as
// @galley/catalogue/validators for the site builder too. Copies in dist/.
// Skips the work when its inputs did not change. Run by `npm run build` and
// before `npm test`.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { build } from 'esbuild';
import { composeSpecSchema } from './compose-spec-schema.mjs';

// The catalogue's TypeScript types from its JSON Schemas (the build needs them before tsc).
await import('./build-catalogue-types.mjs');

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const { file: composeSchemaFile, version: dclintVersion } = await composeSpecSchema(root);
const configSchemaFile = path.join(root, 'schemas/galley-config.schema.json');
// The catalogue's own schemas: validator name → file.
const catalogueSchemas = {
  validateCatalogue: 'schemas/catalogue.schema.json',
  validateCatalogueConfig: 'schemas/catalogue-config.schema.json',
  validateSidecar: 'schemas/catalogue-sidecar.schema.json',
};
const outputs = { linter: ['compose-schema.js', 'config-schema.js'], catalogue: ['validators.js', 'validators.d.ts'] };
const targets = Object.entries(outputs).flatMap(([pkg, names]) =>
  ['src', 'dist'].flatMap((dir) => names.map((name) => path.join(root, 'packages', pkg, dir, 'generated', name))),
);

const inputs = await Promise.all(
  [composeSchemaFile, configSchemaFile, ...Object.values(catalogueSchemas).map((f) => path.join(root, f)), new URL(import.meta.url).pathname].map((f) =>
    readFile(f, 'utf8'),
  ),
);
const stamp = createHash('sha256').update(inputs.join('\0')).update(dclintVersion).digest('hex').slice(0, 16);
const current = await Promise.all(targets.map((t) => readFile(t, 'utf8').catch(() => '')));
if (current.every((text) => text.includes(`stamp: ${stamp}`)) && !process.argv.includes('--force')) process.exit(0);

// ajv checks `uniqueItems` over items that may be objects (ports, volumes)
// by comparing every pair: 40000 ports took a minute. The compose schema's
// `uniqueItems` becomes `uniqueItemsLinear`, checked with a map from each
// item's canonical JSON (object keys sorted) to its index; same errors.
const composeSchema = JSON.parse(inputs[0].replace(/"uniqueItems":\s*true/g, '"uniqueItemsLinear": true'));
const configSchema = JSON.parse(inputs[1]);

// verbose: errors carry `parentSchema` (allowed keys for "did you mean").
// strict: false — the compose-spec schema uses annotations ajv's strict mode
// rejects (`deprecated` under draft-07). allErrors: report every problem.
const ajv = new Ajv({
  allErrors: true,
  verbose: true,
  strict: false,
  allowUnionTypes: true,
  inlineRefs: false,
  code: { source: true, esm: true, optimize: true },
});
// The compose schema names its meta-schema `https://json-schema.org/draft-07/schema`
// (not ajv's `http://…#` spelling): register draft-07 under that name too.
ajv.addMetaSchema({ ...require('ajv/dist/refs/json-schema-draft-07.json'), $id: composeSchema.$schema });
const { _, str } = require('ajv/dist/compile/codegen/index.js');
ajv.addKeyword({
  keyword: 'uniqueItemsLinear',
  type: 'array',
  schemaType: 'boolean',
  error: {
    message: ({ params: { i, j } }) => str`must NOT have duplicate items (items ## ${j} and ${i} are identical)`,
    params: ({ params: { i, j } }) => _`{i: ${i}, j: ${j}}`,
  },
  code(cxt) {
    const { gen, data, schema } = cxt;
    if (!schema) return;
    const valid = gen.let('valid', true);
    const i = gen.let('i', _`${data}.length`);
    const j = gen.let('j');
    cxt.setParams({ i, j });
    const seen = gen.const('seen', _`new Map()`);
    const key = gen.let('key');
    gen.for(_`;${i}--;`, () => {
      gen.assign(
        key,
        _`JSON.stringify(${data}[${i}], (k, v) => v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) : v)`,
      );
      gen.if(_`${seen}.has(${key})`, () => {
        gen.assign(j, _`${seen}.get(${key})`);
        cxt.error();
        gen.assign(valid, false).break();
      });
      gen.code(_`${seen}.set(${key}, ${i})`);
    });
    cxt.ok(valid);
  },
});
ajv.addSchema(composeSchema, 'compose');
ajv.addSchema(configSchema, 'config');
// The catalogue's validators report what is wrong, not the schema around it: not verbose (a third of the size).
const plainAjv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, inlineRefs: false, code: { source: true, esm: true, optimize: true } });
for (const [name, file] of Object.entries(catalogueSchemas)) plainAjv.addSchema(JSON.parse(await readFile(path.join(root, file), 'utf8')), name);
async function bundle(exports, extra, compiler = ajv) {
  const source = standaloneCode(compiler, exports);
  const bundled = await build({
    stdin: { contents: source, resolveDir: root, sourcefile: 'schemas-standalone.js', loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return bundled.outputFiles[0].text + extra;
}
const header = `// GENERATED by scripts/build-schemas.mjs — do not edit (stamp: ${stamp}).
// compose-spec schema from dclint@${dclintVersion} (schemas/compose.schema.json); galley's own from schemas/*.schema.json.
`;
const texts = {
  'compose-schema.js':
    header +
    (await bundle(
      { validateCompose: 'compose' },
      `\nexport const composeSchemaSource = ${JSON.stringify({ package: 'dclint', version: dclintVersion, file: 'schemas/compose.schema.json' })};\n`,
    )),
  'config-schema.js': header + (await bundle({ validateConfig: 'config' }, '')),
  'validators.js': header + (await bundle(Object.fromEntries(Object.keys(catalogueSchemas).map((name) => [name, name])), '', plainAjv)),
  'validators.d.ts': `${header}import type { ErrorObject } from 'ajv';

export interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
${Object.entries(catalogueSchemas)
  .map(([name, file]) => `\n/** ${file} */\nexport declare const ${name}: StandaloneValidator;\n`)
  .join('')}`,
};
for (const target of targets) {
  const text = texts[path.basename(target)];
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, target);
}
// The single module of earlier builds.
await Promise.all(['src', 'dist'].map((dir) => rm(path.join(root, 'packages/linter', dir, 'generated/schemas.js'), { force: true })));
const size = (name) => `${(texts[name].length / 1024).toFixed(0)} KiB`;
console.log(
  `build-schemas: wrote ${targets.map((t) => path.relative(root, t)).join(', ')} (compose ${size('compose-schema.js')}, config ${size('config-schema.js')}, catalogue ${size('validators.js')})`,
);
