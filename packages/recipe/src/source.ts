import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import type { GitRepository, TreeEntry } from '@galley/platform/git';

/**
 * Where a recipe's files come from: a folder on disk, or the tree of a git
 * commit read without checking it out. Paths are POSIX and relative.
 */
export interface RecipeSource {
  /** For messages: the folder, or `repo#ref`. */
  readonly label: string;
  /** Every file path, sorted. */
  list(): Promise<string[]>;
  /** A file's text, or undefined when it does not exist. */
  read(file: string): Promise<string | undefined>;
  /** A file's size in bytes, or undefined when it does not exist. */
  size(file: string): Promise<number | undefined>;
  /**
   * Where equal content ids mean equal text (one git repository), an object
   * standing for that scope, and each file's content id (its blob id): two
   * versions read from one repository then parse an unchanged file once.
   */
  readonly contentScope?: object;
  contentId?(file: string): Promise<string | undefined>;
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
const MAX_FILES = 20_000;

export class DirectorySource implements RecipeSource {
  private files: Promise<string[]> | undefined;

  constructor(readonly root: string) {}

  get label(): string {
    return this.root;
  }

  list(): Promise<string[]> {
    this.files ??= this.walk();
    return this.files;
  }

  private async walk(): Promise<string[]> {
    const out: string[] = [];
    const visit = async (rel: string) => {
      let entries: Dirent[];
      try {
        entries = await readdir(path.join(this.root, rel), { withFileTypes: true });
      } catch (error) {
        if (rel === '') throw notReadable(this.root, error);
        return;
      }
      for (const entry of entries) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) await visit(child);
        } else if (entry.isFile() || entry.isSymbolicLink()) {
          out.push(child);
          if (out.length > MAX_FILES) {
            throw new GalleyError('too-many-files', `${this.root} holds more than ${MAX_FILES} files: is this really a recipe folder?`);
          }
        }
      }
    };
    await visit('');
    return out.sort();
  }

  async read(file: string): Promise<string | undefined> {
    try {
      return await readFile(path.join(this.root, file), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw notReadable(path.join(this.root, file), error);
    }
  }

  async size(file: string): Promise<number | undefined> {
    try {
      return (await stat(path.join(this.root, file))).size;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw notReadable(path.join(this.root, file), error);
    }
  }
}

/** The files of one commit of a git repository, read with `git cat-file`. */
export class GitTreeSource implements RecipeSource {
  private entries: Promise<Map<string, TreeEntry>> | undefined;

  constructor(
    readonly repo: GitRepository,
    readonly commit: string,
    readonly label: string,
  ) {}

  private tree(): Promise<Map<string, TreeEntry>> {
    this.entries ??= this.repo.tree(this.commit).then((list) => new Map(list.map((e) => [e.path, e])));
    return this.entries;
  }

  async list(): Promise<string[]> {
    return [...(await this.tree()).keys()].sort();
  }

  async read(file: string): Promise<string | undefined> {
    const entry = (await this.tree()).get(file);
    if (!entry) return undefined;
    return this.repo.readBlob(entry.oid);
  }

  async size(file: string): Promise<number | undefined> {
    return (await this.tree()).get(file)?.size;
  }

  get contentScope(): object {
    return this.repo;
  }

  async contentId(file: string): Promise<string | undefined> {
    return (await this.tree()).get(file)?.oid;
  }
}

/** Files held in memory (tests, fixes previewed before writing). */
export class MemorySource implements RecipeSource {
  private readonly files: Map<string, string>;

  constructor(
    files: Record<string, string> | Map<string, string>,
    readonly label = '(memory)',
  ) {
    this.files = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
  }

  async list(): Promise<string[]> {
    return [...this.files.keys()].sort();
  }

  async read(file: string): Promise<string | undefined> {
    return this.files.get(file);
  }

  async size(file: string): Promise<number | undefined> {
    const text = this.files.get(file);
    return text === undefined ? undefined : Buffer.byteLength(text, 'utf8');
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function notReadable(file: string, error: unknown): GalleyError {
  const code = (error as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOENT'
      ? 'it does not exist: check the path'
      : code === 'EACCES'
        ? 'permission denied: check its permissions'
        : code === 'ENOTDIR'
          ? 'it is not a folder'
          : String((error as Error).message);
  return new GalleyError('unreadable', `cannot read ${file}: ${hint}`, { file, cause: error });
}
