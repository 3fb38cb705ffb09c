// `npm run bench`: runs every bench/*.bench.mjs in turn (or those named on
// the command line, e.g. `npm run bench -- lint`), each in its own node
// process so one benchmark's memory and JIT state don't colour the next.
// Benchmarks use the built code: run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url).pathname;
const root = new URL('..', import.meta.url).pathname;
if (!existsSync(`${root}dist/galley/bin/galley.js`)) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, [`${dir}${file}`], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
