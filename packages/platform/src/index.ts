/**
 * @galley/platform — errors and the exit-code table. The side-effect
 * mechanisms live in subpath exports, one folder each.
 */
export { type ErrorCode, type ErrorSpan, EXIT, EXIT_CODES_HELP, type ExitCode, formatLocation, GalleyError, isGalleyError } from './errors.js';
export { indentedList, visible, visibleCode, visibleLines } from './printable.js';
