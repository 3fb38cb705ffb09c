// `npm run bench -- lint` (after `npm run build`): galley lint against dclint
// (the npm package, a devDependency) and against the limit, in one run.
//  (a) throughput: the same ≥1000 compose files (corpus + recipe compose
//      files, repeated) through dclint's CLI on the folder, galley's CLI in
//      one process over the files, and galley in-process;
//  (b) the limit: a bare loop of yaml.parseDocument + the precompiled
//      compose-spec validation over the same files; galley's time over it;
//  (c) cold start: `galley lint` on one recipe with 18 compose files (the
//      corpus's bonfire, or a synthetic one), wall time, beside dclint.
// Prints a table and writes bench/results/lint.md.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { corpusLocation } from '../scripts/corpus-location.mjs';
import { cpuTimer } from './cpu-time.mjs';

const root = new URL('..', import.meta.url).pathname;
const corpus = corpusLocation(root);
const galley = path.join(root, 'dist/galley/bin/galley.js');
const dclint = path.join(root, 'node_modules/dclint/bin/dclint.cjs');
const TARGET_FILES = Number(process.env.LINT_BENCH_FILES ?? 1000);
const COLD_RUNS = 7;

const isCompose = (name) => /^(docker-)?compose.*\.ya?ml$/.test(name) || /\.ya?ml$/.test(name);
function composeFilesUnder(dir, depth = 3) {
  if (!existsSync(dir) || depth < 0) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const info = statSync(full);
    if (info.isDirectory() && name !== '.git' && name !== 'node_modules') out.push(...composeFilesUnder(full, depth - 1));
    else if (info.isFile() && /^(docker-)?compose.*\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

const sources = [
  ...(existsSync(path.join(corpus, 'compose'))
    ? readdirSync(path.join(corpus, 'compose'))
        .filter(isCompose)
        .map((f) => path.join(corpus, 'compose', f))
    : []),
  ...composeFilesUnder(path.join(corpus, 'recipes')),
  ...composeFilesUnder(path.join(root, 'examples/recipes')),
];
if (sources.length === 0) {
  console.error('lint bench: no compose files found (set GALLEY_CORPUS)');
  process.exit(2);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'galley-lint-bench-'));
const filesDir = path.join(tmp, 'files');
mkdirSync(filesDir);
const files = [];
for (let i = 0; files.length < Math.max(TARGET_FILES, sources.length); i++) {
  const file = path.join(filesDir, `compose.${String(i).padStart(5, '0')}.yml`);
  copyFileSync(sources[i % sources.length], file);
  files.push(file);
}
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);

const time = cpuTimer(tmp);
function timeProcess(args, options = {}) {
  const { ms, cpu, result } = time(args, { maxBuffer: 512 * 1024 * 1024, ...options });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ').slice(0, 200)} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  return { ms, cpu, result };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const rate = (ms) => `${((files.length / ms) * 1000).toFixed(0)} files/s`;

console.log(`lint bench: ${files.length} compose files (${sources.length} distinct, ${(bytes / 1024 / 1024).toFixed(1)} MiB) in ${filesDir}`);

// (a) throughput
// dclint exits before a large report on a pipe is flushed: let it write a file.
const dclintReport = path.join(tmp, 'dclint.json');
const dclintRun = timeProcess([dclint, filesDir, '-f', 'json', '-o', dclintReport, '--color', 'false']);
let dclintFindings = NaN;
try {
  dclintFindings = JSON.parse(readFileSync(dclintReport, 'utf8')).reduce((n, r) => n + r.messages.length, 0);
} catch {
  // no report: leave NaN
}
// galley is fast enough to run three times: the median evens out a shared machine's noise.
const galleyRuns = [0, 1, 2].map(() => timeProcess([galley, 'lint', '--format', 'json', ...files]));
const galleyRun = { ms: median(galleyRuns.map((r) => r.ms)), cpu: median(galleyRuns.map((r) => r.cpu)), result: galleyRuns[0].result };
const galleyFindings = JSON.parse(galleyRun.result.stdout).targets.reduce((n, t) => n + t.findings.length, 0);

// In-process galley and (b) the limit, alternately, ROUNDS times each; medians.
const ROUNDS = 5;
const { lint } = await import(path.join(root, 'packages/linter/dist/index.js'));
const { allRules } = await import(path.join(root, 'rules/dist/index.js'));
const { parseDocument } = await import(path.join(root, 'node_modules/yaml/dist/index.js'));
const { validateCompose } = await import(path.join(root, 'packages/linter/dist/generated/compose-schema.js'));
function bareLoop() {
  let invalid = 0;
  for (const f of files) {
    const doc = parseDocument(readFileSync(f, 'utf8'), { uniqueKeys: false, merge: true });
    if (!validateCompose(doc.toJS({ maxAliasCount: 10_000 }))) invalid++;
  }
  return invalid;
}
const inTimes = [];
const bareTimes = [];
let inReport;
let bareInvalid = 0;
for (let round = 0; round < ROUNDS; round++) {
  let started = performance.now();
  inReport = await lint(files, { rules: allRules });
  inTimes.push(performance.now() - started);
  started = performance.now();
  bareInvalid = bareLoop();
  bareTimes.push(performance.now() - started);
}
const inProcessMs = median(inTimes);
const bareMs = median(bareTimes);

// (c) cold start on one recipe with 18 compose files
// The corpus keeps older versions of a recipe in its `versions/` folder; the
// recipe itself is the rest, copied as its repository has it.
let recipeDir = path.join(tmp, 'bonfire');
let recipeLabel = 'the corpus bonfire recipe (without the corpus versions/ folder)';
const bonfire = path.join(corpus, 'recipes/bonfire');
if (existsSync(bonfire)) cpSync(bonfire, recipeDir, { recursive: true, filter: (src) => path.relative(bonfire, src).split(path.sep)[0] !== 'versions' });
if (!existsSync(recipeDir) || composeFilesUnder(recipeDir, 0).length < 18) {
  recipeDir = path.join(tmp, 'recipe18');
  mkdirSync(recipeDir);
  writeFileSync(path.join(recipeDir, '.env.sample'), 'TYPE=bench\nDOMAIN=bench.example.com\n');
  writeFileSync(path.join(recipeDir, 'compose.yml'), 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n');
  for (let i = 1; i < 18; i++)
    writeFileSync(path.join(recipeDir, `compose.o${i}.yml`), `version: "3.8"\nservices:\n  app:\n    environment:\n      - O${i}=1\n`);
  recipeLabel = 'a synthetic recipe';
}
const recipeFiles = composeFilesUnder(recipeDir, 0);
const coldGalley = [];
const coldDclint = [];
for (let i = 0; i < COLD_RUNS; i++) {
  coldGalley.push(timeProcess([galley, 'lint', recipeDir]));
  coldDclint.push(timeProcess([dclint, ...recipeFiles, '--color', 'false']));
}
const coldG = median(coldGalley.map((r) => r.ms));
const coldD = median(coldDclint.map((r) => r.ms));
const coldGcpu = median(coldGalley.map((r) => r.cpu));
const coldDcpu = median(coldDclint.map((r) => r.cpu));

const rows = [
  ['(a) dclint CLI on the folder', fmt(dclintRun.ms), rate(dclintRun.ms), `${dclintFindings} findings; CPU ${fmt(dclintRun.cpu)}`],
  [
    '(a) galley lint CLI, one process, median of 3',
    fmt(galleyRun.ms),
    rate(galleyRun.ms),
    `${galleyFindings} findings; ${(dclintRun.ms / galleyRun.ms).toFixed(1)}× dclint (target ≥ 50×, issue 11); CPU ${fmt(galleyRun.cpu)}, ${(dclintRun.cpu / galleyRun.cpu).toFixed(1)}× dclint's`,
  ],
  [`(a) galley lint in-process, median of ${ROUNDS}`, fmt(inProcessMs), rate(inProcessMs), `${(dclintRun.ms / inProcessMs).toFixed(1)}× dclint`],
  [`(b) bare parseDocument + precompiled schema, median of ${ROUNDS}`, fmt(bareMs), rate(bareMs), `${bareInvalid} invalid`],
  ['(b) galley in-process over the bare loop', '', '', `${(inProcessMs / bareMs).toFixed(2)}× (target ≤ 1.5×, issue 11)`],
  [
    `(c) cold start: galley lint, ${recipeLabel} (${recipeFiles.length} compose files), median of ${COLD_RUNS}`,
    fmt(coldG),
    '',
    `target < 250 ms (issue 11); CPU ${fmt(coldGcpu)}`,
  ],
  [`(c) cold start: dclint on the same files, median of ${COLD_RUNS}`, fmt(coldD), '', `${(coldD / coldG).toFixed(1)}× galley; CPU ${fmt(coldDcpu)}`],
];
const table = ['| measurement | time | rate | notes |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
console.log(table);
console.log(
  `rules: ${allRules.length} (+ galley/* engine rules); in-process findings: ${inReport.summary.errors + inReport.summary.warnings + inReport.summary.infos}`,
);

const md = `# lint benchmark

Measured by \`bench/lint.bench.mjs\` (\`npm run build && npm run bench -- lint\`) on ${new Date().toISOString().slice(0, 10)},
Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}; load average ${os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')} at the end — the machine is shared), dclint ${JSON.parse(readFileSync(path.join(root, 'node_modules/dclint/package.json'), 'utf8')).version}.
Input: ${files.length} compose files (${sources.length} distinct files of the corpus and example recipes, repeated), ${(bytes / 1024 / 1024).toFixed(1)} MiB.
galley ran ${allRules.length} rules (plus the galley/* engine rules) at the time of the run.

${table}

How each is measured:
- dclint: its CLI on the folder (\`dclint <dir> -f json\`), as its README shows; it finds the files by name.
- galley CLI: one \`galley lint --format json <files…>\` process (each file is a lone compose file).
- galley in-process: \`lint(files, { rules: allRules })\` of @galley/linter (built), after a warm-up.
- bare loop: \`readFileSync\` + \`yaml.parseDocument\` + \`toJS\` + the build-time compiled compose-spec validator, nothing else.
- cold start: wall time of a new \`galley lint <recipe>\` process (default presets), median of ${COLD_RUNS} runs; dclint likewise on the recipe's compose files.
`;
writeFileSync(path.join(root, 'bench/results/lint.md'), md);
rmSync(tmp, { recursive: true, force: true });
