// Builds the galley package in dist/galley/: what `npm pack` packs, what
// `npm install -g` installs, what the GitHub action and the pre-commit hooks
// run (a release tag's tree is this folder), and what the tests run.
//
//   package.json            from packages/cli/package.json (the one version), no dependencies
//   bin/galley.js           the command: commander and the wiring (esbuild bundle)
//   lib/*.js                each command's code, loaded when it runs; the README worker
//   schemas/ site-templates/ docs/   galley's own files, found beside the code
//                           (@galley/platform/home) exactly as in the repository
//   action.yml .pre-commit-hooks.yaml README.md CHANGELOG.md
//
// Everything is bundled: installing the tarball needs no registry.

import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'dist', 'galley');
const cli = JSON.parse(await readFile(path.join(root, 'packages/cli/package.json'), 'utf8'));

/** What the package's files are (npm pack packs these; README.md and package.json always). */
const FILES = ['bin/*.js', 'lib/*.js', 'schemas/', 'site-templates/', 'docs/', 'action.yml', '.pre-commit-hooks.yaml', 'CHANGELOG.md'];

await rm(out, { recursive: true, force: true });
await build({
  entryPoints: {
    'bin/galley': path.join(root, 'packages/cli/src/bin.ts'),
    // A worker thread of `site build` (large catalogues): readme-renderer.ts
    // looks for it beside its own chunk, in lib/.
    'lib/readme-worker': path.join(root, 'packages/generator/src/readme-worker.ts'),
  },
  outdir: out,
  chunkNames: 'lib/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['source'],
  packages: 'bundle',
  // CommonJS dependencies call require() (node built-ins, lazily loaded
  // modules): give every ESM output file one.
  banner: { js: "import { createRequire as __galleyCreateRequire } from 'node:module'; const require = __galleyCreateRequire(import.meta.url);" },
  define: { GALLEY_VERSION: JSON.stringify(cli.version) },
  // Source maps stay in the build folder (for GALLEY_DEBUG in the repository); the package ships lib/*.js only.
  sourcemap: 'linked',
  minifyWhitespace: !process.env.GALLEY_NO_MINIFY,
  minifySyntax: !process.env.GALLEY_NO_MINIFY,
  logLevel: 'warning',
});
await chmod(path.join(out, 'bin/galley.js'), 0o755);

// Galley's own files, in the repository's layout.
// Galley's own schemas (schemas/*.json; schemas/vendor/ holds the tests' oracles).
await mkdir(path.join(out, 'schemas'));
for (const file of await readdir(path.join(root, 'schemas'))) {
  if (file.endsWith('.json')) await cp(path.join(root, 'schemas', file), path.join(out, 'schemas', file));
}
await cp(path.join(root, 'site-templates'), path.join(out, 'site-templates'), {
  recursive: true,
  // The client script's sources stay behind; its bundle (client/dist/app.js) ships.
  filter: (src) => {
    const rel = path.relative(path.join(root, 'site-templates'), src);
    return !rel.startsWith('client') || rel === 'client' || rel === path.join('client', 'dist') || rel === path.join('client', 'dist', 'app.js');
  },
});
await cp(path.join(root, 'docs'), path.join(out, 'docs'), { recursive: true });
for (const file of ['action.yml', '.pre-commit-hooks.yaml', 'CHANGELOG.md']) await cp(path.join(root, file), path.join(out, file));
await cp(path.join(root, 'packages/cli/README.md'), path.join(out, 'README.md'));

const manifest = {
  name: cli.name,
  version: cli.version,
  description: cli.description,
  keywords: cli.keywords,
  homepage: cli.homepage,
  bugs: cli.bugs,
  repository: cli.repository,
  license: cli.license,
  type: 'module',
  bin: { galley: 'bin/galley.js' },
  files: FILES,
  engines: cli.engines,
};
await writeFile(path.join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// A missing file fails the build, not a user's run.
for (const needed of [
  'lib/readme-worker.js',
  'schemas/catalogue.schema.json',
  'site-templates/layout.eta',
  'site-templates/client/dist/app.js',
  'docs/rules/README.md',
]) {
  if (!existsSync(path.join(out, needed))) throw new Error(`build-cli: ${needed} is missing from dist/galley (run the whole \`npm run build\`)`);
}
