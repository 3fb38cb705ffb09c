import { EXIT } from '@galley/platform';
import { killChildren } from '@galley/platform/exec';

/**
 * Ctrl-C (SIGINT) and SIGTERM for the whole CLI, installed first thing so
 * no moment of a run is left to Node's default (dying without a word and
 * without releasing anything).
 *
 * A command that can stop cleanly (deploy, undeploy, restart) claims the
 * interrupt: the first signal aborts its AbortSignal, and the command
 * releases its locks, removes its temporary files and reports; a second
 * one exits at once. With no command claiming it, galley ends its children
 * and exits 130 with a message.
 */
let claimed: AbortController | undefined;
let installed = false;
let suspended = 0;

function onSignal(signal: NodeJS.Signals): void {
  // A program on galley's terminal (galley run) decides what Ctrl-C means to it.
  if (suspended && signal === 'SIGINT') return;
  const code = signal === 'SIGINT' ? EXIT.INTERRUPTED : 143;
  if (claimed && !claimed.signal.aborted) {
    process.stderr.write(`\ngalley: ${signal}: stopping (press Ctrl-C again to quit at once)\n`);
    claimed.abort();
    return;
  }
  process.stderr.write(`\ngalley: ${signal}: interrupted\n`);
  killChildren('SIGTERM');
  process.exit(code);
}

export function installInterrupts(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Claims the interrupt for a command: its signal aborts on the first Ctrl-C. */
export function claimInterrupt(): { signal: AbortSignal; dispose(): void } {
  installInterrupts();
  const controller = new AbortController();
  claimed = controller;
  return {
    signal: controller.signal,
    dispose: () => {
      if (claimed === controller) claimed = undefined;
    },
  };
}

/** While `work` runs a program attached to the terminal, Ctrl-C is that program's. */
export async function withInterruptsSuspended<T>(work: () => Promise<T>): Promise<T> {
  installInterrupts();
  suspended++;
  try {
    return await work();
  } finally {
    suspended--;
  }
}
