// Bundles the catalogue site's client script (site-templates/client/app.ts,
// with MiniSearch from node_modules) into site-templates/client/dist/app.js,
// which `galley site build` copies into every site as app.js. Minified, one
// classic script (no inline code anywhere: the pages' CSP forbids it).
// Run by `npm run build`; tests that build sites run it when the bundle is missing.

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = await build({
  entryPoints: [`${root}site-templates/client/app.ts`],
  outfile: `${root}site-templates/client/dist/app.js`,
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  conditions: ['source'],
  legalComments: 'eof',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
if (process.argv.includes('--verbose')) console.log(`site-templates/client/dist/app.js: ${bytes} bytes`);
