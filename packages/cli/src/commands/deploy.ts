import { createInterface } from 'node:readline/promises';
import { createDeployReporter, type DeployOverview, deploy, formatDeployResult, type LintLevel, type ResolveImage, silentReporter } from '@galley/deploy';
import { EXIT } from '@galley/platform';
import { claimInterrupt, contextOption, type RecipeLocationFlags, recipeLocation } from './deploy-shared.js';

export interface DeployCommandOptions extends RecipeLocationFlags {
  context?: string;
  force?: boolean;
  timeout?: number;
  stability?: number;
  wait?: boolean;
  rollback?: boolean;
  dryRun?: boolean;
  resolveImage?: ResolveImage;
  lint?: boolean;
  lintLevel?: LintLevel;
  yes?: boolean;
  json?: boolean;
}

/** On a terminal without --yes: the overview is shown, then asked about. */
async function askToGo(_overview: DeployOverview): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question('deploy? [y/N] ');
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** `galley deploy <app-env>`: wiring only; the work is @galley/deploy's. */
export async function deployCommand(appEnvFile: string, options: DeployCommandOptions): Promise<number> {
  const interrupt = claimInterrupt();
  try {
    const reporter = options.json && !process.stderr.isTTY ? silentReporter : createDeployReporter(process.stderr);
    const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY) && !options.yes && !options.dryRun;
    const lintLevel = options.lint === false ? 'off' : options.lintLevel;
    const result = await deploy({
      appEnvFile,
      ...recipeLocation(options),
      ...contextOption(options),
      ...(options.force ? { force: true } : {}),
      ...(options.timeout ? { timeoutSeconds: options.timeout } : {}),
      ...(options.stability !== undefined ? { stabilitySeconds: options.stability } : {}),
      ...(options.wait === false ? { noWait: true } : {}),
      ...(options.rollback === false ? { noRollback: true } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.resolveImage ? { resolveImage: options.resolveImage } : {}),
      ...(lintLevel ? { lintLevel } : {}),
      ...(interactive ? { confirm: askToGo } : {}),
      reporter,
      signal: interrupt.signal,
    });
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatDeployResult(result));
    return result.exitCode === 0 ? EXIT.OK : result.exitCode;
  } finally {
    interrupt.dispose();
  }
}
