import { createReporter, deploy, formatDeployResult, type ResolveImage, silentReporter } from '@galley/deploy';
import { EXIT, GalleyError } from '@galley/platform';
import { onInterrupt, type RecipeLocationFlags, recipeLocation } from './deploy-shared.js';

export interface DeployCommandOptions extends RecipeLocationFlags {
  force?: boolean;
  timeout?: number;
  wait?: boolean;
  rollback?: boolean;
  dryRun?: boolean;
  resolveImage?: string;
  json?: boolean;
}

const RESOLVE = ['always', 'changed', 'never'];

/** `galley deploy <app-env>`: wiring only; the work is @galley/deploy's. */
export async function deployCommand(appEnvFile: string, options: DeployCommandOptions): Promise<number> {
  if (options.resolveImage && !RESOLVE.includes(options.resolveImage)) {
    throw new GalleyError('usage', `--resolve-image must be one of ${RESOLVE.join(', ')}`);
  }
  const reporter = options.json && !process.stderr.isTTY ? silentReporter : createReporter(process.stderr);
  const interrupt = onInterrupt();
  try {
    const result = await deploy({
      appEnvFile,
      ...recipeLocation(options),
      ...(options.force ? { force: true } : {}),
      ...(options.timeout ? { timeoutSeconds: options.timeout } : {}),
      ...(options.wait === false ? { noWait: true } : {}),
      ...(options.rollback === false ? { noRollback: true } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.resolveImage ? { resolveImage: options.resolveImage as ResolveImage } : {}),
      reporter,
      signal: interrupt.signal,
    });
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatDeployResult(result));
    return result.exitCode === 0 ? EXIT.OK : result.exitCode;
  } finally {
    interrupt.dispose();
  }
}
