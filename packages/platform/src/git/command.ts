import { GalleyError } from '../errors.js';
import { describeEnd, type ExecResult, exec, ok, SpawnError } from '../exec/process.js';

/** The environment every git process runs with: no prompts, stable messages, ssh never asks. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_TERMINAL_PROMPT: '0',
  GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
  LC_ALL: 'C',
};

export interface GitOptions {
  cwd?: string;
  gitDir?: string;
  input?: string;
  /** Kill git after this long (default: no limit). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** `-c key=value` settings for this call. */
  config?: readonly string[];
  /** Error code for a failure (default `git-failed`). */
  errorCode?: 'git-failed' | 'git-fetch-failed' | 'git-clone-failed';
  /** Exit code of that error (default 2). */
  exitCode?: 2 | 3 | 4;
  /** What the call does, for messages (default: `git <first argument>`). */
  what?: string;
}

/** git's own explanation from its stderr: the `fatal:`/`error:` line, without hints. */
export function gitReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^hint:/.test(l));
  return (lines.find((l) => /^fatal:|^error:/.test(l)) ?? lines[0] ?? '').replace(/^(?:fatal|error):\s*/, '');
}

/** The args of a git call: `--git-dir` and `-c` settings first. */
function fullArgs(args: readonly string[], options: GitOptions): string[] {
  return [...(options.config ?? []).flatMap((c) => ['-c', c]), ...(options.gitDir ? ['--git-dir', options.gitDir] : []), ...args];
}

function missingGit(): GalleyError {
  return new GalleyError('git-missing', 'git is not installed: install it (apt-get install git) and try again', { exitCode: 4 });
}

/** Runs git and resolves with how it ended (exit code, signal, output); rejects only when git is not installed. */
export async function gitRun(args: readonly string[], options: GitOptions = {}): Promise<ExecResult> {
  try {
    return await exec('git', fullArgs(args, options), {
      env: GIT_ENV,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.input !== undefined ? { input: options.input } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof SpawnError && error.errno === 'ENOENT') throw missingGit();
    throw error;
  }
}

/** The GalleyError for a git call that did not succeed: what it did, where, how it ended, git's own reason. */
export function gitFailure(args: readonly string[], result: ExecResult, options: GitOptions = {}): GalleyError {
  const where = options.gitDir ?? options.cwd ?? '';
  const how = describeEnd(result, options.timeoutMs);
  const reason = gitReason(result.stderr);
  const what = options.what ?? `git ${args[0] ?? ''}`;
  const advice = result.signal || result.timedOut ? ' (the operation did not complete; run again)' : '';
  return new GalleyError(
    options.errorCode ?? 'git-failed',
    `${what} failed${where ? ` in ${where}` : ''}: ${reason ? `${reason} (${how})` : how}${advice}`,
    options.exitCode ? { exitCode: options.exitCode } : {},
  );
}

/**
 * Runs git and returns stdout. Success means exit code 0: a non-zero code or
 * death by a signal rejects with a GalleyError naming the repository, even
 * when git printed nothing.
 */
export async function git(args: readonly string[], options: GitOptions = {}): Promise<string> {
  const result = await gitRun(args, options);
  if (!ok(result)) throw gitFailure(args, result, options);
  return result.stdout;
}
