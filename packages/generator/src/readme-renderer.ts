import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { findGalleyRoot } from './paths.js';
import { renderReadme, type ReadmeContext } from './readme.js';
import type { ReadmeJob } from './readme-worker.js';

/** Renders READMEs, in worker threads when that pays off; results come back by id. */
export interface ReadmeRenderer {
  /** Starts rendering; the promise gives the sanitised HTML. */
  render(markdown: string, context: ReadmeContext): Promise<string>;
  close(): Promise<void>;
  /** How many worker threads render (0: this thread). */
  readonly threads: number;
}

/** Below this many READMEs, starting a worker (it loads marked and the sanitiser) costs more than it saves. */
export const WORKER_THRESHOLD = 300;
const BATCH = 25;

/**
 * READMEs are the most expensive part of a build (markdown, then the
 * sanitiser): on a machine with a spare core they render in worker threads
 * while the main thread renders pages. `threads`: how many workers (0: none);
 * default: one per spare core (at most 2) when there are at least
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
    render: async (markdown, context) => renderReadme(markdown, context),
    close: async () => undefined,
  };
}

/** The compiled worker: beside this module when it runs compiled, else in the generator's dist (the CLI bundle). */
function workerFile(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'readme-worker.js')];
  const root = findGalleyRoot();
  if (root) candidates.push(path.join(root, 'packages', 'generator', 'dist', 'readme-worker.js'));
  return candidates.find((f) => existsSync(f));
}

function pool(file: string, size: number): ReadmeRenderer {
  const pending = new Map<number, { resolve: (html: string) => void; reject: (error: Error) => void }>();
  const workers = Array.from({ length: size }, () => new Worker(pathToFileURL(file)));
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  for (const worker of workers) {
    worker.on('message', (message: { results?: { id: number; html: string }[]; error?: string }) => {
      if (message.error) return fail(new Error(`rendering a README failed: ${message.error}`));
      for (const { id, html } of message.results ?? []) {
        pending.get(id)?.resolve(html);
        pending.delete(id);
      }
    });
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => {
      if (code !== 0 && pending.size > 0) fail(new Error(`a README worker stopped (exit code ${code})`));
    });
  }
  let nextId = 0;
  let batch: ReadmeJob[] = [];
  let turn = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (batch.length === 0) return;
    workers[turn++ % workers.length]!.postMessage(batch);
    batch = [];
  };
  return {
    threads: size,
    render(markdown, context) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      const promise = new Promise<string>((resolve, reject) => pending.set(id, { resolve, reject }));
      batch.push({ id, markdown, context });
      if (batch.length >= BATCH) flush();
      else if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
      return promise;
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
