// `npm run fuzz`: hostile inputs through the BUILT command (dist/galley/bin/galley.js),
// in every lint format, with --fix and --fix-dry-run, and through
// `recipe inspect`. Reports, per class of input, the crashes (exit 4 or a
// signal), hangs (no exit within the timeout), the largest output, the
// longest run and the largest resident memory (from /usr/bin/time, else the
// child's resource usage), then exits 1 if anything crashed or hung.
//
// Inputs: (1) one recipe per class of issue 16, each run with every command;
// (2) seeded mutations of the real recipes and compose files in
// ../shared/corpus (or $GALLEY_CORPUS), linted in batches (one process, many
// targets; a batch that crashes or hangs is re-run input by input to name
// the culprit).
//
// Usage: node bench/fuzz.mjs [--inputs N] [--seed S] [--timeout SECONDS] [--jobs J]
//                            [--classes only,these] [--markdown FILE]
// Defaults: 2000 corpus mutations, seed 16, 30 s, 2 jobs (the machine is shared).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { corpusLocation } from '../scripts/corpus-location.mjs';

const root = new URL('..', import.meta.url).pathname;
const galley = path.join(root, 'dist/galley/bin/galley.js');
if (!existsSync(galley)) {
  console.error('fuzz: build first (npm run build)');
  process.exit(2);
}
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const INPUTS = Number(option('inputs', '2000'));
const SEED = Number(option('seed', '16'));
const TIMEOUT_MS = Number(option('timeout', '30')) * 1000;
const JOBS = Number(option('jobs', '2'));
const ONLY = option('classes', '')?.split(',').filter(Boolean) ?? [];
const MARKDOWN = option('markdown', '');
const BATCH = 40;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

// ---- seeded randomness --------------------------------------------------------
function prng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
const random = prng(SEED);
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];

// ---- commands -------------------------------------------------------------------
const FORMATS = ['stylish', 'compact', 'json', 'sarif', 'github', 'gitlab', 'junit', 'abra'];
const COMMANDS = [
  ...FORMATS.map((f) => ({ name: `lint ${f}`, argv: (targets) => ['lint', '--format', f, ...targets] })),
  { name: 'lint --fix', argv: (targets) => ['lint', '--fix', ...targets], writes: true },
  { name: 'lint --fix-dry-run', argv: (targets) => ['lint', '--fix-dry-run', ...targets] },
  { name: 'recipe inspect', argv: (targets) => ['recipe', 'inspect', '--json', targets[0]], single: true },
];

// ---- inputs -----------------------------------------------------------------------
const work = mkdtempSync(path.join(os.tmpdir(), 'galley-fuzz-'));
/** Process groups of the runs under way: ended with the harness. */
const running = new Set();
process.on('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
  rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
let made = 0;

/** Writes a recipe folder: `files` maps paths to text, or to { symlink }, { fifo }, { mode }. */
function recipe(files) {
  const dir = path.join(work, `r${made++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    if (typeof content === 'string' || Buffer.isBuffer(content)) writeFileSync(file, content);
    else if (content.symlink) symlinkSync(content.symlink, file);
    else if (content.fifo) mkfifo(file);
    else if (content.text !== undefined) {
      writeFileSync(file, content.text);
      chmodSync(file, content.mode);
    }
  }
  return dir;
}

function mkfifo(file) {
  const result = spawnSyncQuiet('mkfifo', [file]);
  if (result !== 0) writeFileSync(file, ''); // no mkfifo: the class then tests an empty file
}

function spawnSyncQuiet(cmd, argv) {
  return spawnSync(cmd, argv, { stdio: 'ignore' }).status;
}

const BASE = 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n';
const SAMPLE = 'TYPE=fuzz\nDOMAIN=fuzz.example.com\n';
const std = (compose, extra = {}) => ({ 'compose.yml': compose, '.env.sample': SAMPLE, 'README.md': '# fuzz\n', ...extra });

function doublingEnv(lines) {
  let text = `${SAMPLE}A0=0123456789abcdef\n`;
  for (let i = 1; i <= lines; i++) text += `A${i}=$A${i - 1}$A${i - 1}\n`;
  return text;
}
const nested = (depth) => `${'${A:-'.repeat(depth)}x${'}'.repeat(depth)}`;
const lines = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('');

/**
 * One generator per class of issue 16 (and a few of our own). `part` says
 * whose work the class tests: B (limits, linear cost: this branch) or A
 * (what may be read and written, escaping: the `input` branch).
 */
const CLASSES = [
  // Part B: limits and linear cost.
  { name: 'env expansion doubles', part: 'B', make: () => std(BASE, { '.env.sample': doublingEnv(40) }) },
  { name: 'nested ${A:-…} x3000', part: 'B', make: () => std(`${BASE}    environment:\n      - X=${nested(3000)}\n`) },
  { name: 'nested ${A:-…} x100000', part: 'B', make: () => std(`${BASE}x-deep: "${nested(100_000)}"\n`) },
  { name: '20000 aliases (80 KB)', part: 'B', make: () => std(`x-a: &a {k: v}\n${BASE}x-many: [${lines(20_000, () => '*a, ')}*a]\n`) },
  {
    name: 'alias chain through complex keys',
    part: 'B',
    make: () => std(`x-chain:\n  ? &a0 {k: v}\n  : 0\n${lines(500, (i) => `  ? &a${i + 1} {k: *a${i}}\n  : ${i}\n`)}${BASE}x-use: *a500\n`),
  },
  {
    name: 'billion laughs',
    part: 'B',
    make: () =>
      std(
        `${lines(
          10,
          (i) =>
            `l${i}: &l${i} [${
              i === 0
                ? '"lol", "lol"'
                : Array(10)
                    .fill(`*l${i - 1}`)
                    .join(', ')
            }]\n`,
        )}${BASE}`,
      ),
  },
  { name: '40000 ports', part: 'B', slow: true, make: () => std(`${BASE}    ports:\n${lines(40_000, (i) => `      - "${1024 + i}:80"\n`)}`) },
  {
    name: '20000 secrets',
    part: 'B',
    slow: true,
    make: () => std(`${BASE}    secrets:\n${lines(20_000, (i) => `      - s${i}\n`)}secrets:\n${lines(20_000, (i) => `  s${i}:\n    external: true\n`)}`),
  },
  {
    name: '20000 depends_on',
    part: 'B',
    slow: true,
    make: () => std(`version: "3.8"\nservices:\n${lines(20_000, (i) => `  s${i}:\n    image: nginx:1.27.3\n    depends_on: [s${(i + 1) % 20_000}]\n`)}`),
  },
  {
    name: '10000 services',
    part: 'B',
    slow: true,
    make: () => std(`version: "3.8"\nservices:\n${lines(10_000, (i) => `  s${i}:\n    image: nginx:1.27.3\n    ports: ["${10_000 + i}:80"]\n`)}`),
  },
  { name: 'broken tokens 100 KB', part: 'B', make: () => std(`${BASE}${'  - : [ {\n'.repeat(10_000)}`) },
  { name: 'broken tokens 130 KB', part: 'B', make: () => std(`${BASE}${'  - : [ {\n'.repeat(13_000)}`) },
  { name: 'stray "] }" 4 MB', part: 'B', slow: true, make: () => std(`${BASE}${': - ] }\n'.repeat(500_000)}`) },
  { name: 'syntax-error flood 4 MB', part: 'B', slow: true, make: () => std(`${BASE}${'x: a: b\n'.repeat(500_000)}`) },
  { name: 'list-item error flood 4 MB', part: 'B', slow: true, make: () => std(`${BASE}${'- a: b: c\n'.repeat(400_000)}`) },
  { name: 'colon flood 4 MB', part: 'B', slow: true, make: () => std(`${BASE}${': : :\n'.repeat(650_000)}`) },
  { name: 'tab-indent flood 4 MB', part: 'B', slow: true, make: () => std(`${BASE}${'\tx: y\n'.repeat(650_000)}`) },
  { name: '2 million values 4 MB', part: 'B', slow: true, make: () => std(`${BASE}x-many:\n${'-\n'.repeat(2_000_000)}`) },
  { name: 'one-line 99 KB file', part: 'B', make: () => std(`${BASE}    command: ${JSON.stringify('a'.repeat(99_000))} ] ] ]\n`) },
  { name: 'duplicate keys x20000', part: 'B', make: () => std(`${BASE}x-dup:\n${'  k: v\n'.repeat(20_000)}`) },
  { name: 'long lone-$ string', part: 'B', make: () => std(`${BASE}    environment:\n      - X=${'a$ '.repeat(30_000)}\n`) },
  // Part A: what may be read, written and printed.
  { name: 'symlink to /proc/self/environ', part: 'A', make: () => std(BASE, { '.env.sample': { symlink: '/proc/self/environ' } }) },
  { name: 'symlink compose.yml outside', part: 'A', make: () => ({ 'compose.yml': { symlink: '/etc/hostname' }, '.env.sample': SAMPLE }) },
  { name: 'FIFO compose.yml', part: 'A', make: () => ({ 'compose.yml': { fifo: true }, '.env.sample': SAMPLE }) },
  { name: 'symlink to FIFO .env.sample', part: 'A', make: () => std(BASE, { pipe: { fifo: true }, '.env.sample': { symlink: 'pipe' } }) },
  { name: 'symlink to FIFO README.md', part: 'A', make: () => std(BASE, { pipe: { fifo: true }, 'README.md': { symlink: 'pipe' } }) },
  { name: 'symlink to FIFO abra.sh', part: 'A', make: () => std(BASE, { pipe: { fifo: true }, 'abra.sh': { symlink: 'pipe' } }) },
  { name: 'symlink to /dev/zero', part: 'A', make: () => std(BASE, { 'README.md': { symlink: '/dev/zero' } }) },
  { name: 'NUL in file: path', part: 'A', make: () => std(`${BASE}configs:\n  c:\n    file: "a\\0b"\n`) },
  { name: 'ANSI and CR in values', part: 'A', make: () => std(`${BASE}    labels:\n      - "x=\u001b[2J\r0 problems"\n    x-\u001b[31m: 1\n`) },
  { name: 'workflow command in a value', part: 'A', make: () => std(`${BASE}    image: "::error file=x::forged"\n`) },
  { name: 'BOM without version', part: 'A', make: () => std(`\ufeffservices:\n  app:\n    image: nginx:1.27.3\n`) },
  { name: 'CRLF compose', part: 'A', make: () => std(BASE.replace(/\n/g, '\r\n')) },
  { name: 'unreadable compose (mode 000)', part: 'A', make: () => std({ text: BASE, mode: 0 }) },
  { name: 'large README 6 MB', part: 'A', make: () => std(BASE, { 'README.md': `# big\n${'x'.repeat(6 * 1024 * 1024)}\n` }) },
].filter((c) => ONLY.length === 0 || ONLY.some((o) => c.name.includes(o)));

// Corpus mutations.
const corpusDir = corpusLocation(root);
function corpusFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      const st = statSync(file);
      if (st.isDirectory()) walk(file);
      else if (/\.(ya?ml)$|\.env\.sample$/.test(name) && st.size < 512 * 1024) out.push(file);
    }
  };
  if (existsSync(corpusDir)) walk(corpusDir);
  return out.sort();
}

const TOKENS = [
  ':',
  '- ',
  '[',
  '{',
  ']',
  '}',
  '"',
  "'",
  '&a ',
  '*a',
  '<<: *a',
  '${',
  '$',
  '\t',
  '\n',
  '#',
  '\0',
  '\r',
  '\u001b[2J',
  '\u202e',
  '!!binary ',
  '? ',
  '|',
  '>-',
];
const MUTATORS = [
  (t) => {
    const at = int(t.length + 1);
    return t.slice(0, at) + pick(TOKENS) + t.slice(at);
  },
  (t) => t.slice(0, int(t.length + 1)),
  (t) => {
    const at = int(t.length + 1);
    const piece = t.slice(at, at + 1 + int(40));
    return t.slice(0, at) + piece.repeat(2 + int(2000)) + t.slice(at);
  },
  (t) => {
    const ls = t.split('\n');
    const i = int(ls.length);
    ls[i] = ' '.repeat(int(9)) + (ls[i] ?? '').trimStart();
    return ls.join('\n');
  },
  (t) => `${t}\nx-n: "${nested(1 + int(5000))}"\n`,
  (t) =>
    `x-a: &a {k: v}\n${t}\nx-m: [${Array(1 + int(15_000))
      .fill('*a')
      .join(', ')}]\n`,
  (t) => {
    const at = int(t.length + 1);
    return t.slice(0, at) + Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256))).toString('latin1') + t.slice(at);
  },
];

function mutatedInputs(n) {
  const files = corpusFiles();
  if (!files.length) return [];
  const out = [];
  for (let i = 0; i < n; i++) {
    const source = pick(files);
    let text = readFileSync(source, 'utf8');
    const rounds = 1 + int(3);
    for (let r = 0; r < rounds; r++) text = pick(MUTATORS)(text);
    const isEnv = source.endsWith('.env.sample');
    const dir = recipe(isEnv ? std(BASE, { '.env.sample': text }) : std(text));
    out.push({ dir, source: path.relative(corpusDir, source) });
  }
  return out;
}

// ---- running --------------------------------------------------------------------
/** Big inputs a loaded machine takes long over: they get four times the timeout before counting as hung. */
function run(argv, cwd, slow = false) {
  return new Promise((resolve) => {
    const started = performance.now();
    const cmd = TIME ? TIME : process.execPath;
    const full = TIME ? ['-f', '@@rss %M', process.execPath, galley, ...argv] : [galley, ...argv];
    // Its own process group, so a hang is ended with everything it started (and nothing else).
    const child = spawn(cmd, full, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' } });
    running.add(child.pid);
    let out = 0;
    let err = '';
    let errBytes = 0;
    child.stdout.on('data', (d) => {
      out += d.length;
    });
    child.stderr.on('data', (d) => {
      errBytes += d.length;
      if (err.length < 64 * 1024) err += d.toString('utf8');
      else err = err.slice(0, 32 * 1024) + d.toString('utf8').slice(-1024);
    });
    let hung = false;
    const timer = setTimeout(
      () => {
        hung = true;
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      },
      slow ? 4 * TIMEOUT_MS : TIMEOUT_MS,
    );
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      const ms = performance.now() - started;
      const rssKb = Number(/@@rss (\d+)/.exec(err)?.[1] ?? Number.NaN);
      // /usr/bin/time reports the child's signal as "Command terminated by signal N".
      const killed = /Command terminated by signal (\d+)/.exec(err);
      const status = TIME && /Command exited with non-zero status (\d+)/.exec(err);
      const exit = killed ? null : status ? Number(status[1]) : code;
      resolve({ ms, exit, signal: killed ? Number(killed[1]) : signal, hung, out, errBytes, rssKb, stderr: err.replace(/@@rss \d+\n?/, '').slice(0, 400) });
    });
  });
}

const crashed = (r) => r.hung || r.exit === 4 || r.signal !== null || (r.exit !== null && r.exit > 4 && r.exit !== 130);

async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, tasks.length) }, async () => {
      for (let i = next++; i < tasks.length; i = next++) results[i] = await tasks[i]();
    }),
  );
  return results;
}

const stats = new Map();
function record(cls, part, command, r, detail) {
  let s = stats.get(cls);
  if (!s) {
    s = { cls, part, runs: 0, crashes: 0, hangs: 0, maxMs: 0, maxRssKb: 0, maxOut: 0, exits: new Map(), examples: [] };
    stats.set(cls, s);
  }
  s.runs++;
  if (r.hung) s.hangs++;
  else if (crashed(r)) s.crashes++;
  s.maxMs = Math.max(s.maxMs, r.ms);
  if (Number.isFinite(r.rssKb)) s.maxRssKb = Math.max(s.maxRssKb, r.rssKb);
  s.maxOut = Math.max(s.maxOut, r.out);
  const key = r.hung ? 'hang' : r.signal !== null ? `sig${r.signal}` : String(r.exit);
  s.exits.set(key, (s.exits.get(key) ?? 0) + 1);
  if (crashed(r) && s.examples.length < 3)
    s.examples.push(
      `${command}${detail ? ` (${detail})` : ''}: ${r.hung ? 'hung' : `exit ${r.exit ?? `signal ${r.signal}`}`} ${r.stderr.split('\n').find((l) => l.trim()) ?? ''}`,
    );
}

let done = 0;
function progress(what, r) {
  done++;
  if (crashed(r) || done % 25 === 0) {
    process.stderr.write(
      `fuzz: ${done} runs, ${((performance.now() - started) / 1000).toFixed(0)} s; ${what}: ${r.hung ? 'HUNG' : `exit ${r.exit ?? `signal ${r.signal}`}`} in ${(r.ms / 1000).toFixed(1)} s\n`,
    );
  }
}

const started = performance.now();
const classTasks = [];
for (const cls of CLASSES) {
  for (const command of COMMANDS) {
    classTasks.push(async () => {
      // A fresh copy per run: --fix changes files.
      const dir = recipe(cls.make());
      const r = await run(command.argv([dir]), work, cls.slow);
      record(cls.name, cls.part, command.name, r);
      rmSync(dir, { recursive: true, force: true });
      progress(`${cls.name}: ${command.name}`, r);
      return r;
    });
  }
}
console.log(
  `fuzz: ${CLASSES.length} classes × ${COMMANDS.length} commands, then ${INPUTS} corpus mutations (seed ${SEED}), ${JOBS} jobs, timeout ${TIMEOUT_MS / 1000} s`,
);
await pool(classTasks, JOBS);

const inputs = args.includes('--no-mutations') ? [] : mutatedInputs(INPUTS);
const batches = [];
for (let i = 0; i < inputs.length; i += BATCH) batches.push(inputs.slice(i, i + BATCH));
const batchTasks = batches.map((batch, b) => async () => {
  const command = COMMANDS[b % COMMANDS.length];
  const r = command.single ? null : await run(command.argv(batch.map((x) => x.dir)), work);
  if (r && !crashed(r)) {
    record('corpus mutations (batches of 40)', 'B', command.name, r);
    progress(`batch ${b}: ${command.name}`, r);
    return;
  }
  // A crash, a hang, or a command of one target: each input alone names the culprit.
  for (const input of batch) {
    const one = await run(command.argv([input.dir]), work);
    record('corpus mutations (one by one)', 'B', command.name, one, input.source);
    progress(`${input.source}: ${command.name}`, one);
  }
});
await pool(batchTasks, JOBS);
const seconds = (performance.now() - started) / 1000;

// ---- report -----------------------------------------------------------------------
const rows = [...stats.values()];
const total = rows.reduce((a, s) => ({ runs: a.runs + s.runs, crashes: a.crashes + s.crashes, hangs: a.hangs + s.hangs }), { runs: 0, crashes: 0, hangs: 0 });
const mb = (kb) => (kb ? `${(kb / 1024).toFixed(0)} MB` : '—');
const size = (b) => (b < 1024 ? `${b} B` : b < 1024 * 1024 ? `${(b / 1024).toFixed(1)} KB` : `${(b / 1024 / 1024).toFixed(1)} MB`);
const table = [
  '| class | part | runs | crashes | hangs | exit codes | max time | max RSS | max stdout |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (s) =>
      `| ${s.cls.replace(/\|/g, '\\|')} | ${s.part} | ${s.runs} | ${s.crashes} | ${s.hangs} | ${[...s.exits].map(([k, v]) => `${k}×${v}`).join(' ')} | ${(s.maxMs / 1000).toFixed(2)} s | ${mb(s.maxRssKb)} | ${size(s.maxOut)} |`,
  ),
];
const byPart = (p) => rows.filter((s) => s.part === p).reduce((a, s) => a + s.crashes + s.hangs, 0);
const summary = [
  `fuzz: ${total.runs} runs of ${CLASSES.length} classes and ${inputs.length} corpus mutations in ${seconds.toFixed(0)} s (seed ${SEED}, timeout ${TIMEOUT_MS / 1000} s, ${JOBS} jobs, load ${os.loadavg()[0].toFixed(1)})`,
  `crashes ${total.crashes}, hangs ${total.hangs} (part B classes: ${byPart('B')}, part A classes: ${byPart('A')}); max time ${(Math.max(...rows.map((s) => s.maxMs)) / 1000).toFixed(2)} s, max RSS ${mb(Math.max(...rows.map((s) => s.maxRssKb)))}, max stdout ${size(Math.max(...rows.map((s) => s.maxOut)))}`,
];
const examples = rows.flatMap((s) => s.examples.map((e) => `- ${s.cls}: ${e}`));
const text = [...summary, '', ...table, ...(examples.length ? ['', 'Crashes and hangs (first three per class):', ...examples] : [])].join('\n');
console.log(text);
if (MARKDOWN) writeFileSync(MARKDOWN, `${text}\n`);
process.exit(total.crashes + total.hangs > 0 ? 1 : 0);
