import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { findGalleyRoot } from './paths.js';
import { type ReadmeContext, renderReadme } from './readme.js';
import type { ReadmeJob } from './readme-worker.js';

/** A README handed to the renderer. */
export interface ReadmeTicket {
  /** The sanitised HTML; rendered on this thread if no worker has taken it yet. */
  html(): Promise<string>;
}

/** Renders READMEs, helped by worker threads when that pays off. */
export interface ReadmeRenderer {
  submit(markdown: string, context: ReadmeContext): ReadmeTicket;
  close(): Promise<void>;
  /** How many worker threads help (0: this thread renders all). */
  readonly threads: number;
}

/** Below this many READMEs, starting a worker (it loads marked and the sanitiser) costs more than it saves. */
export const WORKER_THRESHOLD = 300;
const BATCH = 10;
const IN_FLIGHT = 2;

/**
 * READMEs are the most expensive part of a build (markdown, then the
 * sanitiser). On a machine with a spare core, worker threads take READMEs
 * from the end of the list while the main thread renders the other pages,
 * and the main thread renders any it reaches before a worker took it: the
 * work balances itself whatever the load. `threads`: how many workers (0:
 * none); default: one per spare core (at most 2) when there are at least
 * WORKER_THRESHOLD READMEs and the compiled worker is there. The output is
 * the same either way.
 */
export function readmeRenderer(expected: number, threads?: number): ReadmeRenderer {
  const file = workerFile();
  const wanted = threads ?? (expected >= WORKER_THRESHOLD ? Math.min(2, availableParallelism() - 1) : 0);
  if (!file || wanted <= 0) return inline();
  return pool(file, wanted);
}

function inline(): ReadmeRenderer {
  return {
    threads: 0,
    submit: (markdown, context) => ({ html: async () => renderReadme(markdown, context) }),
    close: async () => undefined,
  };
}

/** The compiled worker: beside this module when it runs compiled (the generator's dist, or the package's lib/), else in the generator's dist (from the sources). */
function workerFile(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'readme-worker.js')];
  const root = findGalleyRoot();
  if (root) candidates.push(path.join(root, 'packages', 'generator', 'dist', 'readme-worker.js'));
  return candidates.find((f) => existsSync(f));
}

interface Job extends ReadmeJob {
  state: 'queued' | 'sent' | 'done';
  promise: Promise<string>;
  resolve(html: string): void;
  reject(error: Error): void;
}

function pool(file: string, size: number): ReadmeRenderer {
  const jobs: Job[] = [];
  const workers = Array.from({ length: size }, () => ({ worker: new Worker(pathToFileURL(file)), inFlight: 0 }));
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    for (const job of jobs) if (job.state === 'sent') job.reject(failure);
  };
  /** Gives a worker up to IN_FLIGHT batches, taken from the end of the queue. */
  const pump = (slot: (typeof workers)[number]): void => {
    while (!failure && slot.inFlight < IN_FLIGHT) {
      const batch: Job[] = [];
      for (let i = jobs.length - 1; i >= 0 && batch.length < BATCH; i--) if (jobs[i]!.state === 'queued') batch.push(jobs[i]!);
      if (batch.length === 0) return;
      for (const job of batch) job.state = 'sent';
      slot.inFlight++;
      slot.worker.postMessage(batch.map(({ id, markdown, context }) => ({ id, markdown, context })));
    }
  };
  let scheduled = false;
  const pumpAll = (): void => {
    scheduled = false;
    for (const slot of workers) pump(slot);
  };
  for (const slot of workers) {
    slot.worker.on('message', (message: { results?: { id: number; html: string }[]; error?: string }) => {
      slot.inFlight--;
      if (message.error) return fail(new Error(`rendering a README failed: ${message.error}`));
      for (const { id, html } of message.results ?? []) {
        const job = jobs[id]!;
        job.state = 'done';
        job.resolve(html);
      }
      pump(slot);
    });
    slot.worker.on('error', (error) => fail(error));
    slot.worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`a README worker stopped (exit code ${code})`));
    });
  }
  return {
    threads: size,
    submit(markdown, context) {
      let resolve!: (html: string) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<string>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined); // reported through html()
      const job: Job = { id: jobs.length, markdown, context, state: 'queued', promise, resolve, reject };
      jobs.push(job);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(pumpAll);
      }
      return {
        html: async () => {
          if (job.state === 'queued') {
            job.state = 'done';
            return renderReadme(markdown, context);
          }
          if (failure && job.state === 'sent') throw failure;
          return job.promise;
        },
      };
    },
    async close() {
      for (const slot of workers) slot.worker.removeAllListeners('exit');
      await Promise.all(workers.map((slot) => slot.worker.terminate()));
    },
  };
}
