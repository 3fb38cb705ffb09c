import { runInApp } from '@galley/deploy';
import { withInterruptsSuspended } from '../interrupt.js';
import { contextOption } from './deploy-shared.js';

export interface RunCommandOptions {
  context?: string;
  tty?: boolean;
  user?: string;
}

/** `galley run <app-env> <service> -- <command…>`: in a running container of the service; exits with the command's code. */
export async function runCommand(appEnvFile: string, service: string, command: string[], options: RunCommandOptions): Promise<number> {
  // --no-tty turns it off; otherwise a terminal when galley has one.
  const tty = options.tty === false ? false : Boolean(process.stdin.isTTY && process.stdout.isTTY);
  return withInterruptsSuspended(() =>
    runInApp(appEnvFile, service, command, { ...contextOption(options), tty, ...(options.user ? { user: options.user } : {}) }),
  );
}
