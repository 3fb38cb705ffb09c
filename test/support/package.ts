// The galley package as users get it: the tarball `npm pack` makes of
// dist/galley (or the release script's, in $GALLEY_TARBALL), installed with
// `npm install -g --prefix` into an empty folder, with no registry reachable.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { assertBuilt, PACKAGE_DIR } from './cli.js';
import { run } from './process.js';

/**
 * The environment for npm in the tests: none of the outer `npm test`'s
 * npm_* settings, a private cache, and a registry that refuses every
 * connection (no retries), so anything that needs one fails at once.
 */
export function offlineNpmEnv(scratch: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return {
    ...env,
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_fetch_retries: '0',
    npm_config_cache: path.join(scratch, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    NO_COLOR: '1',
    ...extra,
  };
}

export interface PackedGalley {
  tarball: string;
  /** `npm pack --json`'s account of it (undefined for $GALLEY_TARBALL). */
  files?: string[];
  size?: number;
}

/** The tarball under test: $GALLEY_TARBALL when set (scripts/release.mjs), else a fresh `npm pack` of dist/galley into `dir`. */
export async function packGalley(dir: string): Promise<PackedGalley> {
  const given = process.env.GALLEY_TARBALL;
  if (given) {
    if (!existsSync(given)) throw new Error(`GALLEY_TARBALL=${given}: no such file`);
    return { tarball: path.resolve(given) };
  }
  assertBuilt();
  const result = await run('npm', ['pack', PACKAGE_DIR, '--pack-destination', dir, '--json'], { cwd: dir, env: offlineNpmEnv(dir) });
  const [packed] = JSON.parse(result.stdout) as { filename: string; size: number; files: { path: string }[] }[];
  return { tarball: path.join(dir, packed!.filename), files: packed!.files.map((f) => f.path), size: packed!.size };
}

/** `npm install -g --prefix <prefix> <tarball>` with no registry; returns the installed `galley` command. */
export async function installGalley(tarball: string, prefix: string, scratch: string): Promise<string> {
  await run('npm', ['install', '--global', '--prefix', prefix, tarball], { cwd: scratch, env: offlineNpmEnv(scratch), timeoutMs: 180_000 });
  return path.join(prefix, 'bin', 'galley');
}
