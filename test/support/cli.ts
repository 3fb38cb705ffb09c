import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
/** The package `npm run build` assembles (what `npm pack` packs and users install). */
export const PACKAGE_DIR = path.join(REPO_ROOT, 'dist/galley');
/** Its command: the tests run the built package, never the sources. */
export const GALLEY_BIN = path.join(PACKAGE_DIR, 'bin/galley.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built galley command (build first: `npm run build`). */
export function runGalley(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GALLEY_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Throws when `npm run build` has not made the package yet. */
export function assertBuilt(): void {
  if (!existsSync(GALLEY_BIN)) throw new Error('galley is not built: run `npm run build` before the integration tests');
}
