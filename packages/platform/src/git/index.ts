/**
 * @galley/platform/git — the one git runner (exit code and signal checked on
 * every call, children outside the terminal's process group), repositories
 * read without a checkout through one batched `git cat-file` each, refs read
 * from the files, and bare mirrors of remotes.
 */
export { type GitOptions, git } from './command.js';
export { findGitDir } from './find.js';
export { isoStrict, readHead, readRefs } from './objects.js';
export {
  checkRepository,
  cloneBare,
  fetchMirror,
  maintainRepository,
  type RemoteOptions,
  removeAbandonedClones,
} from './remote.js';
export { GitRepository, type GitTag, type TreeEntry } from './repository.js';
export { SharedObjects } from './shared.js';
