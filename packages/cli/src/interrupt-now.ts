// Imported first by the bin: the CLI's Ctrl-C handler is in place before anything else runs.
import { installInterrupts } from './interrupt.js';

installInterrupts();
