// Helpers for the site's integration tests: build a site with the real CLI,
// serve it with `galley site serve` (a long-running process), and record
// what a page does.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CliResult, GALLEY_BIN, REPO_ROOT, runGalley } from '../support/cli.js';
import { type ManagedProcess, startProcess, waitFor } from '../support/index.js';

export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'site');

/** `galley site build` with the built CLI; fails the test with its output when it does not exit 0. */
export async function buildWithCli(args: string[]): Promise<CliResult> {
  const result = await runGalley(['site', 'build', ...args], { timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`galley site build ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
  return result;
}

export interface ServedSite {
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts `galley site serve --dir <dir> --port 0` and waits for the URL it prints. */
export async function serveWithCli(dir: string, extra: string[] = []): Promise<ServedSite> {
  const child = startProcess(process.execPath, [GALLEY_BIN, 'site', 'serve', '--dir', dir, '--port', '0', ...extra], { cwd: REPO_ROOT });
  const url = await waitFor(() => /Serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(child.output())?.[1], {
    timeoutMs: 20_000,
    description: 'galley site serve to print its URL',
    failIf: () => (child.exitStatus() ? `it exited: ${child.output()}` : undefined),
  });
  return { url, process: child, stop: () => child.stop() };
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
