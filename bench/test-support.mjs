// The benchmarks use the tests' own support code (registry, git server,
// Chromium launcher, second engine): a TypeScript module of test/support,
// bundled with esbuild and imported. The bundle is written inside the
// repository, so its external packages resolve from node_modules, and is
// removed once imported.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/** Imports `test/support/<name>.ts` (e.g. 'index', 'browser', 'engine-b'). */
export async function importTestSupport(name) {
  const outfile = path.join(root, 'node_modules/.cache', `galley-bench-${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(root, 'test/support', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  try {
    return await import(outfile);
  } finally {
    await rm(outfile, { force: true });
  }
}
