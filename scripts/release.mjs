// `npm run release [-- --tag]`: the one release command.
//   1. checks: a clean work tree, a CHANGELOG.md section for the version
//      (packages/cli/package.json, the one place it lives), no tag for it yet;
//   2. npm run build (the package in dist/galley/);
//   3. npm pack → out/release/galley-<version>.tgz and its .sha256;
//   4. the installed-package tests (test/install/) on that very tarball;
//   5. with --tag: the release tag v<version> on a commit whose tree is the
//      package (scripts/release-tree.mjs), parent the source commit.
// It pushes and publishes nothing: it prints what to do next.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { tag: { type: 'boolean', default: false }, 'allow-dirty': { type: 'boolean', default: false } } });
const { version } = JSON.parse(readFileSync(path.join(root, 'packages/cli/package.json'), 'utf8'));
const tag = `v${version}`;
const out = path.join(root, 'out', 'release');

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(2);
}
function sh(command, args, options = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  execFileSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

if (values.tag && values['allow-dirty']) fail('--tag releases committed sources only: drop --allow-dirty');
if (!values['allow-dirty'] && git('status', '--porcelain')) fail('the work tree has uncommitted changes: commit them first (or --allow-dirty for a trial run)');
const changelog = readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
const section = new RegExp(`^## ${version.replace(/\./g, '\\.')}\\b[^\\n]*\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(changelog);
if (!section) fail(`CHANGELOG.md has no "## ${version}" section: describe the release there first`);
if (git('tag', '--list', tag)) fail(`the tag ${tag} exists already: set the next version in packages/cli/package.json`);

sh('npm', ['run', 'build']);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
sh('npm', ['pack', path.join(root, 'dist', 'galley'), '--pack-destination', out]);
const tarball = path.join(out, `galley-${version}.tgz`);
const sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');
writeFileSync(`${tarball}.sha256`, `${sha256}  galley-${version}.tgz\n`);
sh('npm', ['test', '--', 'test/install', '--selectProjects', 'integration'], { env: { ...process.env, GALLEY_TARBALL: tarball } });

if (values.tag) {
  const message = `galley ${version}\n\n${section[1].trim()}\n`;
  sh(process.execPath, [path.join(root, 'scripts/release-tree.mjs'), tarball, '--tag', tag, '--parent', 'HEAD', '--message', message]);
}
console.log(`
release: ${path.relative(root, tarball)} (sha256 ${sha256}) passed the installed-package tests.
Next:${values.tag ? '' : `\n  npm run release -- --tag           # make the release tag ${tag}`}
  git push origin ${tag}
  attach ${path.relative(root, tarball)} and its .sha256 to the ${tag} release on the forge
  push ${tag} to the GitHub mirror (for \`uses: coop-cloud/galley@${tag}\`)
  npm publish ${path.relative(root, tarball)}   # only if galley goes to the npm registry
`);
