import type { HttpClient } from '@galley/platform/http';
import type { SourceSpec } from '../config.js';
import { listGitea } from './gitea.js';
import { listGitHub } from './github.js';
import { listFile } from './list.js';
import type { RepoDescriptor, SkippedRepo, SourceListing } from './types.js';

export { type GiteaRepo, listGitea } from './gitea.js';
export { type GitHubRepo, listGitHub } from './github.js';
export { listFile, repoNameOf } from './list.js';
export type { RepoDescriptor, SkippedRepo, SourceListing } from './types.js';

export interface DiscoverOptions {
  /** The client forge APIs are asked through. */
  forgeHttp: HttpClient;
  includeArchived: boolean;
  /** Names (`*` wildcards) of repositories that are no recipes. */
  exclude?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** A matcher for names with `*` wildcards. */
export function nameMatcher(patterns: readonly string[]): (name: string) => string | undefined {
  const compiled = patterns.map((p) => ({
    p,
    re: new RegExp(
      `^${p
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ),
  }));
  return (name) => compiled.find((c) => c.re.test(name))?.p;
}

export interface Discovery {
  repos: RepoDescriptor[];
  skipped: SkippedRepo[];
  listings: SourceListing[];
}

/**
 * Lists every source (in parallel) and merges them in configuration order:
 * the first source naming a recipe wins; later duplicates, excluded and
 * archived repositories are skipped with the reason. A list file that cannot be read
 * is a configuration error (thrown); a forge that cannot be listed is a
 * failed source (`listing.error`).
 */
export async function discoverRepos(sources: readonly SourceSpec[], options: DiscoverOptions): Promise<Discovery> {
  const listings = await Promise.all(
    sources.map((source) => {
      if (source.kind === 'github') return listGitHub(source, options.forgeHttp, options.env);
      if (source.kind === 'gitea') return listGitea(source, options.forgeHttp, options.env);
      return listFile(source);
    }),
  );
  const byName = new Map<string, RepoDescriptor>();
  const skipped: SkippedRepo[] = [];
  const excluded = nameMatcher(options.exclude ?? []);
  for (const listing of listings) {
    skipped.push(...listing.skipped);
    for (const repo of listing.repos) {
      const known = byName.get(repo.name);
      const pattern = excluded(repo.name);
      if (pattern !== undefined) {
        skipped.push({ name: repo.name, sourceId: repo.sourceId, reason: `excluded (exclude: ${pattern})` });
      } else if (known) {
        skipped.push({ name: repo.name, sourceId: repo.sourceId, reason: `${known.sourceId} lists a recipe of that name already` });
      } else if (repo.archived && !options.includeArchived) {
        skipped.push({ name: repo.name, sourceId: repo.sourceId, reason: 'archived (includeArchived: true scans it)' });
      } else byName.set(repo.name, repo);
    }
  }
  const repos = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { repos, skipped, listings };
}
