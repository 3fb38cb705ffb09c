// Timing a node process by wall clock and by CPU (user + system, all
// threads): the process runs under a tiny wrapper that reports its CPU time
// when it exits. On a shared, loaded machine the wall time swings with other
// people's work, the CPU time much less.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** Writes the wrapper into `dir`; returns `time(args, options)`: `{ ms, cpu, result }` of `node <args>`. */
export function cpuTimer(dir) {
  const wrapper = path.join(dir, 'cpu-time.mjs');
  writeFileSync(
    wrapper,
    'const [script, ...args] = process.argv.slice(2);\n' +
      'process.argv = [process.argv[0], script, ...args];\n' +
      "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`\\n@@cpu ${(u.user + u.system) / 1000}\\n`); });\n" +
      'await import(script);\n',
  );
  return (args, options = {}) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, [wrapper, ...args], { encoding: 'utf8', ...options });
    const ms = performance.now() - started;
    return { ms, cpu: Number(/@@cpu ([\d.]+)/.exec(result.stderr ?? '')?.[1] ?? Number.NaN), result };
  };
}
