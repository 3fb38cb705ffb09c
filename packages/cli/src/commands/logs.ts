import { appLogs } from '@galley/deploy';
import { EXIT } from '@galley/platform';
import { claimInterrupt, contextOption } from './deploy-shared.js';

export interface LogsCommandOptions {
  follow?: boolean;
  since?: string;
  tail?: number;
  timestamps?: boolean;
  context?: string;
}

/** `galley logs <app-env> [service]`: each line with the task that wrote it. */
export async function logsCommand(appEnvFile: string, service: string | undefined, options: LogsCommandOptions): Promise<number> {
  const interrupt = claimInterrupt();
  try {
    const lines = appLogs(appEnvFile, {
      ...contextOption(options),
      ...(service ? { service } : {}),
      ...(options.follow ? { follow: true } : {}),
      ...(options.since ? { since: options.since } : {}),
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
      ...(options.timestamps ? { timestamps: true } : {}),
      signal: interrupt.signal,
    });
    for await (const line of lines) {
      const out = line.stream === 'stderr' ? process.stderr : process.stdout;
      out.write(`${line.time ? `${line.time} ` : ''}${line.task} | ${line.text}\n`);
    }
    return interrupt.signal.aborted && !options.follow ? EXIT.INTERRUPTED : EXIT.OK;
  } finally {
    interrupt.dispose();
  }
}
