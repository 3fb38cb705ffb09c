// galley site build and the site's search, against the issue's targets:
//  - build time for synthetic catalogues of 200 and 2000 recipes (with a
//    README each), target: 2000 in under 3 s — wall time of the real CLI
//    process, median of several runs, writing to tmpfs (/dev/shm: the
//    builder's own work) and to the disk (os.tmpdir(): what a user sees here);
//    and the CPU time (user + system, all threads) of buildSite in this
//    process, which other work on a shared machine disturbs less;
//  - home page weight, gzipped (HTML + CSS + JS + search index), at 200 and
//    2000 recipes, budget 100 KB at 200 (JS: 30 KB);
//  - search query time in Chromium at 2000 recipes, target under 5 ms:
//    MiniSearch over the prebuilt index as the page runs it, many queries,
//    median and p95; and the whole update a keystroke causes (search, filter
//    and facet counts, reorder the cards, the URL), for context.
// Uses the built code (npm run build first). Set RUNS to change repetitions.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { buildSite, readmesFromDir } from '../packages/generator/dist/index.js';
import { writeSyntheticCatalogue } from '../packages/generator/dist/testing/index.js';

const root = new URL('..', import.meta.url).pathname;
const galley = path.join(root, 'packages/cli/bin/galley.js');
const RUNS = Number(process.env.RUNS ?? 5);
const TARGET_BUILD_2000_MS = 3000;
const TARGET_SEARCH_MS = 5;
const HOME_BUDGET = 100 * 1024;
const JS_BUDGET = 30 * 1024;
const shm = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function buildOnce(input, out) {
  const start = performance.now();
  const result = spawnSync(
    process.execPath,
    [galley, 'site', 'build', '--catalogue', input.catalogueFile, '--readmes', input.readmesDir, '--out', out, '--json'],
    { encoding: 'utf8' },
  );
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`galley site build failed: ${result.stderr}`);
  return { ms, summary: JSON.parse(result.stdout) };
}

const work = await mkdtemp(path.join(shm, 'galley-site-bench-'));
const disk = await mkdtemp(path.join(tmpdir(), 'galley-site-bench-'));
const rows = [];
const summaries = {};
try {
  for (const count of [200, 2000]) {
    const input = await writeSyntheticCatalogue(path.join(work, `in-${count}`), count);
    buildOnce(input, path.join(work, `warm-${count}`)); // file cache, first-run costs
    for (const [where, parent] of [
      ['tmpfs', work],
      ['disk', disk],
    ]) {
      const times = [];
      const runs = count === 2000 ? Math.max(3, Math.ceil(RUNS / 2)) : RUNS;
      for (let i = 0; i < runs; i++) {
        const out = path.join(parent, `site-${count}`);
        const { ms, summary } = buildOnce(input, out); // each run replaces the previous site, as a rebuild does
        times.push(ms);
        summaries[count] = summary;
      }
      const m = median(times);
      const note = count === 2000 ? `${(m / TARGET_BUILD_2000_MS).toFixed(2)} of the ${TARGET_BUILD_2000_MS / 1000} s target` : '';
      rows.push([
        `build ${count} recipes, out on ${where}, median of ${runs}`,
        `${(m / 1000).toFixed(2)} s`,
        `min ${(Math.min(...times) / 1000).toFixed(2)} s, max ${(Math.max(...times) / 1000).toFixed(2)} s; ${note}`,
      ]);
    }
    // In-process: wall and CPU time of buildSite itself (no node start-up, no module loading after the first run).
    const walls = [];
    const cpus = [];
    for (let i = 0; i < (count === 2000 ? 3 : 5); i++) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      await buildSite({ catalogue: input.catalogueFile, out: path.join(work, `inproc-${count}`), readmes: await readmesFromDir(input.readmesDir) });
      walls.push(performance.now() - start);
      const used = process.cpuUsage(cpu);
      cpus.push((used.user + used.system) / 1000);
    }
    const cpuNote = count === 2000 ? `; CPU ${(median(cpus) / TARGET_BUILD_2000_MS).toFixed(2)} of the ${TARGET_BUILD_2000_MS / 1000} s target` : '';
    rows.push([
      `buildSite in-process ${count} recipes (tmpfs), median of ${walls.length}`,
      `${(median(walls) / 1000).toFixed(2)} s`,
      `CPU time ${(median(cpus) / 1000).toFixed(2)} s (user + system, all threads)${cpuNote}`,
    ]);
    const s = summaries[count];
    rows.push([
      `home page gzipped at ${count} recipes`,
      kb(s.home.total),
      `HTML ${kb(s.home.html)}, CSS ${kb(s.home.css)}, JS ${kb(s.home.js)}, index ${kb(s.home.index)}; ${count === 200 ? `${(s.home.total / HOME_BUDGET).toFixed(2)} of the 100 KB budget; JS ${(s.home.js / JS_BUDGET).toFixed(2)} of 30 KB` : `(budget applies at 200: ${(s.home.total / HOME_BUDGET).toFixed(2)}× it)`}`,
    ]);
    rows.push([`site at ${count} recipes`, `${s.files} files`, `${(s.bytes / 1024 / 1024).toFixed(1)} MiB, ${s.versions} versions`]);
  }

  // Search in Chromium at 2000 recipes, on the page galley site serve serves.
  const server = spawn(process.execPath, [galley, 'site', 'serve', '--dir', path.join(work, 'site-2000'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`galley site serve exited ${code}`)));
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    const names = await page.$$eval('#cards > li.card', (cards) => cards.map((c) => c.dataset.name));
    const queries = [];
    for (let i = 0; i < 100; i++) {
      const name = names[(i * 37) % names.length];
      const kind = i % 5;
      if (kind === 0) queries.push(name);
      else if (kind === 1)
        queries.push(name.slice(0, 4)); // prefix
      else if (kind === 2)
        queries.push(name.slice(0, 3) + name.slice(4)); // one letter missing
      else if (kind === 3) queries.push(['postgres', 'redis', 'nginx', 'keycloak', 'mariadb'][i % 5]);
      else queries.push(['cloud', 'wiki chat', 'collaborative', 'Media', 'self-hosted libre'][i % 5]);
    }
    const timing = await page.evaluate(async (qs) => {
      const search = window.galleySearch;
      await search('warm');
      // The page's own search, as a keystroke runs it (prebuilt index, prefix + fuzzy).
      const searchTimes = [];
      let hits = 0;
      for (let round = 0; round < 5; round++) {
        for (const q of qs) {
          const t = performance.now();
          const results = await search(q);
          searchTimes.push(performance.now() - t);
          hits += results.length > 0 ? 1 : 0;
        }
      }
      // The whole update after typing: search + filters + facet counts + card order + URL.
      const input = document.getElementById('q');
      const updateTimes = [];
      for (const q of qs) {
        input.value = q;
        const t = performance.now();
        input.dispatchEvent(new Event('input'));
        updateTimes.push(performance.now() - t);
      }
      return { searchTimes, updateTimes, hits };
    }, queries);
    const { searchTimes, updateTimes, hits } = timing;
    rows.push([
      `search at 2000 recipes in Chromium (${searchTimes.length} queries)`,
      `median ${median(searchTimes).toFixed(2)} ms`,
      `p95 ${pct(searchTimes, 95).toFixed(2)} ms, max ${Math.max(...searchTimes).toFixed(2)} ms; median ${(median(searchTimes) / TARGET_SEARCH_MS).toFixed(2)}, p95 ${(pct(searchTimes, 95) / TARGET_SEARCH_MS).toFixed(2)} of the ${TARGET_SEARCH_MS} ms target; ${((hits / searchTimes.length) * 100).toFixed(0)}% of queries found something`,
    ]);
    rows.push([
      `whole page update per keystroke at 2000 (${updateTimes.length} queries)`,
      `median ${median(updateTimes).toFixed(1)} ms`,
      `p95 ${pct(updateTimes, 95).toFixed(1)} ms (search, filters, facet counts, reordering 2000 cards, URL)`,
    ]);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await rm(disk, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r[0].length));
for (const [what, value, note] of rows) console.log(`${what.padEnd(width)}  ${value.padStart(16)}  ${note}`);
console.log(
  `node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end`,
);
