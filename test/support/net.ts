// Free loopback ports and waiting for things to come up.
import { connect, createServer } from 'node:net';

/** A TCP port that is free on `host` right now (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error(`could not get a free port on ${host}`));
      });
    });
  });
}

export interface WaitOptions {
  /** Give up after this long (default 15000 ms). */
  timeoutMs?: number;
  /** Pause between probes (default 50 ms). */
  intervalMs?: number;
  /** What we wait for, used in the timeout error. */
  description?: string;
  /** Checked before each probe: a message here aborts the wait at once (e.g. "process exited"). */
  failIf?: () => string | undefined;
}

/** Thrown by a waitFor() probe to give up at once instead of retrying. */
export class WaitAbort extends Error {
  override name = 'WaitAbort';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns something other than undefined/false, and returns that.
 * A probe that throws counts as "not yet" (its last error is reported on
 * timeout), except for a WaitAbort, which ends the wait at once.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 50;
  const what = options.description ?? 'condition';
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const failure = options.failIf?.();
    if (failure !== undefined) throw new Error(`gave up waiting for ${what}: ${failure}`);
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      if (err instanceof WaitAbort) throw new Error(`gave up waiting for ${what}: ${err.message}`);
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}

function tryConnect(port: number, host: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until something accepts TCP connections on host:port. */
export async function waitForTcp(port: number, host = '127.0.0.1', options: WaitOptions = {}): Promise<void> {
  await waitFor(() => tryConnect(port, host), { description: `tcp ${host}:${port}`, ...options });
}

export interface WaitForHttpOptions extends WaitOptions {
  /** Which statuses count as up (default: 200–399). */
  accept?: (status: number) => boolean;
  method?: string;
}

/** Waits until `url` answers with an accepted status; returns that status. */
export async function waitForHttp(url: string, options: WaitForHttpOptions = {}): Promise<number> {
  const accept = options.accept ?? ((s: number) => s >= 200 && s < 400);
  return waitFor(
    async () => {
      const res = await fetch(url, { method: options.method ?? 'GET', signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (!accept(res.status)) throw new Error(`HTTP ${res.status}`);
      return res.status;
    },
    { description: `HTTP ${url}`, ...options },
  );
}
