// `npm run bench -- hostile` (after `npm run build`): the linear-cost goal of
// issue 16 against its limits, with the built command. Each input is linted
// as a recipe (coop-cloud preset: every rule runs) by `galley lint --format
// json`, RUNS times; wall time, CPU time (user + system, which a loaded
// machine disturbs much less) and peak RSS (/usr/bin/time) are compared with
// the limits 5 s and 300 MB. A size series (¼, ½, 1×) shows whether the cost
// grows linearly: the ratio of the time per item at 1× to that at ¼ stays
// near 1 when it does (a quadratic rule gives ~4). Writes bench/results/hostile.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuTimer } from './cpu-time.mjs';

const root = new URL('..', import.meta.url).pathname;
const galley = path.join(root, 'dist/galley/bin/galley.js');
const RUNS = Number(process.env.HOSTILE_BENCH_RUNS ?? 3);
const LIMIT_MS = 5000;
const LIMIT_MB = 300;
const work = mkdtempSync(path.join(os.tmpdir(), 'galley-hostile-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const time = cpuTimer(work);
const lines = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('');

const SAMPLE = 'TYPE=bench\nDOMAIN=bench.example.com\nLETS_ENCRYPT_ENV=production\n';
const INPUTS = {
  services: (n) =>
    `version: "3.8"\nservices:\n${lines(
      n,
      (i) =>
        `  s${i}:\n    image: nginx:1.27.3\n    environment:\n      - DOMAIN=\${DOMAIN}\n    ports: ["${10_000 + (i % 50_000)}:80"]\n    secrets: [sec${i % 100}]\n    depends_on: [s${(i + 1) % n}]\n    deploy:\n      labels: ["traefik.enable=true"]\n`,
    )}secrets:\n${lines(100, (i) => `  sec${i}:\n    external: true\n    name: \${STACK_NAME}_sec${i}_\${SECRET_SEC${i}_VERSION}\n`)}`,
  ports: (n) =>
    `version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n    ports:\n${lines(n, (i) => `      - "${1024 + (i % 64_000)}:${1 + (i % 60_000)}"\n`)}`,
  secrets: (n) =>
    `version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n    secrets:\n${lines(n, (i) => `      - s${i}\n`)}secrets:\n${lines(n, (i) => `  s${i}:\n    external: true\n`)}`,
  aliases: (n) => `x-a: &a {k: v}\nversion: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\nx-many: [${lines(n - 1, () => '*a, ')}*a]\n`,
};
const SIZES = { services: 10_000, ports: 50_000, secrets: 20_000, aliases: 10_000 };

function measure(kind, n) {
  const dir = path.join(work, `${kind}-${n}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'compose.yml'), INPUTS[kind](n));
  writeFileSync(path.join(dir, '.env.sample'), SAMPLE);
  writeFileSync(path.join(dir, 'README.md'), '# bench\n');
  const samples = [];
  for (let r = 0; r < RUNS; r++) {
    const { ms, cpu, result } = time([galley, 'lint', '--format', 'json', dir], { maxBuffer: 1 << 30 });
    if (result.status !== 0 && result.status !== 1) throw new Error(`galley lint ${kind} ${n}: exit ${result.status}: ${result.stderr.slice(0, 400)}`);
    // Peak RSS from a second, identical run under /usr/bin/time (the wrapper above cannot see it).
    let rssMb = Number.NaN;
    if (existsSync('/usr/bin/time')) {
      const t = spawnSync('/usr/bin/time', ['-f', '@@rss %M', process.execPath, galley, 'lint', '--format', 'json', dir], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      rssMb = Number(/@@rss (\d+)/.exec(t.stderr)?.[1] ?? Number.NaN) / 1024;
    }
    samples.push({ ms, cpu, rssMb, bytes: result.stdout.length });
  }
  rmSync(dir, { recursive: true, force: true });
  const sorted = (key) => samples.map((s) => s[key]).sort((a, b) => a - b);
  const median = (key) => sorted(key)[Math.floor(samples.length / 2)];
  return { kind, n, ms: median('ms'), cpu: median('cpu'), rssMb: median('rssMb'), msRange: [sorted('ms')[0], sorted('ms').at(-1)], bytes: samples[0].bytes };
}

const rows = [];
const load = [os.loadavg()[0]];
// A one-port file: node's start-up and module loading, taken off both sides of the growth ratio.
const base = measure('ports', 1).cpu;
for (const kind of Object.keys(INPUTS)) {
  const full = SIZES[kind];
  const quarter = measure(kind, full / 4);
  const half = measure(kind, full / 2);
  const whole = measure(kind, full);
  // Growth: CPU per item at full size over CPU per item at a quarter.
  const growth = (whole.cpu - base) / full / ((quarter.cpu - base) / (full / 4));
  rows.push({ ...whole, growth, half, quarter });
  console.log(
    `hostile bench: ${kind} ${full}: wall ${(whole.ms / 1000).toFixed(2)} s (${(whole.msRange[0] / 1000).toFixed(2)}–${(whole.msRange[1] / 1000).toFixed(2)}), CPU ${(whole.cpu / 1000).toFixed(2)} s, RSS ${whole.rssMb.toFixed(0)} MB; ¼: CPU ${(quarter.cpu / 1000).toFixed(2)} s, ½: ${(half.cpu / 1000).toFixed(2)} s; growth ${growth.toFixed(2)}`,
  );
}
load.push(os.loadavg()[0]);

const table = [
  `| input | wall (median of ${RUNS}, range) | CPU | vs 5 s (CPU) | peak RSS | vs 300 MB | CPU at ¼, ½ | per-item growth ¼→1× | JSON report |`,
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.n} ${r.kind} | ${(r.ms / 1000).toFixed(2)} s (${(r.msRange[0] / 1000).toFixed(2)}–${(r.msRange[1] / 1000).toFixed(2)}) | ${(r.cpu / 1000).toFixed(2)} s | ${(r.cpu / LIMIT_MS).toFixed(2)} | ${r.rssMb.toFixed(0)} MB | ${(r.rssMb / LIMIT_MB).toFixed(2)} | ${(r.quarter.cpu / 1000).toFixed(2)} s, ${(r.half.cpu / 1000).toFixed(2)} s | ${r.growth.toFixed(2)} | ${(r.bytes / 1024).toFixed(0)} KB |`,
  ),
].join('\n');
console.log(table);
const met = rows.every((r) => r.cpu < LIMIT_MS && r.rssMb < LIMIT_MB);
console.log(`hostile bench: ${met ? 'within' : 'NOT within'} 5 s CPU and 300 MB for every input (load ${load.map((l) => l.toFixed(1)).join(' → ')})`);
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench/results/hostile-latest.md'),
  `# hostile bench, latest run (${new Date().toISOString()}, load ${load.map((l) => l.toFixed(1)).join(' → ')})\n\n${table}\n`,
);
