// Turns each example recipe (examples/recipes/<name>) into a git repository
// with its release history from examples/releases.json: one commit per
// release, tagged (annotated unless the history says otherwise) with fixed
// dates, so the demo catalogue is identical on every machine.
// Usage: node scripts/demo-repos.mjs <out-dir>   → prints a list file of repo paths
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = path.resolve(process.argv[2] ?? path.join(root, '.galley-demo/repos'));
const history = JSON.parse(readFileSync(path.join(root, 'examples/releases.json'), 'utf8'));
const identity = {
  GIT_AUTHOR_NAME: 'Galley Examples',
  GIT_AUTHOR_EMAIL: 'examples@galley.invalid',
  GIT_COMMITTER_NAME: 'Galley Examples',
  GIT_COMMITTER_EMAIL: 'examples@galley.invalid',
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const repos = [];
for (const [name, releases] of Object.entries(history)) {
  if (name.startsWith('$')) continue;
  const source = path.join(root, 'examples/recipes', name);
  const repo = path.join(out, name);
  const git = (args, env = {}) => execFileSync('git', args, { cwd: repo, env: { ...process.env, ...identity, ...env }, stdio: 'pipe' });
  mkdirSync(repo, { recursive: true });
  git(['init', '--quiet', '--initial-branch=main']);
  for (const release of releases) {
    // Start each release from the current example, then step back in time.
    for (const entry of execFileSync('git', ['ls-files'], { cwd: repo, encoding: 'utf8' }).split('\n').filter(Boolean)) {
      rmSync(path.join(repo, entry), { force: true });
    }
    cpSync(source, repo, { recursive: true });
    for (const [file, pairs] of Object.entries(release.replace ?? {})) {
      let text = readFileSync(path.join(repo, file), 'utf8');
      for (const [from, to] of pairs) {
        if (!text.includes(from)) throw new Error(`examples/releases.json: ${name} ${release.version}: "${from}" is not in ${file}`);
        text = text.replace(from, to);
      }
      writeFileSync(path.join(repo, file), text);
    }
    for (const file of release.remove ?? []) rmSync(path.join(repo, file), { force: true });
    const dates = { GIT_AUTHOR_DATE: release.date, GIT_COMMITTER_DATE: release.date };
    git(['add', '--all']);
    git(['commit', '--quiet', '--allow-empty', '-m', `chore: release ${release.version}`], dates);
    if (release.annotated) git(['tag', '-a', release.version, '-m', `chore: publish ${release.version} release`], dates);
    else git(['tag', release.version]);
  }
  repos.push(repo);
}
const list = path.join(out, 'repos.txt');
writeFileSync(list, `${repos.map((r) => `file://${r}`).join('\n')}\n`);
console.log(list);
