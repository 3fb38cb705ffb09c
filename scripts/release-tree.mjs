// Makes a release commit whose tree is exactly the galley package (the
// contents of the tarball `npm pack` made), and an annotated tag on it:
//
//   node scripts/release-tree.mjs <tarball> --tag v0.1.0 [--repo DIR] [--parent REV] [--message TEXT]
//
// That tag is what CI uses without building anything: the GitHub action
// (`uses: …/galley@v0.1.0`: action.yml sits at the package's root) and the
// pre-commit hooks (`rev: v0.1.0`: pre-commit packs and installs the root,
// which is the bundled package, with no dependencies to fetch). The work tree
// is not touched: the tree is written through a temporary index. Prints the
// commit id. scripts/release.mjs calls it; the CI tests call it too.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tag: { type: 'string' }, repo: { type: 'string', default: '.' }, parent: { type: 'string' }, message: { type: 'string' } },
});
const [tarball] = positionals;
if (!tarball || !values.tag) {
  console.error('usage: node scripts/release-tree.mjs <tarball> --tag vX.Y.Z [--repo DIR] [--parent REV] [--message TEXT]');
  process.exit(2);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'galley-release-tree-'));
try {
  execFileSync('tar', ['-xzf', path.resolve(tarball), '-C', tmp]);
  const tree = path.join(tmp, 'package');
  const gitDir = execFileSync('git', ['-C', values.repo, 'rev-parse', '--absolute-git-dir'], { encoding: 'utf8' }).trim();
  const git = (args, input) =>
    execFileSync('git', ['--git-dir', gitDir, '--work-tree', tree, '-C', tree, ...args], {
      encoding: 'utf8',
      input,
      env: { ...process.env, GIT_INDEX_FILE: path.join(tmp, 'index') },
      stdio: ['pipe', 'pipe', 'inherit'],
    }).trim();
  git(['add', '--all', '--force', '.']);
  const treeId = git(['write-tree']);
  const message = values.message ?? `galley ${values.tag}`;
  const commit = git(['commit-tree', treeId, ...(values.parent ? ['-p', values.parent] : []), '-F', '-'], `${message}\n`);
  git(['tag', '--annotate', values.tag, commit, '-F', '-'], `${message}\n`);
  console.log(commit);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
