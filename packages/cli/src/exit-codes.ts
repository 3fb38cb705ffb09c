/** Exit codes of every galley command (also printed by `galley --help`). */
export const EXIT = {
  /** Success: nothing to report at or above the failure level. */
  OK: 0,
  /** Findings at or above the failure level (lint), or a deploy that failed. */
  FAILED: 1,
  /** Unusable input or configuration: bad flags, unreadable files, bad YAML in a config. */
  USAGE: 2,
  /** Partial result: some sources failed, their last good entries were kept. */
  PARTIAL: 3,
  /** A bug in galley (please report it, with GALLEY_DEBUG=1 output). */
  INTERNAL: 4,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  findings at or above the failure level (lint), or a failed deploy
  2  unusable input or configuration (the message names the file and line)
  3  partial result (catalogue: some repositories or registries failed; their
     previous entries were kept and marked stale)
  4  internal error in galley (set GALLEY_DEBUG=1 for a stack trace)
  130  a deploy interrupted with Ctrl-C (locks released)`;
