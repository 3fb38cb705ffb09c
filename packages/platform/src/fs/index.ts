/** @galley/platform/fs — atomic durable writes, locks a reused pid cannot confuse, reads with actionable errors. */
export { type FileWrite, removeAbandonedTemps, writeFileAtomic, writeFilesAtomic } from './atomic.js';
export { acquireFileLock, describeLockHolder, type FileLock, type FileLockOptions, type LockHolder, lockHolder } from './lock.js';
export {
  isMissingFile,
  listError,
  type ReadOptions,
  readError,
  readTextFile,
  readTextFileSync,
  statRegularFile,
} from './read.js';
