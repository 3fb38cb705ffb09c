// The package as users get it: tarball size, install time into an empty
// prefix (no registry reachable: the package needs none), and the cold start
// of the installed `galley` (--version, and lint of one recipe) side by side
// with the in-repo build (dist/galley/bin/galley.js) in the same run, with
// node's own start as the floor.
//   RUNS=10 node bench/install.bench.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.RUNS ?? 10);
const INSTALLS = Number(process.env.INSTALLS ?? 5);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'galley-bench-install-'));
const recipe = path.join(root, 'examples/recipes/forum');

const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
Object.assign(npmEnv, {
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_fetch_retries: '0',
  npm_config_cache: path.join(scratch, 'npm-cache'),
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
});

function timed(command, args, options = {}) {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: scratch, encoding: 'utf8', env: npmEnv, ...options });
  const ms = performance.now() - start;
  if (result.status !== 0 && !(options.ok ?? [0]).includes(result.status)) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return { ms, stdout: result.stdout };
}
const stats = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1) };
};
const fmt = (s) => `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
function duSize(dir) {
  let bytes = 0;
  let files = 0;
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      const info = statSync(full);
      if (info.isDirectory()) walk(full);
      else {
        bytes += info.size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

try {
  // The tarball.
  const pack = JSON.parse(timed('npm', ['pack', path.join(root, 'dist/galley'), '--pack-destination', scratch, '--json']).stdout)[0];
  const tarball = path.join(scratch, pack.filename);
  console.log(
    `tarball                 ${(pack.size / 1024).toFixed(0)} KiB gzipped, ${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${pack.entryCount} files, 0 dependencies`,
  );

  // Installs into empty prefixes.
  const installs = [];
  let prefix = '';
  for (let i = 0; i < INSTALLS; i++) {
    prefix = path.join(scratch, `prefix-${i}`);
    mkdirSync(prefix);
    installs.push(timed('npm', ['install', '--global', '--prefix', prefix, tarball]).ms);
  }
  const installed = path.join(prefix, 'bin', 'galley');
  const size = duSize(path.join(prefix, 'lib/node_modules/galley'));
  console.log(
    `npm install -g          ${fmt(stats(installs))} median (min–max) of ${INSTALLS}, into an empty prefix, no registry; ${(size.bytes / 1024).toFixed(0)} KiB in ${size.files} files installed`,
  );

  // Cold starts: the first run right after installing, then the median of RUNS, each a fresh process.
  const inRepo = path.join(root, 'dist/galley/bin/galley.js');
  const work = path.join(scratch, 'work');
  mkdirSync(work);
  const firstVersion = timed(installed, ['--version'], { cwd: work }).ms;
  const firstLint = timed(installed, ['lint', recipe], { cwd: work, ok: [0, 1] }).ms;
  /** Runs each command RUNS times, interleaved (so a load spike hits all of them alike), after 2 warm-up rounds. */
  const interleaved = (commands) => {
    const times = commands.map(() => []);
    for (let i = 0; i < RUNS + 2; i++) {
      commands.forEach(([command, args], j) => {
        const t = timed(command, args, { cwd: work, ok: [0, 1] }).ms;
        if (i >= 2) times[j].push(t);
      });
    }
    return times.map(stats);
  };
  const [node, instVersion, repoVersion, instLint, repoLint] = interleaved([
    [process.execPath, ['-e', '']],
    [installed, ['--version']],
    [process.execPath, [inRepo, '--version']],
    [installed, ['lint', recipe]],
    [process.execPath, [inRepo, 'lint', recipe]],
  ]);
  const rows = [
    ['--version', instVersion, repoVersion],
    ['lint forum', instLint, repoLint],
  ];
  console.log(`node -e '' (floor)      ${fmt(node)}`);
  console.log(`first run after install --version ${firstVersion.toFixed(0)} ms, lint ${firstLint.toFixed(0)} ms`);
  for (const [what, inst, repo] of rows) {
    console.log(
      `galley ${what.padEnd(16)} installed ${fmt(inst)}, in-repo build ${fmt(repo)}: ${(inst.median / repo.median).toFixed(2)}x; ${(inst.median / node.median).toFixed(2)}x node's own start`,
    );
  }
  console.log(`median (min–max) of ${RUNS} runs each, interleaved, after 2 warm-up rounds`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
