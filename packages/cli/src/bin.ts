#!/usr/bin/env node
// The `galley` command: the package's bin (bundled into bin/galley.js).
// First: Ctrl-C from the first moment says what happened and exits 130 (see interrupt.ts).
import './interrupt-now.js';
import { main } from './main.js';

// `galley … | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
