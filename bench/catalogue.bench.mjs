// `galley catalogue generate` on a synthetic organisation on loopback:
// 200 recipes × 5 release tags × 3 services, served by a real `git daemon`,
// the images in Debian's real distribution registry, asked through the test
// registry proxy in pass-through mode (no faults, no auth, no paging) so every
// registry request is counted. Measures the cold run (empty cache), the warm
// run (nothing changed upstream, fresh cache) with a list source and with a
// forge source (the Gitea API double listing the same repositories), the
// registry requests against the minimum (one tag list per distinct image
// repository of the latest releases, one digest per distinct image:tag), and
// `git ls-remote` of every repository (16 at a time) as the peer of a warm run
// with a plain git source; prints the ratios against the goals: cold < 10 s,
// warm with a forge source < 1 s, warm with a list source within 1.5× of
// ls-remote, requests = minimum.
//
// It runs the built CLI (`npm run build` first; GALLEY_CLI names another
// build to compare), and bundles test/support (TypeScript) with esbuild to
// start the registry, proxy and git server.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { childCpuOf, cpuOf, cpuWrapper } from './cpu-time.mjs';
import { importTestSupport } from './test-support.mjs';

const root = new URL('..', import.meta.url).pathname;
const RECIPES = Number(process.env.RECIPES ?? 200);
const VERSIONS = 5;
const LIMITS = { coldMs: 10_000, warmForgeMs: 1_000, warmVsLsRemote: 1.5 };
// GALLEY_CLI=path/to/bin/galley.js compares another build (kept inside the repository, so it finds schemas/).
const CLI = process.env.GALLEY_CLI ?? path.join(root, 'dist/galley/bin/galley.js');
if (process.env.GALLEY_CLI) console.log(`cli: ${CLI}`);
const RUNS = Number(process.env.RUNS ?? 5);

const work = await mkdtemp(path.join(os.tmpdir(), 'galley-bench-catalogue-'));
// Each run's CPU (galley's own, and of the git processes it waited for): on a loaded machine the wall time swings with others' work.
const wrapper = cpuWrapper(work);
const support = await importTestSupport('index');

const stops = [];
try {
  // Images: one own app image per recipe, shared databases and a cache.
  const registry = await support.startRegistry({ parentDir: '/dev/shm' });
  stops.push(() => registry.stop());
  const setupStart = performance.now();
  const appTags = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.5', '1.1.0', '2.0.0', 'latest'];
  await support.mapLimit(
    Array.from({ length: RECIPES }, (_, i) => i),
    4,
    (i) => registry.seedTagsFast(`bench/app-${i}`, appTags, { distinctDigests: true }),
  );
  await registry.seedImage('library/postgres', ['15.0', '15.1', '15.2', '15.3', '15.4', '15.5', '16.0', '15-alpine', 'latest'], { distinctDigests: true });
  await registry.seedImage('library/mariadb', ['10.0', '10.1', '10.2', '10.3', '10.4', '10.5', '11.0', 'latest'], { distinctDigests: true });
  await registry.seedImage('library/redis', ['7.2.0', '7.2.1', '7.2.2', '7.2.3', '7.2.4', '7.2.5', '7.3.0', '8.0.0', 'latest'], { distinctDigests: true });
  const proxy = await support.startRegistryProxy(registry.url);
  stops.push(() => proxy.stop());

  // Recipes: 5 annotated release tags each, every release bumping each service.
  const specs = Array.from({ length: RECIPES }, (_, i) => ({
    name: `recipe-${String(i).padStart(3, '0')}`,
    commits: Array.from({ length: VERSIONS }, (_, v) => ({
      message: `release ${v}`,
      files: {
        'compose.yml': `version: "3.8"\nservices:\n  app:\n    image: ${proxy.host}/bench/app-${i}:1.0.${v}\n  db:\n    image: ${i % 2 ? 'mariadb' : 'postgres'}:${i % 2 ? '10' : '15'}.${v}\n  cache:\n    image: redis:7.2.${v}\n`,
        'README.md': `# Recipe ${i}\n\nA benchmark recipe.\n\n<!-- metadata -->\n* **Category**: Apps\n* **Status**: 3, stable\n<!-- endmetadata -->\n`,
        ...(v === 0 ? { '.env.sample': `TYPE=recipe-${i}\nDOMAIN=recipe-${i}.example.com\n` } : {}),
      },
      tags: [{ name: `1.${v}.0+1.0.${v}`, annotated: true }],
    })),
  }));
  const git = await support.startGitServer([]);
  stops.push(() => git.stop());
  await support.mapLimit(specs, 4, (spec) => git.addRepo(spec));
  await writeFile(path.join(work, 'recipes.txt'), `${specs.map((s) => git.url(s.name)).join('\n')}\n`);
  await writeFile(path.join(work, 'galley-catalogue.yml'), `sources:\n  - list: recipes.txt\nregistry:\n  hosts:\n    docker.io: { url: ${proxy.url} }\n`);
  // The same repositories listed by a forge (Gitea's API, as the double answers it).
  const forge = await support.startGiteaDouble({ orgs: { bench: specs.map((s) => ({ name: s.name, cloneUrl: git.url(s.name) })) } });
  stops.push(() => forge.stop());
  await writeFile(
    path.join(work, 'galley-forge.yml'),
    `sources:\n  - gitea: { url: ${forge.url}, org: bench }\nregistry:\n  hosts:\n    docker.io: { url: ${proxy.url} }\n`,
  );
  console.log(
    `setup: ${RECIPES} recipes × ${VERSIONS} tags × 3 services, ${RECIPES + 3} image repositories, in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`,
  );

  // The minimum, from the design: tag lists of the latest releases' image repositories;
  // digests of every pinned image:tag and of each upgrade candidate.
  const minTagLists = RECIPES + 3; // app-N, postgres, mariadb, redis
  const appDigests = RECIPES * (VERSIONS + 3); // 1.0.0–1.0.4, candidates 1.0.5, 1.1.0, 2.0.0
  const dbDigests = (RECIPES > 1 ? 2 : 1) * (VERSIONS + 2); // 15.0–15.4 + 15.5, 16.0 (mariadb alike)
  const redisDigests = VERSIONS + 3; // 7.2.0–7.2.4 + 7.2.5, 7.3.0, 8.0.0
  const minimum = { tags: minTagLists, digest: appDigests + dbDigests + redisDigests };

  // Asynchronous spawn: the proxy and git daemon's helpers live in this process and must keep answering.
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const spread = (values) =>
    `median of ${values.length}: ${[...values]
      .sort((a, b) => a - b)
      .map((t) => (t / 1000).toFixed(2))
      .join(', ')} s`;
  /** `git ls-remote` of every repository, 16 at a time (as many as galley asks at once). */
  const lsRemoteAll = async () => {
    const start = performance.now();
    await support.mapLimit(specs, 16, (s) => support.run('git', ['ls-remote', git.url(s.name)]));
    return performance.now() - start;
  };
  const galley = (args) =>
    new Promise((resolve, reject) => {
      const start = performance.now();
      const child = spawn(
        process.execPath,
        [...(process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`] : []), wrapper, CLI, 'catalogue', 'generate', ...args],
        { cwd: work, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => {
        const ms = performance.now() - start;
        if (code !== 0) reject(new Error(`galley catalogue generate failed (${code}): ${stderr}`));
        else resolve({ ms, stderr, cpu: cpuOf(stderr), gitCpu: childCpuOf(stderr) });
      });
    });
  const args = [
    '--cache',
    path.join(work, 'cache'),
    '--out',
    path.join(work, 'recipes.json'),
    ...(process.env.GIT_CONCURRENCY ? ['--git-concurrency', process.env.GIT_CONCURRENCY] : []),
  ];

  proxy.clear();
  const cold = await galley(args);
  const coldCounts = proxy.counts();
  proxy.clear();
  // The first warm run also records what the next ones compare against; then warm runs and ls-remote alternate.
  await galley(args);
  const warmCounts = proxy.counts();
  const warmTimes = [];
  const warmCpu = [];
  const lsTimes = [];
  for (let i = 0; i < RUNS; i++) {
    const warm = await galley(args);
    warmTimes.push(warm.ms);
    warmCpu.push(warm.cpu);
    lsTimes.push(await lsRemoteAll());
  }
  // The forge source: its first run records the forge's push times, then warm runs.
  const forgeArgs = [...args, '--config', path.join(work, 'galley-forge.yml')];
  await galley(forgeArgs);
  proxy.clear();
  const forgeTimes = [];
  const forgeCpu = [];
  for (let i = 0; i < RUNS; i++) {
    const warm = await galley(forgeArgs);
    forgeTimes.push(warm.ms);
    forgeCpu.push(warm.cpu);
  }
  const forgeCounts = proxy.counts();

  const ratio = (a, b) => (a / b).toFixed(2);
  const coldRequests = coldCounts.tags + coldCounts.digest;
  const minTotal = minimum.tags + minimum.digest;
  console.log(`cold run (empty cache)        ${(cold.ms / 1000).toFixed(2)} s   ${ratio(cold.ms, LIMITS.coldMs)} of the 10 s goal`);
  console.log(
    `warm run, list source         ${(median(warmTimes) / 1000).toFixed(2)} s   ${ratio(median(warmTimes), median(lsTimes))}× git ls-remote of every repository (${(median(lsTimes) / 1000).toFixed(2)} s; goal ≤ ${LIMITS.warmVsLsRemote}×)`,
  );
  console.log(`  galley ${spread(warmTimes)}; ls-remote ${spread(lsTimes)}`);
  console.log(
    `warm run, forge source        ${(median(forgeTimes) / 1000).toFixed(2)} s   ${ratio(median(forgeTimes), LIMITS.warmForgeMs)} of the 1 s goal (${spread(forgeTimes)}; forge requests ${forge.requests.length} in all)`,
  );
  const ms = (v) => `${Math.round(v)} ms`;
  console.log(
    `CPU (user + system)           cold: galley ${ms(cold.cpu)}, the git it ran ${ms(cold.gitCpu)}; warm list source: galley ${ms(median(warmCpu))}; warm forge source: galley ${ms(median(forgeCpu))} (medians)`,
  );
  console.log(
    `cold registry requests        ${coldCounts.total} (tag lists ${coldCounts.tags}, digests ${coldCounts.digest}, other ${coldCounts.total - coldRequests}) over ${coldCounts.connections} connections`,
  );
  console.log(`minimum                       ${minTotal} (tag lists ${minimum.tags}, digests ${minimum.digest})   ratio ${ratio(coldCounts.total, minTotal)}`);
  console.log(`warm registry requests        ${warmCounts.total} (list source), ${forgeCounts.total} (forge source)   (minimum 0)`);
  console.log(
    `through the test registry proxy in pass-through mode; git over git:// from git daemon; ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  await rm(work, { recursive: true, force: true });
}
