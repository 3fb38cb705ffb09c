// `npm run corpus`: runs galley over every recipe (and every version folder)
// and every compose file of ../shared/corpus, and reports how many load
// cleanly, listing each failure with its reason, then lints them with their
// default presets and lists every error in full, to be judged by hand.
// `npm run corpus -- <folder or file>…` does the same for those only (a
// folder: each YAML file in it, or each recipe under recipes/). Uses the
// built CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { corpusLocation } from './corpus-location.mjs';

const root = new URL('..', import.meta.url).pathname;
const given = process.argv.slice(2).map((p) => path.resolve(p));
// Paths are shown relative to the corpus (or to the first folder given).
const corpus = given.length ? path.dirname(given[0]) : corpusLocation(root);
const galley = path.join(root, 'dist/galley/bin/galley.js');
if (!existsSync(galley)) {
  console.error('corpus: build first (npm run build)');
  process.exit(2);
}
if (!existsSync(corpus)) {
  console.error(`corpus: ${corpus} does not exist (set GALLEY_CORPUS to its path)`);
  process.exit(2);
}

const dirs = (p) =>
  existsSync(p)
    ? readdirSync(p)
        .filter((n) => statSync(path.join(p, n)).isDirectory())
        .sort()
    : [];
const targets = [];
for (const p of given) {
  if (!existsSync(p)) {
    console.error(`corpus: ${p} does not exist`);
    process.exit(2);
  }
  if (statSync(p).isFile()) targets.push(p);
  else if (dirs(p).length && !readdirSync(p).some((f) => /\.ya?ml$/.test(f))) for (const name of dirs(p)) targets.push(path.join(p, name));
  else for (const f of readdirSync(p).sort()) if (/\.ya?ml$/.test(f)) targets.push(path.join(p, f));
}
for (const name of given.length ? [] : dirs(path.join(corpus, 'recipes'))) {
  const dir = path.join(corpus, 'recipes', name);
  targets.push(dir);
  for (const version of dirs(path.join(dir, 'versions'))) targets.push(path.join(dir, 'versions', version));
}
const composeDir = path.join(corpus, 'compose');
if (!given.length && existsSync(composeDir)) for (const f of readdirSync(composeDir).sort()) targets.push(path.join(composeDir, f));

function run(args) {
  return spawnSync(process.execPath, [galley, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

console.log(`galley recipe inspect over ${targets.length} recipes, versions and compose files in ${corpus}\n`);
const failures = [];
const notes = new Map();
for (const target of targets) {
  const result = run(['recipe', 'inspect', '--json', target]);
  const rel = path.relative(corpus, target);
  if (result.status !== 0) {
    failures.push({ rel, status: result.status, reason: (result.stderr || result.stdout).trim() });
    continue;
  }
  const description = JSON.parse(result.stdout);
  for (const d of description.diagnostics) {
    const list = notes.get(d.code) ?? [];
    list.push(`${rel}: ${d.location ?? ''} ${d.message}`);
    notes.set(d.code, list);
  }
}
console.log(`inspect: ${targets.length - failures.length}/${targets.length} load cleanly, ${failures.length} fail`);
for (const [code, list] of [...notes].sort()) {
  console.log(`  ${list.length} × ${code} (warnings), e.g. ${list[0]}`);
}
for (const f of failures) console.log(`  FAIL (exit ${f.status}) ${f.rel}\n    ${f.reason.split('\n').join('\n    ')}`);

// ---- galley lint over the same targets --------------------------------------
// One `galley lint --format json` process over every recipe, version folder
// and compose file (targets run with their default presets); a crash or exit
// 2 is a failure of the check. Prints counts by rule, and one example each.
console.log(`\ngalley lint over the same ${targets.length} targets`);
const lintRun = run(['lint', '--format', 'json', ...targets]);
if (lintRun.status !== 0 && lintRun.status !== 1) {
  console.log(`  FAIL: galley lint exited ${lintRun.status}\n    ${(lintRun.stderr || lintRun.stdout).trim().split('\n').join('\n    ')}`);
  for (const target of targets) {
    const one = run(['lint', '--format', 'json', target]);
    if (one.status !== 0 && one.status !== 1) console.log(`  FAIL (exit ${one.status}) ${path.relative(corpus, target)}: ${one.stderr.trim()}`);
  }
  process.exitCode = 1;
} else {
  const report = JSON.parse(lintRun.stdout);
  const byRule = new Map();
  let crashes = 0;
  for (const t of report.targets) {
    crashes += t.crashes.length;
    for (const c of t.crashes) console.log(`  CRASH ${c.ruleId} on ${t.target}: ${c.message}`);
    for (const f of t.findings) {
      const entry = byRule.get(f.ruleId) ?? {
        count: 0,
        severity: new Map(),
        targets: new Set(),
        example: `${path.relative(corpus, path.resolve(f.path))}:${f.line}:${f.col} ${f.message}`,
      };
      entry.count++;
      entry.severity.set(f.severity, (entry.severity.get(f.severity) ?? 0) + 1);
      entry.targets.add(t.target);
      byRule.set(f.ruleId, entry);
    }
  }
  const s = report.summary;
  console.log(`lint: ${s.targets} targets, ${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos, ${s.suppressed} suppressed, ${crashes} rule crashes`);
  const errors = report.targets.flatMap((t) => t.findings.filter((f) => f.severity === 'error'));
  if (errors.length) {
    console.log(`\nevery error, to judge by hand (precision = true errors / ${errors.length}):`);
    for (const f of errors) console.log(`  ${path.relative(corpus, path.resolve(f.path))}:${f.line}:${f.col} ${f.message} [${f.ruleId}]`);
    console.log('');
  }
  for (const [rule, e] of [...byRule].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))) {
    const severities = [...e.severity].map(([k, v]) => `${v} ${k}`).join(', ');
    console.log(`  ${String(e.count).padStart(5)} ${rule} (${severities}; in ${e.targets.size} targets), e.g. ${e.example}`);
  }
  if (crashes) process.exitCode = 1;
}

// ---- galley recipe diff between consecutive versions ------------------------
// For each recipe with version folders: the folders in order (those named
// by a date, `commit-<sha>-<yyyy-mm-dd>`, by date first: they are the
// snapshots from before the recipe had releases; then release folders by
// recipe version), then the recipe's own folder (its current state). Each
// consecutive pair is diffed with the built CLI (`--json`); a failure (exit
// other than 0) is a failure of the check. Prints every change, breaking
// ones marked, and counts by kind.
const { compareRecipeVersions, isRecipeVersion } = await import('../packages/recipe/dist/index.js');
const dated = (name) => /-(\d{4}-\d{2}-\d{2})$/.exec(name)?.[1] ?? '';
const versionOrder = (a, b) => {
  const va = isRecipeVersion(a);
  const vb = isRecipeVersion(b);
  if (va !== vb) return va ? 1 : -1;
  return va ? compareRecipeVersions(a, b) : dated(a).localeCompare(dated(b)) || a.localeCompare(b);
};
const pairs = [];
for (const name of dirs(path.join(corpus, 'recipes'))) {
  const dir = path.join(corpus, 'recipes', name);
  const versions = dirs(path.join(dir, 'versions')).sort(versionOrder);
  if (!versions.length) continue;
  const chain = [...versions.map((v) => ({ label: v, dir: path.join(dir, 'versions', v) })), { label: '(current)', dir }];
  for (let i = 1; i < chain.length; i++) pairs.push({ recipe: name, dir, from: chain[i - 1], to: chain[i] });
}
console.log(`\ngalley recipe diff over ${pairs.length} pairs of consecutive versions`);
const kinds = new Map();
let diffFailures = 0;
for (const pair of pairs) {
  const result = run(['recipe', 'diff', pair.dir, pair.from.dir, pair.to.dir, '--json']);
  const title = `${pair.recipe}: ${pair.from.label} → ${pair.to.label}`;
  if (result.status !== 0) {
    diffFailures++;
    console.log(`  FAIL (exit ${result.status}) ${title}\n    ${(result.stderr || result.stdout).trim().split('\n').join('\n    ')}`);
    continue;
  }
  const diff = JSON.parse(result.stdout);
  const breaking = diff.changes.filter((c) => c.breaking).length;
  console.log(
    `  ${title}: ${diff.changes.length} changes, ${breaking} breaking${diff.level ? `, ${diff.level} bump` : ''}, ${diff.releaseNotes.length} release notes`,
  );
  for (const c of diff.changes) {
    kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
    const where = c.location ? `${c.location.file}:${c.location.line}${c.location.version === 'from' ? ' (older)' : ''}` : '';
    console.log(`    ${c.breaking ? 'BREAKING ' : ''}${where}  ${c.message}`);
  }
}
console.log(`diff: ${pairs.length - diffFailures}/${pairs.length} pairs compared, ${diffFailures} fail`);
for (const [kind, n] of [...kinds].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) console.log(`  ${String(n).padStart(5)} ${kind}`);
if (diffFailures) process.exitCode = 1;

// ---- big files are parsed in pieces ------------------------------------------
// Every YAML file of the corpus, parsed in pieces cut at every line where a
// cut is allowed, must give the whole parse's tree and diagnostics
// (packages/recipe/src/yaml/pieces.ts). Uses the built package.
const { parseYaml } = await import(path.join(root, 'packages/recipe/dist/index.js'));
const { isDeepStrictEqual } = await import('node:util');
const { readFileSync } = await import('node:fs');
const yamlFiles = [];
const walkYaml = (p) => {
  if (statSync(p).isFile()) {
    if (/\.ya?ml$/.test(p)) yamlFiles.push(p);
    return;
  }
  for (const name of readdirSync(p)) walkYaml(path.join(p, name));
};
for (const p of given.length ? given : [corpus]) walkYaml(p);
let pieceDiffs = 0;
for (const file of yamlFiles) {
  const text = readFileSync(file, 'utf8');
  const whole = parseYaml(text, file, { pieceBytes: Number.MAX_SAFE_INTEGER });
  const pieces = parseYaml(text, file, { pieceBytes: 1 });
  if (isDeepStrictEqual(whole.root, pieces.root) && isDeepStrictEqual(whole.diagnostics, pieces.diagnostics)) continue;
  pieceDiffs++;
  console.log(`  DIFFERS in pieces: ${path.relative(corpus, file)}`);
}
console.log(`\npieces: ${yamlFiles.length - pieceDiffs}/${yamlFiles.length} YAML files give the same tree and diagnostics parsed in pieces`);
if (pieceDiffs) process.exitCode = 1;
