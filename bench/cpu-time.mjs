// Timing a node process by wall clock and by CPU (user + system, all
// threads): the process runs under a tiny wrapper that reports its CPU time
// when it exits. On a shared, loaded machine the wall time swings with other
// people's work, the CPU time much less.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** Writes the wrapper into `dir` and returns its path: `node <wrapper> <script> <args>` runs the script and prints its CPU time last on stderr. */
export function cpuWrapper(dir) {
  const wrapper = path.join(dir, 'cpu-time.mjs');
  writeFileSync(
    wrapper,
    'const [script, ...args] = process.argv.slice(2);\n' +
      'process.argv = [process.argv[0], script, ...args];\n' +
      "import { readFileSync } from 'node:fs';\n" +
      "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`\\n@@cpu ${(u.user + u.system) / 1000}\\n`);\n" +
      // The CPU of the children it waited for (git …): cutime + cstime of /proc/self/stat, in ticks of 10 ms.
      "  try { const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' '); process.stderr.write(`@@children ${(Number(f[13]) + Number(f[14])) * 10}\\n`); } catch {} });\n" +
      'await import(script);\n',
  );
  return wrapper;
}

/** The CPU milliseconds the wrapper reported in a process's stderr (NaN when it did not). */
export const cpuOf = (stderr) => Number(/@@cpu ([\d.]+)/.exec(stderr ?? '')?.[1] ?? Number.NaN);
/** The CPU milliseconds of the children the process waited for (Linux; NaN elsewhere). */
export const childCpuOf = (stderr) => Number(/@@children ([\d.]+)/.exec(stderr ?? '')?.[1] ?? Number.NaN);

/** Writes the wrapper into `dir`; returns `time(args, options)`: `{ ms, cpu, result }` of `node <args>`. */
export function cpuTimer(dir) {
  const wrapper = cpuWrapper(dir);
  return (args, options = {}) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, [wrapper, ...args], { encoding: 'utf8', ...options });
    const ms = performance.now() - started;
    return { ms, cpu: cpuOf(result.stderr), result };
  };
}
