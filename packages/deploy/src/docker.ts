import { spawn } from 'node:child_process';
import { GalleyError } from '@galley/platform';

/**
 * The docker CLI as galley uses it: every swarm operation is a `docker`
 * child process, so docker contexts and `DOCKER_HOST=ssh://…` reach remote
 * swarms exactly as they do for the operator's own commands.
 *
 * Values that must stay secret travel on stdin (`input`) only: never in
 * arguments, the environment of the child, or any message this module builds.
 */

export interface DockerRunOptions {
  /** Written to the child's stdin (a compose file, a secret value). Never logged. */
  input?: string;
  cwd?: string;
  /** Default 120 s; the child is killed after it. */
  timeoutMs?: number;
}

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DockerCliOptions {
  /** The docker binary (default `docker` on PATH, or `GALLEY_DOCKER`). */
  binary?: string;
  /** Environment of the docker processes (default: galley's own). */
  env?: NodeJS.ProcessEnv;
}

const UNREACHABLE =
  /Cannot connect to the Docker daemon|error during connect|connection refused|no such host|ssh: |dial unix|context deadline exceeded|Is the docker daemon running/i;
const NOT_A_MANAGER = /This node is not a swarm manager|not part of a swarm|swarm is not initialized/i;

export class DockerCli {
  readonly binary: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: DockerCliOptions = {}) {
    this.binary = options.binary ?? process.env.GALLEY_DOCKER ?? 'docker';
    this.env = options.env ?? process.env;
  }

  /** Where the docker CLI points: `DOCKER_HOST`, the `DOCKER_CONTEXT`, or the local engine. */
  target(): string {
    if (this.env.DOCKER_HOST) return this.env.DOCKER_HOST;
    if (this.env.DOCKER_CONTEXT) return `docker context ${this.env.DOCKER_CONTEXT}`;
    return 'the docker engine of the current docker context';
  }

  /** Runs `docker <args>` and resolves with its exit code and output (it never rejects for a non-zero exit). */
  run(args: readonly string[], options: DockerRunOptions = {}): Promise<DockerResult> {
    return new Promise((resolve, reject) => {
      // Its own process group: a Ctrl-C at the terminal reaches galley (which stops
      // cleanly), not a docker command halfway through a change.
      const child = spawn(this.binary, args, { cwd: options.cwd, env: this.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const timeoutMs = options.timeoutMs ?? 120_000;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (error.code === 'ENOENT') {
          reject(
            new GalleyError(
              'docker-missing',
              `the docker CLI (${this.binary}) is not installed or not on PATH: install it (apt-get install docker.io, or Docker's docker-ce-cli) and try again`,
            ),
          );
        } else reject(new GalleyError('docker-failed', `cannot run ${this.binary}: ${error.message}`, { exitCode: 4 }));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (timedOut) {
          reject(
            new GalleyError('docker-timeout', `docker ${describe(args)} did not finish within ${Math.round(timeoutMs / 1000)} s (engine: ${this.target()})`),
          );
          return;
        }
        resolve({ code: code ?? 1, stdout, stderr });
      });
      // A child that exits before reading stdin must not crash galley with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  }

  /** Runs `docker <args>`; a non-zero exit becomes a GalleyError with docker's own message. */
  async exec(args: readonly string[], options: DockerRunOptions = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw this.failure(args, result);
    return result.stdout;
  }

  /** `docker … --format '{{json .}}'` output: one JSON object a line. */
  async jsonLines<T>(args: readonly string[], options: DockerRunOptions = {}): Promise<T[]> {
    const out = await this.exec(args, options);
    return out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as T);
  }

  /** `docker … inspect` output: a JSON array. */
  async jsonArray<T>(args: readonly string[], options: DockerRunOptions = {}): Promise<T[]> {
    const out = await this.exec(args, options);
    return out.trim() ? (JSON.parse(out) as T[]) : [];
  }

  /** Turns a failed docker run into an error a person can act on. */
  failure(args: readonly string[], result: DockerResult): GalleyError {
    const text = cleanStderr(result.stderr) || result.stdout.trim() || `exit code ${result.code}`;
    if (UNREACHABLE.test(text)) {
      return new GalleyError(
        'docker-unreachable',
        `cannot reach the docker engine (${this.target()}): ${firstLine(text)}. Start dockerd, or check DOCKER_HOST / \`docker context ls\` and the ssh connection to the swarm manager.`,
      );
    }
    if (NOT_A_MANAGER.test(text)) {
      return new GalleyError(
        'docker-not-swarm-manager',
        `the docker engine (${this.target()}) is not a swarm manager: ${firstLine(text)}. Point DOCKER_HOST or the docker context at a manager node, or run \`docker swarm init\` there.`,
      );
    }
    return new GalleyError('docker-failed', `docker ${describe(args)} failed: ${text}`, { exitCode: 1 });
  }
}

/** `service inspect forum_app` — the first words of a command, for messages (never its input). */
function describe(args: readonly string[]): string {
  const words: string[] = [];
  for (const a of args) {
    if (words.length >= 3) break;
    words.push(a);
  }
  return words.join(' ');
}

/** docker's stderr without the notices newer clients print on every run. */
export function cleanStderr(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !/^Since --detach=false was not specified|^In a future release, --detach=false|^WARNING: Error loading config file/.test(l))
    .join('\n')
    .trim();
}

function firstLine(text: string): string {
  return text
    .split('\n')[0]!
    .replace(/^(error|Error response from daemon):\s*/i, '')
    .trim();
}
