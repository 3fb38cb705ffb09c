import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { GalleyError } from '../errors.js';

/**
 * @galley/platform/exec — the one way galley starts a child process.
 *
 * - Every child runs in its own process group (`detached`), outside the
 *   terminal's foreground group: a Ctrl-C reaches galley, which stops
 *   cleanly and then ends its children, instead of killing a git or docker
 *   command halfway through a change.
 * - A child counts as successful only when it exited with code 0: a non-zero
 *   code or death by a signal (SIGKILL by the OOM killer, a timeout, …) is a
 *   failure, whatever it printed.
 * - Children still running when galley exits are killed with their group.
 * - Input travels on stdin and is never part of a message.
 */

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, then stdin is closed. */
  input?: string | Uint8Array;
  /** Kill the child (and its group) after this long. Default: no limit. */
  timeoutMs?: number;
  /** Kill the child when this aborts. */
  signal?: AbortSignal;
  /** Output beyond this many bytes (per stream) fails the run. Default 256 MiB. */
  maxOutputBytes?: number;
}

export interface ExecResult {
  /** The exit code, or null when a signal ended the child. */
  code: number | null;
  /** The signal that ended the child, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when galley killed it for running past `timeoutMs`. */
  timedOut: boolean;
  /** True when galley killed it because `signal` aborted. */
  aborted: boolean;
}

const live = new Set<ChildProcessWithoutNullStreams>();
let exitHookInstalled = false;

function killGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function track(child: ChildProcessWithoutNullStreams): void {
  live.add(child);
  child.once('close', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) killGroup(c);
    });
  }
}

/** Starts a long-lived child (a reader on stdin/stdout) in its own process group, ended with galley. */
export function startProcess(command: string, args: readonly string[], options: Pick<ExecOptions, 'cwd' | 'env'> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  track(child);
  child.stdin.on('error', () => undefined);
  return child;
}

/** How a finished child ended, for messages: `exit code 128`, `killed by SIGKILL`, `timed out after 30 s`. */
export function describeEnd(result: Pick<ExecResult, 'code' | 'signal' | 'timedOut' | 'aborted'>, timeoutMs?: number): string {
  if (result.timedOut) return `timed out after ${Math.round((timeoutMs ?? 0) / 1000)} s`;
  if (result.aborted) return 'interrupted';
  if (result.signal) return `killed by ${result.signal}`;
  return `exit code ${result.code}`;
}

/** The process could not be started at all (not installed, not executable). */
export class SpawnError extends Error {
  override name = 'SpawnError';
  constructor(
    readonly command: string,
    readonly errno: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs a command to the end and resolves with how it ended; it rejects only
 * when the command cannot be started (SpawnError). Callers that need success
 * use `ok(result)` or `execChecked`.
 */
export function exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      resolve({ code: null, signal: null, stdout: '', stderr: '', timedOut: false, aborted: true });
      return;
    }
    const child = startProcess(command, args, options);
    const max = options.maxOutputBytes ?? 256 * 1024 * 1024;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let aborted = false;
    let overflow = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child);
          }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killGroup(child);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > max) {
        overflow = true;
        killGroup(child);
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      if (errBytes <= max) err.push(chunk);
    });
    let settled = false;
    const done = () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const first = !settled;
      settled = true;
      return first;
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only a failure to start matters here; errors of a running child end in 'close'.
      if (child.pid === undefined && done()) reject(new SpawnError(command, error.code, `cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (!done()) return;
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: overflow ? `${stderr}\n(galley stopped ${command}: its output passed ${max} bytes)`.trim() : stderr,
        timedOut,
        aborted,
      });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** True when the child exited with code 0 on its own. */
export function ok(result: ExecResult): boolean {
  return result.code === 0 && result.signal === null && !result.timedOut && !result.aborted;
}

/**
 * Runs a command and resolves with its stdout; any other end (non-zero
 * code, a signal, a timeout) rejects with a GalleyError built by `failure`.
 */
export async function execChecked(
  command: string,
  args: readonly string[],
  options: ExecOptions & { failure: (result: ExecResult, how: string) => GalleyError },
): Promise<string> {
  const result = await exec(command, args, options);
  if (!ok(result)) throw options.failure(result, describeEnd(result, options.timeoutMs));
  return result.stdout;
}

/** Whether a process of this id runs on this host (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Ends every child galley started (their whole groups): used by a Ctrl-C handler before exiting. */
export function killChildren(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of live) killGroup(child, signal);
}

/**
 * Runs a command on galley's own terminal: stdin, stdout and stderr
 * inherited, in galley's process group (the foreground one), so an
 * interactive program (`docker exec -it`) reads the keyboard and gets its
 * Ctrl-C. Resolves with how it ended; rejects (SpawnError) only when it
 * cannot be started.
 */
export function runAttached(
  command: string,
  args: readonly string[],
  options: Pick<ExecOptions, 'cwd' | 'env'> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'inherit' });
    // galley itself ignores Ctrl-C meanwhile: the program on the terminal decides what it means.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    const done = () => process.off('SIGINT', ignore);
    child.on('error', (error: NodeJS.ErrnoException) => {
      done();
      if (child.pid === undefined) reject(new SpawnError(command, error.code, `cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      done();
      resolve({ code, signal });
    });
  });
}
