import { EXIT, formatLocation, GalleyError, visible, visibleLines } from '@galley/platform';

/** Prints an error the way every command does and returns the exit code. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof GalleyError) {
    const where = formatLocation(error.span, error.file);
    // A message that names its file already (e.g. "cannot read env file x: …") is not prefixed with it again.
    const message = where && !error.message.includes(where) && !error.message.includes(visible(where)) ? `${visible(where)}: ${error.message}` : error.message;
    // Messages name files and quote values from the input: nothing in them may act on the terminal or a CI log.
    stderr.write(`galley: ${visibleLines(message)}\n`);
    return error.exitCode;
  }
  const text = error instanceof Error ? error.message : String(error);
  stderr.write(`galley: internal error: ${visible(text)}\n`);
  if (process.env.GALLEY_DEBUG) stderr.write(`${(error as Error).stack ?? ''}\n`);
  else stderr.write('galley: this is a bug; run again with GALLEY_DEBUG=1 and report the output\n');
  return EXIT.INTERNAL;
}
