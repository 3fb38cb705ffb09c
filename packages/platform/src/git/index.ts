/**
 * @galley/platform/git — the one git runner (exit code and signal checked on
 * every call, children outside the terminal's process group), repositories
 * read without a checkout through one batched `git cat-file` each, refs read
 * from the files, and bare mirrors of remotes.
 */
export { GIT_ENV, type GitOptions, git, gitFailure, gitReason, gitRun } from './command.js';
export { findGitDir } from './find.js';
export { isoStrict, readHead, readRefs } from './objects.js';
export {
  checkRepository,
  cloneBare,
  fetchMirror,
  MIRROR_REFSPECS,
  maintainRepository,
  type RemoteOptions,
  removeAbandonedClones,
  removeStaleGitLocks,
  transportConfig,
} from './remote.js';
export { GitRepository, type GitTag, type TreeEntry } from './repository.js';
export { SharedObjects } from './shared.js';
