import { EXIT, formatLocation, GalleyError } from '@galley/platform';

/** Prints an error the way every command does and returns the exit code. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof GalleyError) {
    const where = formatLocation(error.span, error.file);
    // A message that names its file already (e.g. "cannot read env file x: …") is not prefixed with it again.
    const message = where && !error.message.includes(where) ? `${where}: ${error.message}` : error.message;
    stderr.write(`galley: ${message}\n`);
    return error.exitCode;
  }
  const text = error instanceof Error ? error.message : String(error);
  stderr.write(`galley: internal error: ${text}\n`);
  if (process.env.GALLEY_DEBUG) stderr.write(`${(error as Error).stack ?? ''}\n`);
  else stderr.write('galley: this is a bug; run again with GALLEY_DEBUG=1 and report the output\n');
  return EXIT.INTERNAL;
}
