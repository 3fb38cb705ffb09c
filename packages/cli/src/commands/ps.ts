import { appStatus, formatAppStatus } from '@galley/deploy';
import { EXIT } from '@galley/platform';

export async function psCommand(appEnvFile: string, options: { json?: boolean }): Promise<number> {
  const status = await appStatus(appEnvFile);
  process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatAppStatus(status));
  return EXIT.OK;
}
