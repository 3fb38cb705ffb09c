// Galley's main job on the built-in examples: every step runs the built CLI
// exactly as a user would, then the site is served and the demo says where
// to look. The catalogue asks a local registry seeded with a sample of the
// examples' upstream tags (scripts/demo-registry.mjs), so digests, upgrades
// and days behind upstream show; without Debian's docker-registry it runs
// offline and says so in one line.
//   node scripts/demo.mjs              the whole job, then serve the site
//   node scripts/demo.mjs --no-serve   stop after building the site
//   PORT=9000 node scripts/demo.mjs    serve on another port
//   GALLEY_DEMO_DIR=/tmp/x node scripts/demo.mjs   work somewhere else than .galley-demo/
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startDemoRegistry } from './demo-registry.mjs';

const root = new URL('..', import.meta.url).pathname;
const galley = path.join(root, 'dist/galley/bin/galley.js');
const work = path.resolve(process.env.GALLEY_DEMO_DIR ?? path.join(root, '.galley-demo'));
const site = path.join(work, 'site');
const recipes = readdirSync(path.join(root, 'examples/recipes')).sort();
const rel = (p) => path.relative(root, p);
const serve = !process.argv.includes('--no-serve');

/** Runs one step; `expect` lists the exit codes that are the step's normal outcome. */
function step(title, args, expect = [0]) {
  console.log(`\n── ${title}\n$ galley ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [galley, ...args], { cwd: root, stdio: 'inherit' });
  if (!expect.includes(result.status ?? -1)) {
    console.error(`\ndemo: "galley ${args[0]}" exited with ${result.status}; stopping.`);
    process.exit(result.status ?? 1);
  }
}

for (const name of recipes) step(`inspect ${name}`, ['recipe', 'inspect', `examples/recipes/${name}`]);

// The wiki example is full of mistakes on purpose: lint exits 1 there.
step('lint every example (the wiki example has mistakes on purpose)', ['lint', ...recipes.map((n) => `examples/recipes/${n}`)], [0, 1]);

console.log('\n── git repositories with release history for the examples\n$ node scripts/demo-repos.mjs');
const repos = spawnSync(process.execPath, [path.join(root, 'scripts/demo-repos.mjs'), path.join(work, 'repos')], { encoding: 'utf8' });
if (repos.status !== 0) {
  console.error(repos.stderr);
  process.exit(repos.status ?? 1);
}
const list = repos.stdout.trim();
console.log(`wrote ${rel(list)}`);

// Date the catalogue just after the sample of upstream tags the demo's registry holds
// (examples/upstream-tags.json), so the site's "recently released", "unmaintained" and
// "upstream checked" read the same on any day (and the demo is reproducible).
process.env.SOURCE_DATE_EPOCH ??= String(Date.parse('2025-07-15T12:00:00Z') / 1000);
const upstream = await startDemoRegistry(work);
const catalogueArgs = [
  'catalogue',
  'generate',
  '--source',
  `list:${rel(list)}`,
  '--cache',
  rel(path.join(work, 'cache')),
  '--readmes',
  rel(path.join(work, 'readmes')),
  '--out',
  rel(path.join(work, 'recipes.json')),
  '--changes',
  rel(path.join(work, 'changes.md')),
];
if (upstream.url) {
  // docker.io and ghcr.io are asked at the local registry instead (registry.hosts).
  const config = path.join(work, 'galley-catalogue.yml');
  writeFileSync(
    config,
    `# The demo's registries: a local one holding a sample of the examples' upstream tags.\nregistry:\n  imageDates: true\n  hosts:\n    docker.io: { url: ${upstream.url} }\n    ghcr.io: { url: ${upstream.url} }\n`,
  );
  step('catalogue, asking the local registry for digests and upstream tags', [...catalogueArgs, '--config', rel(config)], [0, 3]);
  await upstream.stop();
} else {
  console.log(`\ndemo: no local registry, ${upstream.notice}: the catalogue runs offline (no digests or upstream updates).`);
  step('catalogue, offline (no registry is asked)', [...catalogueArgs, '--offline']);
}

step('site', ['site', 'build', '--catalogue', rel(path.join(work, 'recipes.json')), '--readmes', rel(path.join(work, 'readmes')), '--out', rel(site)]);

console.log(`
Where to look:
  ${rel(path.join(work, 'recipes.json'))}   the catalogue (abra's recipes.json format, with galley's additions)
  ${rel(path.join(work, 'changes.md'))}     what the run changed (new recipes, releases, upstream versions)
  ${rel(site)}/index.html     the catalogue site (open it, or see it served below)
  docs/rules/                      a page per lint rule`);

if (serve) {
  console.log(`\n── serving the site (Ctrl-C to stop)\n$ galley site serve --dir ${rel(site)} --port ${process.env.PORT ?? 8080}`);
  const server = spawn(process.execPath, [galley, 'site', 'serve', '--dir', rel(site), '--port', process.env.PORT ?? '8080'], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
  server.on('exit', (code) => process.exit(code ?? 0));
}
