import { execFile } from 'node:child_process';
import { GalleyError } from '@galley/platform';

/** The environment every git process runs with: no prompts, stable messages. */
export const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };

/** Runs git and returns stdout; failures become GalleyErrors naming the repository. */
export function git(args: string[], options: { cwd?: string; gitDir?: string; input?: string } = {}): Promise<string> {
  const full = options.gitDir ? ['--git-dir', options.gitDir, ...args] : args;
  return new Promise((resolve, reject) => {
    const child = execFile('git', full, { cwd: options.cwd, env: GIT_ENV, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(new GalleyError('git-missing', 'git is not installed: install it (apt-get install git) and try again'));
          return;
        }
        const where = options.gitDir ?? options.cwd ?? '';
        reject(new GalleyError('git-failed', `git ${args[0]} failed${where ? ` in ${where}` : ''}: ${stderr.trim() || error.message}`));
        return;
      }
      resolve(stdout);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
