// Start-up of the galley binary: `galley --version` wall time (median of
// many runs) against the floor of starting node itself, and against the
// 0.2 s the foundation issue allows.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.RUNS ?? 30);

function median(command, args) {
  const times = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const start = performance.now();
    const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
    if (i >= 3) times.push(ms); // warm the file cache first
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const node = median(process.execPath, ['-e', '']);
const version = median(process.execPath, [`${root}dist/galley/bin/galley.js`, '--version']);
const help = median(process.execPath, [`${root}dist/galley/bin/galley.js`, '--help']);
const limit = 200;
console.log(`node -e '' (floor)      ${node.toFixed(1)} ms`);
console.log(
  `galley --version        ${version.toFixed(1)} ms   ${(version / node).toFixed(2)}x node's own start, ${(version / limit).toFixed(2)} of the ${limit} ms limit`,
);
console.log(`galley --help           ${help.toFixed(1)} ms`);
console.log(`median of ${RUNS} runs each`);
