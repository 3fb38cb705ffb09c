// Worker thread body: renders READMEs for readme-renderer.ts. Receives
// batches of jobs, answers with the HTML of each.
import { parentPort } from 'node:worker_threads';
import { type ReadmeContext, renderReadme } from './readme.js';

export interface ReadmeJob {
  id: number;
  markdown: string;
  context: ReadmeContext;
}

parentPort?.on('message', (jobs: ReadmeJob[]) => {
  try {
    parentPort!.postMessage({ results: jobs.map((job) => ({ id: job.id, html: renderReadme(job.markdown, job.context) })) });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
