import { GalleyError } from '../errors.js';
import { describeEnd, type ExecResult, exec, ok, runAttached, SpawnError } from '../exec/process.js';
import { classifyDockerText, cleanStderr, firstLine } from './errors.js';

/**
 * The docker CLI, for what the Engine API alone does not do well:
 * `docker stack deploy` (compose parsing and stack semantics), `docker
 * context inspect`, and interactive `docker exec`. Every run goes through
 * @galley/platform/exec (own process group, exit code and signal checked,
 * timeouts kill the group). Values that must stay secret travel on stdin
 * only: never in arguments, the environment, or a message built here.
 */

export interface DockerRunOptions {
  /** Written to stdin (a compose file). Never logged. */
  input?: string;
  cwd?: string;
  /** Default 120 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DockerCliOptions {
  /** The docker binary (default `$GALLEY_DOCKER`, else `docker` on PATH). */
  binary?: string;
  /** The environment of every docker child (it carries DOCKER_CONTEXT / DOCKER_HOST). */
  env: NodeJS.ProcessEnv;
  /** For messages: the engine these commands reach. */
  describe: string;
}

export class DockerCli {
  readonly binary: string;
  readonly env: NodeJS.ProcessEnv;
  readonly describe: string;
  /** docker processes started. */
  processes = 0;

  constructor(options: DockerCliOptions) {
    this.binary = options.binary ?? process.env.GALLEY_DOCKER ?? 'docker';
    this.env = options.env;
    this.describe = options.describe;
  }

  /** Runs `docker <args>` and resolves with how it ended (non-zero is no rejection). */
  async run(args: readonly string[], options: DockerRunOptions = {}): Promise<ExecResult> {
    this.processes++;
    try {
      return await exec(this.binary, args, {
        env: this.env,
        timeoutMs: options.timeoutMs ?? 120_000,
        ...(options.input !== undefined ? { input: options.input } : {}),
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw this.spawnFailure(error);
    }
  }

  /** Runs `docker <args>`; anything but exit 0 becomes a GalleyError with docker's own words. */
  async output(args: readonly string[], options: DockerRunOptions = {}): Promise<string> {
    const result = await this.run(args, options);
    if (!ok(result)) throw this.failure(args, result, options.timeoutMs);
    return result.stdout;
  }

  /** `docker <args>` on the terminal (stdin, stdout, stderr inherited, in the foreground): `galley run`. */
  async attached(args: readonly string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.processes++;
    try {
      return await runAttached(this.binary, args, { env: this.env });
    } catch (error) {
      throw this.spawnFailure(error);
    }
  }

  /** A failed run as an error a person can act on. */
  failure(args: readonly string[], result: ExecResult, timeoutMs?: number): GalleyError {
    const what = args.slice(0, 3).join(' ');
    if (result.timedOut) {
      return new GalleyError(
        'docker-timeout',
        `docker ${what} did not finish within ${Math.round((timeoutMs ?? 120_000) / 1000)} s (engine: ${this.describe})`,
        {
          exitCode: 1,
        },
      );
    }
    if (result.aborted) return new GalleyError('interrupted', `interrupted while docker ${what} ran`, { exitCode: 130 });
    const text = cleanStderr(result.stderr) || result.stdout.trim() || describeEnd(result, timeoutMs);
    const classified = classifyDockerText(text, this.describe);
    if (classified) return classified;
    const end = result.signal ? ` (${describeEnd(result)})` : '';
    return new GalleyError('docker-failed', `docker ${what} failed${end}: ${text}`, { exitCode: 1 });
  }

  private spawnFailure(error: unknown): GalleyError {
    if (error instanceof SpawnError && error.errno === 'ENOENT') {
      return new GalleyError(
        'docker-missing',
        `the docker CLI (${this.binary}) is not installed or not on PATH: install it (apt-get install docker.io, or Docker's docker-ce-cli) and try again`,
      );
    }
    return new GalleyError('docker-failed', `cannot run ${this.binary}: ${error instanceof Error ? firstLine(error.message) : String(error)}`, {
      exitCode: 4,
    });
  }
}
