/**
 * The one table of exit codes every galley command uses (also printed by
 * `galley --help` and listed in the README).
 */
export const EXIT = {
  /** Success: nothing to report at or above the failure level. */
  OK: 0,
  /** Findings at or above the failure level (lint), a deploy that failed, or a catalogue refused (it would lose too many recipes). */
  FAILED: 1,
  /** Unusable input or configuration: bad flags, unreadable files, bad YAML in a config. */
  USAGE: 2,
  /** Partial result: some sources failed, their last good entries were kept. */
  PARTIAL: 3,
  /** A bug in galley, or a tool galley runs that broke unexpectedly. */
  INTERNAL: 4,
  /** Interrupted (Ctrl-C): locks released, nothing half-written. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  findings at or above the failure level (lint), a failed deploy, or a
     catalogue that would lose too many recipes (nothing written)
  2  unusable input or configuration (the message names the file and line)
  3  partial result (catalogue: some sources, repositories or registries
     failed; what they could not tell was kept and marked stale)
  4  internal error in galley (set GALLEY_DEBUG=1 for a stack trace)
  130  interrupted with Ctrl-C (locks released)`;

/** Every error code galley uses: stable, for scripts and for tests. */
export type ErrorCode =
  | 'already-deployed'
  | 'app-env-bad-domain'
  | 'app-env-bad-recipe'
  | 'app-env-no-domain'
  | 'app-env-no-recipe'
  | 'app-env-syntax'
  | 'app-env-unreadable'
  | 'bad-catalogue'
  | 'bad-config'
  | 'bad-flag'
  | 'bad-list'
  | 'bad-yaml'
  | 'cache-busy'
  | 'cache-unusable'
  | 'cannot-fix-ref'
  | 'catalogue-invalid'
  | 'catalogue-json'
  | 'catalogue-schema'
  | 'catalogue-shrink'
  | 'catalogue-too-large'
  | 'catalogue-unreadable'
  | 'chaos-and-version'
  | 'chaos-needs-folder'
  | 'compose-file-missing'
  | 'config-exists'
  | 'config-unchanged-version'
  | 'deploy-cancelled'
  | 'docker-context-missing'
  | 'docker-failed'
  | 'docker-missing'
  | 'docker-not-found'
  | 'docker-not-swarm-manager'
  | 'docker-timeout'
  | 'docker-unreachable'
  | 'env-check'
  | 'env-exists'
  | 'file-too-large'
  | 'git-bad-object'
  | 'git-clone-failed'
  | 'git-failed'
  | 'git-fetch-failed'
  | 'git-missing'
  | 'git-missing-object'
  | 'git-unknown-ref'
  | 'host-unavailable'
  | 'http-bad-answer'
  | 'http-bad-url'
  | 'http-gave-up'
  | 'http-host-not-found'
  | 'http-status'
  | 'http-tls'
  | 'http-unreachable'
  | 'interrupted'
  | 'lint-errors'
  | 'lock-dir'
  | 'lock-failed'
  | 'lock-held'
  | 'network-missing'
  | 'no-app-service'
  | 'no-running-task'
  | 'no-sources'
  | 'not-a-folder'
  | 'not-a-recipe'
  | 'not-deployed'
  | 'not-found'
  | 'nothing-to-lint'
  | 'object-name-too-long'
  | 'outside-target'
  | 'port-denied'
  | 'port-in-use'
  | 'post-deploy-bad'
  | 'readme-too-large'
  | 'readme-unreadable'
  | 'readmes-missing'
  | 'recipe-file-missing'
  | 'recipe-no-release'
  | 'recipe-not-found'
  | 'recipe-not-git'
  | 'recipe-unknown-version'
  | 'recipe-unreadable'
  | 'release-dirty'
  | 'release-no-version-label'
  | 'release-required'
  | 'release-tag-exists'
  | 'scaffold-bad-name'
  | 'scaffold-exists'
  | 'secret-bad-modifier'
  | 'secret-bad-version'
  | 'secret-empty'
  | 'secret-exists'
  | 'secret-in-use'
  | 'secret-missing'
  | 'secret-needs-insert'
  | 'secret-rm-what'
  | 'secret-unknown'
  | 'secret-unversioned'
  | 'service-unknown'
  | 'site-base-url'
  | 'site-client-missing'
  | 'site-flags'
  | 'site-missing'
  | 'site-out-not-folder'
  | 'site-out-not-site'
  | 'site-out-unwritable'
  | 'site-template'
  | 'site-templates-missing'
  | 'site-write'
  | 'stack-empty'
  | 'stack-unusable'
  | 'too-many-files'
  | 'undeploy-timeout'
  | 'unreadable'
  | 'unwritable'
  | 'upgrade-needs-settings'
  | 'usage';

/**
 * An error a person can act on. `code` is stable and machine-readable;
 * `exitCode` is what the CLI exits with (default 2: unusable input).
 * Messages say what happened and what to do, never with a stack trace.
 */
export class GalleyError extends Error {
  readonly code: ErrorCode;
  readonly span: ErrorSpan | undefined;
  readonly file: string | undefined;
  readonly exitCode: ExitCode;

  constructor(code: ErrorCode, message: string, options: { span?: ErrorSpan; file?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GalleyError';
    this.code = code;
    this.span = options.span;
    this.file = options.file ?? options.span?.file;
    this.exitCode = options.exitCode ?? EXIT.USAGE;
  }
}

/** Where an error is: the part of @galley/recipe's `Span` that messages need. */
export interface ErrorSpan {
  file: string;
  line: number;
  col: number;
}

/** `file:line:col` for a span, or just the file. */
export function formatLocation(span: ErrorSpan | undefined, file?: string): string {
  if (span) return `${span.file}:${span.line}:${span.col}`;
  return file ?? '';
}

/** Whether an error is a GalleyError with one of these codes. */
export function isGalleyError(error: unknown, ...codes: ErrorCode[]): error is GalleyError {
  return error instanceof GalleyError && (codes.length === 0 || codes.includes(error.code));
}
