// `npm run bench -- diff` (after `npm run build`): a cold `galley recipe diff`
// of two tags of an 18-file recipe against a cold `galley recipe inspect` of
// one of the tags, in the same run: the limit is 1.2×.
//
// The recipe is the corpus's bonfire (18 compose files at the root, 35
// files): its 2.0.0 and 2.0.1 version folders are committed and tagged
// (annotated) in a fresh repository; both commands read the tags from git
// without a checkout. The two commands run alternately, RUNS times each
// after two warm-ups (the file cache), each a new node process; medians of
// the wall time and of the CPU time (user + system, which a busy shared
// machine disturbs less). Writes bench/results/diff.md.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpusLocation } from '../scripts/corpus-location.mjs';
import { cpuTimer } from './cpu-time.mjs';

const root = new URL('..', import.meta.url).pathname;
const corpus = corpusLocation(root);
const galley = path.join(root, 'dist/galley/bin/galley.js');
const RUNS = Number(process.env.RUNS ?? 15);
const LIMIT = 1.2;

const versions = path.join(corpus, 'recipes/bonfire/versions');
const OLD = '2.0.0+1.0.5-social-amd64';
const NEW = '2.0.1+1.0.6-social-amd64';
if (!existsSync(path.join(versions, OLD)) || !existsSync(path.join(versions, NEW))) {
  console.error(`diff bench: ${versions} lacks ${OLD} or ${NEW} (set GALLEY_CORPUS)`);
  process.exit(2);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'galley-diff-bench-'));
const repo = path.join(tmp, 'bonfire');
mkdirSync(repo);
const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@galley.invalid',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@galley.invalid',
};
const git = (...args) => {
  const r = spawnSync('git', args, { cwd: repo, env: gitEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
};
git('init', '--quiet', '--initial-branch=main');
for (const version of [OLD, NEW]) {
  for (const entry of readdirSync(repo)) if (entry !== '.git') rmSync(path.join(repo, entry), { recursive: true, force: true });
  cpSync(path.join(versions, version), repo, { recursive: true });
  git('add', '--all');
  git('commit', '--quiet', '--message', `chore: publish ${version} release`);
  git('tag', '--annotate', '--message', `chore: publish ${version} release`, version);
}
const composeFiles = readdirSync(repo).filter((f) => /^compose.*\.ya?ml$/.test(f)).length;

const time = cpuTimer(tmp);
function timeRun(args) {
  const { ms, cpu, result } = time([galley, ...args], { cwd: tmp });
  if (result.status !== 0) throw new Error(`galley ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  return { ms, cpu, stdout: result.stdout };
}

const inspectArgs = ['recipe', 'inspect', `${repo}#${NEW}`];
const diffArgs = ['recipe', 'diff', repo, OLD, NEW];
const inspect = [];
const diff = [];
let lastDiff = '';
for (let i = 0; i < RUNS + 2; i++) {
  const a = timeRun(inspectArgs);
  const b = timeRun(diffArgs);
  lastDiff = b.stdout;
  if (i >= 2) {
    inspect.push(a);
    diff.push(b);
  }
}
rmSync(tmp, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
const wall = { inspect: median(inspect.map((r) => r.ms)), diff: median(diff.map((r) => r.ms)) };
const cpu = { inspect: median(inspect.map((r) => r.cpu)), diff: median(diff.map((r) => r.cpu)) };
const pairRatios = diff.map((d, i) => d.ms / inspect[i].ms);
const ratio = wall.diff / wall.inspect;
const cpuRatio = cpu.diff / cpu.inspect;

const lines = [
  `recipe: corpus bonfire, ${composeFiles} compose files at the root; tags ${OLD} and ${NEW}`,
  `diff found: ${lastDiff.split('\n')[1] ?? ''}`,
  '',
  '| command | wall (median) | wall (min–max) | CPU (median) |',
  '|---|---|---|---|',
  `| \`galley ${inspectArgs.join(' ').replace(repo, '<repo>')}\` | ${wall.inspect.toFixed(0)} ms | ${spread(inspect.map((r) => r.ms))} ms | ${cpu.inspect.toFixed(0)} ms |`,
  `| \`galley ${diffArgs.join(' ').replace(repo, '<repo>')}\` | ${wall.diff.toFixed(0)} ms | ${spread(diff.map((r) => r.ms))} ms | ${cpu.diff.toFixed(0)} ms |`,
  '',
  `diff / inspect: **${ratio.toFixed(2)}×** wall (pairwise ${Math.min(...pairRatios).toFixed(2)}–${Math.max(...pairRatios).toFixed(2)}), ${cpuRatio.toFixed(2)}× CPU; limit ${LIMIT}×: ${ratio <= LIMIT ? 'met' : 'NOT met'}`,
  `(${RUNS} runs of each, alternating, after 2 warm-ups; node ${process.version})`,
];
console.log(lines.join('\n'));
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/diff.md'), `# recipe diff, cold (latest run, ${new Date().toISOString().slice(0, 10)})\n\n${lines.join('\n')}\n`);
