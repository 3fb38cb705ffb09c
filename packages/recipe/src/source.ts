import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError, isGalleyError, visible } from '@galley/platform';
import { isMissingFile, listError, readTextFile, statRegularFile } from '@galley/platform/fs';
import type { GitRepository, TreeEntry } from '@galley/platform/git';
import { MAX_YAML_BYTES } from './yaml/parse.js';

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

/**
 * A folder on disk. Only regular files inside the folder are read: a
 * symlink is followed while it stays inside, one leaving it is refused (so
 * nothing from outside, such as /proc/self/environ, reaches a report), and
 * FIFOs, devices and sockets are listed but refused when read, never opened
 * for reading (exit 2, naming the path). Files over `maxBytes` (default: the
 * 4 MiB YAML gate) are refused before any read.
 */
export class DirectorySource implements RecipeSource {
  private files: Promise<string[]> | undefined;

  constructor(
    readonly root: string,
    readonly maxBytes = MAX_YAML_BYTES,
  ) {}

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
        throw listError(path.join(this.root, rel), error, rel === '' ? 'recipe folder' : 'folder');
      }
      for (const entry of entries) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) await visit(child);
        } else {
          // Symlinks, FIFOs, devices and sockets are listed too: reading one names it and refuses it.
          out.push(child);
          if (out.length > MAX_FILES) {
            throw new GalleyError('too-many-files', `${visible(this.root)} holds more than ${MAX_FILES} files: is this really a recipe folder?`);
          }
        }
      }
    };
    await visit('');
    return out.sort();
  }

  async read(file: string): Promise<string | undefined> {
    try {
      return await readTextFile(path.join(this.root, file), { within: this.root, maxBytes: this.maxBytes });
    } catch (error) {
      if (isGalleyError(error) && isMissingFile(error.cause)) return undefined;
      throw error;
    }
  }

  async size(file: string): Promise<number | undefined> {
    return (await statRegularFile(path.join(this.root, file), { within: this.root }))?.size;
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
