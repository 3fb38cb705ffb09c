// Child processes and temp dirs that never outlive the test run.
//
// Every service a helper starts runs in its own process group (spawn with
// `detached: true`), so stop() can kill it together with anything it forked
// (git daemon forks one child per connection). Temp dirs are made under
// os.tmpdir() with a `galley-` prefix.
//
// Safety net when a test run dies before its afterAll (crash, timeout, Ctrl-C,
// a killed jest worker): a tiny detached `sh` reaper watches this node
// process and, once it is gone, kills the registered process groups and
// removes the registered temp dirs. It reads what to clean from a state file
// that is rewritten on every change, and exits by itself (within a second) as
// soon as nothing is registered. An 'exit' hook does the same synchronously
// where the real `process` is reachable (outside jest's sandboxed `process`).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const groups = new Set<number>();
const dirs = new Set<string>();
const stateFile = join(tmpdir(), `galley-reaper-${process.pid}-${randomBytes(4).toString('hex')}.state`);
let reaper: ChildProcess | undefined;
let exitHookInstalled = false;

const REAPER_SCRIPT = `
parent=$1; state=$2
while kill -0 "$parent" 2>/dev/null && [ -f "$state" ]; do sleep 1; done
[ -f "$state" ] || exit 0
while read -r kind value; do
  [ "$kind" = pg ] && kill -TERM "-$value" 2>/dev/null
done < "$state"
sleep 1
while read -r kind value; do
  case "$kind" in
    pg) kill -KILL "-$value" 2>/dev/null ;;
    dir) rm -rf -- "$value" ;;
  esac
done < "$state"
rm -f -- "$state"
`;

function syncState(): void {
  if (groups.size === 0 && dirs.size === 0) {
    rmSync(stateFile, { force: true });
    return;
  }
  const lines = [...[...groups].map((g) => `pg ${g}`), ...[...dirs].map((d) => `dir ${d}`)];
  const tmp = `${stateFile}.tmp`;
  writeFileSync(tmp, `${lines.join('\n')}\n`);
  renameSync(tmp, stateFile);
  ensureReaper();
  ensureExitHook();
}

function ensureReaper(): void {
  if (reaper) return;
  const child = spawn('sh', ['-c', REAPER_SCRIPT, 'galley-reaper', String(process.pid), stateFile], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  reaper = child;
  child.on('exit', () => {
    reaper = undefined;
    // It saw an empty state just before something new was registered.
    if (groups.size > 0 || dirs.size > 0) ensureReaper();
  });
  child.on('error', () => {
    reaper = undefined;
  });
}

function ensureExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const g of groups) killGroup(g, 'SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    rmSync(stateFile, { force: true });
  });
}

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/**
 * Makes `<parent>/galley-<label>-XXXXXX` (parent: os.tmpdir()), removed by
 * removeTempDir() or when the run ends.
 */
export async function makeTempDir(label: string, parent: string = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, `galley-${label}-`));
  dirs.add(dir);
  syncState();
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  dirs.delete(dir);
  syncState();
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How much of the combined stdout/stderr to keep for error messages (bytes). */
  keepOutput?: number;
}

export interface ManagedProcess {
  readonly pid: number;
  readonly command: string;
  /** Resolves when the process (the group leader) has exited. */
  readonly exited: Promise<ProcessExit>;
  /** undefined while running. */
  exitStatus(): ProcessExit | undefined;
  /** The last bytes of its stdout and stderr. */
  output(): string;
  /** SIGTERM to the whole group, SIGKILL after timeoutMs (default 5000); idempotent. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Starts a long-running process in its own process group, registered for cleanup. */
export function startProcess(command: string, args: readonly string[], options: StartProcessOptions = {}): ManagedProcess {
  const keep = options.keepOutput ?? 64 * 1024;
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const append = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    if (out.length > keep) out = out.slice(out.length - keep);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  let status: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      resolve(status);
    });
    child.once('error', (err) => {
      append(Buffer.from(`\n${command}: ${err.message}\n`));
      status = { code: 127, signal: null };
      resolve(status);
    });
  });

  const pid = child.pid;
  if (pid === undefined) {
    // spawn failed synchronously (ENOENT is reported through 'error')
    const failed: ManagedProcess = {
      pid: -1,
      command,
      exited,
      exitStatus: () => status,
      output: () => out,
      stop: async () => {
        await exited;
      },
    };
    return failed;
  }
  groups.add(pid);
  syncState();

  let stopping: Promise<void> | undefined;
  const stop = (timeoutMs = 5000): Promise<void> => {
    stopping ??= (async () => {
      if (status === undefined) {
        killGroup(pid, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        const result = await Promise.race([exited, timedOut]);
        clearTimeout(timer);
        if (result === 'timeout') {
          killGroup(pid, 'SIGKILL');
          await exited;
        }
      }
      // Whatever the leader forked and left behind in its group.
      killGroup(pid, 'SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
      groups.delete(pid);
      syncState();
    })();
    return stopping;
  };

  return { pid, command, exited, exitStatus: () => status, output: () => out, stop };
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Uint8Array;
  /** Kill the command (its whole group) after this long; default 120000. */
  timeoutMs?: number;
  /** Resolve with a non-zero code instead of rejecting. */
  allowFailure?: boolean;
}

export class CommandError extends Error {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  constructor(command: string, args: readonly string[], result: RunResult, note = '') {
    const shown = [command, ...args].join(' ');
    super(`${shown} exited ${result.code}${note}: ${result.stderr.trim() || result.stdout.trim()}`);
    this.name = 'CommandError';
    this.code = result.code;
    this.stdout = result.stdout;
    this.stderr = result.stderr;
  }
}

/** Runs a command to completion (own process group, killed on timeout) and returns its output. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    if (pid !== undefined) {
      groups.add(pid);
      syncState();
    }
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid, 'SIGKILL');
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      if (pid !== undefined) {
        groups.delete(pid);
        syncState();
      }
    };
    child.once('error', (err) => {
      finish();
      reject(new Error(`${command}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      finish();
      const result: RunResult = {
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        code: code ?? (signal ? 128 : 1),
      };
      if (timedOut) {
        reject(new CommandError(command, args, result, ` (killed after ${timeoutMs} ms)`));
      } else if (result.code !== 0 && !options.allowFailure) {
        reject(new CommandError(command, args, result));
      } else {
        resolve(result);
      }
    });
    child.stdin.on('error', () => undefined); // EPIPE when the command does not read its input
    child.stdin.end(options.input ?? '');
  });
}
