/**
 * @galley/platform/exec — child processes in their own process group, with
 * exit code **and** signal checked; timeouts end the whole group.
 */
export { type ExecOptions, type ExecResult, exec, killChildren } from './process.js';
