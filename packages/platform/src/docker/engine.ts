import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import { Duplex } from 'node:stream';
import { GalleyError } from '../errors.js';
import { startProcess } from '../exec/process.js';
import { classifyDockerText } from './errors.js';

/**
 * One long-lived connection to the Docker Engine API: `docker system
 * dial-stdio` (which honours docker contexts, `DOCKER_HOST`, TLS and
 * `ssh://`) started once, and HTTP/1.1 with keep-alive spoken over its
 * stdin/stdout. Every request of a run goes over that one connection, one
 * at a time; over ssh that is one SSH session instead of one per query.
 *
 * When the connection drops (the ssh session is cut, dial-stdio dies),
 * the next request opens a new one. Reads (GET) are retried on such
 * transient errors with a backoff, within `retryBudgetMs`; writes are not
 * (whether they happened is unknown), their caller decides.
 */

export interface EngineOptions {
  /** The docker CLI (default `docker`). */
  binary: string;
  /** The environment that selects the engine (DOCKER_CONTEXT / DOCKER_HOST). */
  env: NodeJS.ProcessEnv;
  /** For messages: which engine this is. */
  describe: string;
  /** How long reads keep retrying after a transient error (default 60 s). */
  retryBudgetMs?: number;
  /** Told about each retry (a person wants to know the connection dropped). */
  onRetry?: (message: string) => void;
  /** Per request (default 120 s). */
  timeoutMs?: number;
}

export interface EngineRequest {
  method?: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'HEAD';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Statuses that are answers, not errors (e.g. 404 for "is it there?"). */
  accept?: readonly number[];
  timeoutMs?: number;
  /** Retry on transient errors even though it is not a GET (the caller knows it is idempotent). */
  idempotent?: boolean;
}

export interface EngineResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** The highest Engine API version galley speaks; older engines are spoken to in their own version. */
export const MAX_API_VERSION = '1.45';
/** The oldest one it needs (Docker 20.10). */
export const MIN_API_VERSION = '1.41';

/** A Duplex over a child's stdout (read) and stdin (write), with the socket methods http.Agent calls. */
class ChildSocket extends Duplex {
  stderr = '';
  /** Ended by galley (close, dropConnection), not by the other side. */
  closedByUs = false;
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    super();
    child.stdout.on('data', (d: Buffer) => {
      if (!this.push(d)) child.stdout.pause();
    });
    child.stdout.on('end', () => this.push(null));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (this.stderr.length < 4096) this.stderr += d;
    });
    child.on('close', () => {
      // A connection that ends before a response: the reason is on dial-stdio's stderr.
      if (!this.destroyed) this.destroy(this.stderr.trim() ? new Error(this.stderr.trim()) : undefined);
    });
  }
  override _read(): void {
    this.child.stdout.resume();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.child.stdin.destroyed) callback(new Error(this.stderr.trim() || 'the connection to the docker engine is closed'));
    else this.child.stdin.write(chunk, callback);
  }
  override _final(callback: () => void): void {
    this.child.stdin.end();
    callback();
  }
  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) this.closedByUs = true;
    child.stdin.end();
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      // dial-stdio ends when its stdin closes; a hung ssh is killed with its group.
      const kill = (signal: NodeJS.Signals) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        try {
          process.kill(-child.pid!, signal);
        } catch {
          child.kill(signal);
        }
      };
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 1000).unref();
    }
    callback(error);
  }
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

const TRANSIENT_STATUS = new Set([502, 503, 504]);
const TRANSIENT_TEXT = /rpc error: code = (Unavailable|DeadlineExceeded)|context deadline exceeded|connection reset|broken pipe|i\/o timeout|leader|raft/i;

export class EngineConnection {
  private readonly agent: http.Agent;
  private version: string | undefined;
  private socket: ChildSocket | undefined;
  /** Connections opened (dial-stdio processes started). */
  connections = 0;
  /** Requests retried after a transient error. */
  retries = 0;
  requests = 0;
  private closed = false;
  /** Whether the engine ever answered: a first connection that fails is no transient error. */
  private answered = false;

  constructor(private readonly options: EngineOptions) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, keepAliveMsecs: 60_000 });
    // biome-ignore lint/suspicious/noExplicitAny: http.Agent's createConnection is typed for net sockets; any Duplex works.
    (this.agent as any).createConnection = () => this.open();
  }

  private open(): ChildSocket {
    if (this.closed) throw new GalleyError('docker-failed', 'the docker engine connection was closed');
    if (this.dropped !== undefined) {
      this.options.onRetry?.(
        `the connection to the docker engine (${this.options.describe}) dropped${this.dropped ? ` (${this.dropped})` : ''}; opened a new one`,
      );
      this.dropped = undefined;
    }
    this.connections++;
    const child = startProcess(this.options.binary, ['system', 'dial-stdio'], { env: this.options.env });
    const socket = new ChildSocket(child);
    child.on('error', (error: NodeJS.ErrnoException) => socket.destroy(error));
    // A connection that ends without galley closing it (an ssh session cut, the engine restarted).
    child.on('close', () => {
      if (!this.closed && this.socket === socket && !socket.closedByUs) this.dropped = socket.stderr.trim().split('\n')[0] ?? '';
    });
    this.socket = socket;
    return socket;
  }

  /** Why the last connection ended by itself, until a new one is opened. */
  private dropped: string | undefined;

  /** The API version both sides speak (asked once per connection object). */
  async apiVersion(): Promise<string> {
    if (this.version) return this.version;
    const response = await this.raw({ method: 'GET', path: '/_ping' });
    const server = String(response.headers['api-version'] ?? MIN_API_VERSION);
    this.version = compareVersions(server, MAX_API_VERSION) > 0 ? MAX_API_VERSION : server;
    if (compareVersions(this.version, MIN_API_VERSION) < 0) {
      throw new GalleyError(
        'docker-failed',
        `the docker engine (${this.options.describe}) speaks API ${server}; galley needs ${MIN_API_VERSION} (Docker 20.10) or newer`,
      );
    }
    return this.version;
  }

  /** A request under the negotiated version (`/v1.41/services`); JSON bodies both ways. */
  async request(request: EngineRequest): Promise<EngineResponse> {
    const version = await this.apiVersion();
    return this.raw({ ...request, path: `/v${version}${request.path}` });
  }

  async json<T>(request: EngineRequest): Promise<T> {
    const response = await this.request(request);
    const text = response.body.toString('utf8');
    return (text.trim() ? JSON.parse(text) : undefined) as T;
  }

  /** A streaming GET (logs): the response, read by the caller; it holds the connection until it ends. */
  async stream(request: EngineRequest, signal?: AbortSignal): Promise<http.IncomingMessage> {
    const version = await this.apiVersion();
    return new Promise((resolve, reject) => {
      const req = http.request(
        { agent: this.agent, host: 'docker', path: `/v${version}${withQuery(request.path, request.query)}`, method: request.method ?? 'GET', signal },
        (res) => {
          if ((res.statusCode ?? 500) >= 400) {
            const chunks: Buffer[] = [];
            res.on('data', (d: Buffer) => chunks.push(d));
            res.on('end', () => reject(this.statusError(request, res.statusCode ?? 500, Buffer.concat(chunks))));
            return;
          }
          resolve(res);
        },
      );
      req.on('error', (error) => reject(this.connectionError(error)));
      req.end();
    });
  }

  private async raw(request: EngineRequest): Promise<EngineResponse> {
    const retryable = (request.method ?? 'GET') === 'GET' || request.idempotent === true;
    const budget = this.options.retryBudgetMs ?? 60_000;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(request);
      } catch (error) {
        const transient = error instanceof TransientError && this.answered;
        const failure = error instanceof TransientError ? error.failure : (error as Error);
        if (!transient || !retryable || this.closed || Date.now() - started > budget) throw failure;
        this.retries++;
        const wait = Math.min(8000, 500 * 2 ** (attempt - 1));
        this.options.onRetry?.(`${failure.message.replace(/\.$/, '')}; retrying in ${(wait / 1000).toFixed(1)} s (attempt ${attempt + 1})`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private once(request: EngineRequest): Promise<EngineResponse> {
    this.requests++;
    const body = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          host: 'docker',
          path: withQuery(request.path, request.query),
          method: request.method ?? 'GET',
          headers: body ? { 'content-type': 'application/json', 'content-length': body.length } : {},
          timeout: request.timeoutMs ?? this.options.timeoutMs ?? 120_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('error', (error) => reject(new TransientError(this.connectionError(error))));
          res.on('end', () => {
            const status = res.statusCode ?? 500;
            const data = Buffer.concat(chunks);
            this.answered = true;
            if (status < 400 || request.accept?.includes(status)) {
              resolve({ status, headers: res.headers, body: data });
              return;
            }
            const error = this.statusError(request, status, data);
            reject(TRANSIENT_STATUS.has(status) || TRANSIENT_TEXT.test(error.message) ? new TransientError(error) : error);
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round((request.timeoutMs ?? this.options.timeoutMs ?? 120_000) / 1000)} s`)));
      req.on('error', (error) => {
        const failure = this.connectionError(error);
        // Nothing started (docker missing) is not transient; anything else on the wire is.
        reject(failure.code === 'docker-missing' ? failure : new TransientError(failure));
      });
      req.end(body);
    });
  }

  private statusError(request: EngineRequest, status: number, body: Buffer): GalleyError {
    let message = body.toString('utf8').trim();
    try {
      message = (JSON.parse(message) as { message?: string }).message ?? message;
    } catch {
      // plain text
    }
    const classified = classifyDockerText(message, this.options.describe);
    if (classified) return classified;
    const what = `${request.method ?? 'GET'} ${request.path.replace(/^\/v[\d.]+/, '')}`;
    return new GalleyError(
      status === 404 ? 'docker-not-found' : 'docker-failed',
      `the docker engine (${this.options.describe}) refused ${what}: ${message || `HTTP ${status}`}`,
      {
        exitCode: 1,
      },
    );
  }

  private connectionError(error: Error): GalleyError {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || /spawn .* ENOENT/.test(error.message)) {
      return new GalleyError(
        'docker-missing',
        `the docker CLI (${this.options.binary}) is not installed or not on PATH: install it (apt-get install docker.io, or Docker's docker-ce-cli) and try again`,
      );
    }
    const text = this.socket?.stderr.trim() || error.message;
    return (
      classifyDockerText(text, this.options.describe) ??
      new GalleyError('docker-unreachable', `lost the connection to the docker engine (${this.options.describe}): ${firstLine(text) || 'it closed'}`)
    );
  }

  /** Ends the connection (and its dial-stdio process). */
  close(): void {
    this.closed = true;
    this.agent.destroy();
    this.socket?.destroy();
  }

  /** Cuts the current connection (the next request opens a new one): for tests of reconnection. */
  dropConnection(): void {
    this.socket?.destroy();
  }
}

class TransientError extends Error {
  constructor(readonly failure: GalleyError) {
    super(failure.message);
  }
}

function withQuery(path: string, query: EngineRequest['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}
