import { createDeployReporter, silentReporter, undeploy } from '@galley/deploy';
import { EXIT, indentedList } from '@galley/platform';
import { contextOption, type RecipeLocationFlags, recipeLocation } from './deploy-shared.js';

export interface UndeployCommandOptions extends RecipeLocationFlags {
  prune?: boolean;
  context?: string;
  timeout?: number;
  json?: boolean;
}

export async function undeployCommand(appEnvFile: string, options: UndeployCommandOptions): Promise<number> {
  const reporter = options.json && !process.stderr.isTTY ? silentReporter : createDeployReporter(process.stderr);
  const result = await undeploy({
    appEnvFile,
    ...recipeLocation(options),
    ...contextOption(options),
    ...(options.prune ? { prune: true } : {}),
    ...(options.timeout ? { timeoutSeconds: options.timeout } : {}),
    reporter,
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.OK;
  }
  const lines: string[] = [];
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  if (result.wasDeployed) lines.push(`removed ${result.stack} from ${result.server}: ${result.removedServices.join(', ')} (${seconds} s)`);
  else lines.push(`${result.stack} was not deployed on ${result.server}: nothing to remove`);
  if (result.removedVolumes.length) lines.push(`removed volumes: ${result.removedVolumes.join(', ')}`);
  if (result.removedSecrets.length) lines.push(`removed secrets: ${result.removedSecrets.join(', ')}`);
  if (result.keptVolumes.length) lines.push(`kept volumes: ${result.keptVolumes.join(', ')} (--prune removes them)`);
  if (result.keptSecrets.length) lines.push(`kept secrets: ${result.keptSecrets.join(', ')} (--prune removes them)`);
  process.stdout.write(`${indentedList(lines, '')}\n`);
  return EXIT.OK;
}
