// `npm run docs`: writes docs/rules/ — one page per rule and an index —
// from the rule modules (their `meta`), via @galley/linter's ruleDocFiles.
// Bundles the TypeScript sources in memory with esbuild, so it needs no
// build. A unit test (packages/linter/src/rule-docs.test.ts) fails when the
// committed pages are out of date.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const out = path.join(root, 'docs/rules');
const result = await build({
  stdin: {
    contents: "export { allRules } from '@galley/rules'; export { ruleDocFiles, knownRules } from '@galley/linter';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['source'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const tmp = await mkdtemp(path.join(os.tmpdir(), 'galley-docs-'));
let loaded;
try {
  await writeFile(path.join(tmp, 'rules.mjs'), result.outputFiles[0].text);
  loaded = await import(path.join(tmp, 'rules.mjs'));
} finally {
  await rm(tmp, { recursive: true, force: true });
}
const { allRules, ruleDocFiles, knownRules } = loaded;
const files = ruleDocFiles(knownRules(allRules));
await rm(out, { recursive: true, force: true });
for (const [file, text] of files) {
  await mkdir(path.dirname(path.join(out, file)), { recursive: true });
  await writeFile(path.join(out, file), text);
}
console.log(`docs: wrote ${files.size} pages to ${path.relative(root, out)}/`);
