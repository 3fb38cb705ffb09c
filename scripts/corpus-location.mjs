// Where ../shared/corpus is: GALLEY_CORPUS, else beside the repository. In a
// git worktree (…/wt/NAME) "beside" means beside the main checkout, which
// `git rev-parse --git-common-dir` names; without this a benchmark run in a
// worktree would quietly measure the example recipes only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function corpusLocation(root) {
  if (process.env.GALLEY_CORPUS) return path.resolve(root, process.env.GALLEY_CORPUS);
  const beside = path.resolve(root, '../shared/corpus');
  if (existsSync(beside)) return beside;
  const common = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: root, encoding: 'utf8' });
  const main = common.status === 0 ? path.dirname(common.stdout.trim()) : undefined;
  const besideMain = main ? path.resolve(main, '../shared/corpus') : undefined;
  return besideMain && existsSync(besideMain) ? besideMain : beside;
}
