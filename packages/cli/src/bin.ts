#!/usr/bin/env node
// The `galley` command: the package's bin (bundled into bin/galley.js).
// First: Ctrl-C from the first moment says what happened and exits 130 (see interrupt.ts).
import './interrupt-now.js';
import { main } from './main.js';

// `galley … | head` closes the pipe early: that is no reason to stop. The
// command goes on without that output (a catalogue run still writes its
// catalogue and releases its lock), and its exit code says how it went.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      // Later writes go nowhere instead of failing again.
      stream.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
        const done = typeof encoding === 'function' ? encoding : callback;
        if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
        return true;
      }) as typeof stream.write;
      return;
    }
    throw error;
  });
}

process.exitCode = await main(process.argv);
