import { appStatus, formatAppStatus } from '@galley/deploy';
import { EXIT } from '@galley/platform';
import { contextOption } from './deploy-shared.js';

export async function psCommand(appEnvFile: string, options: { json?: boolean; context?: string }): Promise<number> {
  const status = await appStatus(appEnvFile, contextOption(options));
  process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatAppStatus(status));
  return EXIT.OK;
}
