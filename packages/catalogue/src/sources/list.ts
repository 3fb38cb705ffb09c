import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GalleyError } from '@galley/platform';
import type { SourceSpec } from '../config.js';
import type { RepoDescriptor, SourceListing } from './types.js';

/** The recipe name a git URL or path names: its last path segment without `.git`. */
export function repoNameOf(location: string): string {
  const clean = location
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  const last = clean.split(/[/:]/).pop() ?? '';
  return last;
}

const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|[\w.-]+@[\w.-]+:)/i;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Reads a list file: one git URL (`https://`, `git://`, `ssh://`,
 * `git@host:path`, `file://`) or local repository path a line, relative paths
 * against the file's folder; `#` starts a comment. Problems name file:line.
 */
export async function listFile(source: Extract<SourceSpec, { kind: 'list' }>): Promise<SourceListing> {
  const text = await readFile(source.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new GalleyError('unreadable', `cannot read the list ${source.file}: ${error.code === 'ENOENT' ? 'it does not exist' : error.message}`, {
      file: source.file,
    });
  });
  const listing: SourceListing = { source, repos: [], skipped: [] };
  const dir = path.dirname(source.file);
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const entry = line.replace(/(^|\s)#.*$/, '').trim();
    if (!entry) continue;
    if (/\s/.test(entry)) {
      throw new GalleyError('bad-list', `${source.file}:${index + 1}: one git URL or path a line, not "${entry}"`, { file: source.file });
    }
    let fetchUrl: string;
    if (entry.startsWith('file://')) fetchUrl = fileURLToPath(entry);
    else if (URL_LIKE.test(entry)) fetchUrl = entry;
    else fetchUrl = path.resolve(dir, entry);
    const name = repoNameOf(entry);
    if (!NAME.test(name)) {
      throw new GalleyError('bad-list', `${source.file}:${index + 1}: cannot tell a recipe name from "${entry}"`, { file: source.file });
    }
    const descriptor: RepoDescriptor = {
      name,
      sourceId: source.id,
      sourceKind: 'list',
      fetchUrl,
      repository: entry,
      sshUrl: /^(?:ssh:\/\/|[\w.-]+@[\w.-]+:)/.test(entry) ? entry : '',
      website: '',
      description: '',
      icon: '',
      archived: false,
    };
    listing.repos.push(descriptor);
  }
  return listing;
}
