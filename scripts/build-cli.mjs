// Bundles the galley CLI with esbuild: one file for start-up (commander and
// the wiring), with each command in its own chunk loaded on demand, so
// `galley --version` reads a few kilobytes instead of every package.

import { readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(await readFile(`${root}packages/cli/package.json`, 'utf8'));
const outdir = `${root}packages/cli/dist`;
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { galley: `${root}packages/cli/src/main.ts` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['source'],
  packages: 'bundle',
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __galleyCreateRequire } from 'node:module'; const require = __galleyCreateRequire(import.meta.url);" },
  define: { GALLEY_VERSION: JSON.stringify(version) },
  sourcemap: 'linked',
  minifyWhitespace: !process.env.GALLEY_NO_MINIFY,
  minifySyntax: !process.env.GALLEY_NO_MINIFY,
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
