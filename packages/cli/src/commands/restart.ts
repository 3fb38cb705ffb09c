import { createDeployReporter, restartApp, silentReporter } from '@galley/deploy';
import { EXIT, indentedList, visible } from '@galley/platform';
import { claimInterrupt, contextOption } from './deploy-shared.js';

export interface RestartCommandOptions {
  context?: string;
  timeout?: number;
  stability?: number;
  json?: boolean;
}

/** `galley restart <app-env> [service]`: new tasks, then waits as a deploy does. */
export async function restartCommand(appEnvFile: string, service: string | undefined, options: RestartCommandOptions): Promise<number> {
  const interrupt = claimInterrupt();
  try {
    const result = await restartApp(appEnvFile, {
      ...contextOption(options),
      ...(service ? { service } : {}),
      ...(options.timeout ? { timeoutSeconds: options.timeout } : {}),
      ...(options.stability !== undefined ? { stabilitySeconds: options.stability } : {}),
      reporter: options.json && !process.stderr.isTTY ? silentReporter : createDeployReporter(process.stderr),
      signal: interrupt.signal,
    });
    const c = result.convergence;
    const code = c.interrupted ? EXIT.INTERRUPTED : c.ok ? EXIT.OK : EXIT.FAILED;
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ ...result, exitCode: code, convergence: { ok: c.ok, services: c.services, lostContact: c.lostContact } }, null, 2)}\n`,
      );
      return code;
    }
    const seconds = (c.elapsedMs / 1000).toFixed(1);
    if (c.ok) process.stdout.write(`${visible(`restarted ${result.restarted.join(', ')} of ${result.stack} on ${result.server} in ${seconds} s`)}\n`);
    else if (c.interrupted) process.stdout.write(`interrupted: the swarm goes on restarting ${visible(result.stack)}; galley ps shows its state\n`);
    else {
      const lines = [`restart of ${result.stack} on ${result.server} FAILED after ${seconds} s`];
      if (c.lostContact) lines.push(`  lost contact with the server: ${c.lostContact}`);
      for (const s of c.services.filter((s) => s.phase === 'failed'))
        lines.push(`  ${s.name}: ${s.reason ?? s.detail}${s.lastError ? ` (${s.lastError})` : ''}`);
      process.stdout.write(`${indentedList(lines, '')}\n`);
    }
    return code;
  } finally {
    interrupt.dispose();
  }
}
