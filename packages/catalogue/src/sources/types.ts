import type { SourceSpec } from '../config.js';

/** A repository a source lists: where to fetch it from and what the forge says about it. */
export interface RepoDescriptor {
  /** The recipe name (the repository's name). */
  name: string;
  /** The configured source that listed it (`github:coop-cloud`, `list:recipes.txt`, …). */
  sourceId: string;
  sourceKind: SourceSpec['kind'];
  /** What git fetches from (a URL or a local path). */
  fetchUrl: string;
  /** The catalogue's `repository`: the https clone URL, or the list entry as written. */
  repository: string;
  sshUrl: string;
  website: string;
  description: string;
  icon: string;
  /** From the forge; absent for list entries (the mirror's HEAD tells). */
  defaultBranch?: string;
  /**
   * When the repository last received a push, as the forge's listing says
   * (GitHub `pushed_at` with `updated_at`, Gitea/Forgejo `updated_at`),
   * compared as an opaque text; absent for list entries and Gitea pull
   * mirrors. A repository whose value is the same as at the last run is not
   * asked for its refs at all.
   */
  pushedAt?: string;
  archived: boolean;
}

export interface SkippedRepo {
  name: string;
  sourceId: string;
  reason: string;
}

export interface SourceListing {
  source: SourceSpec;
  repos: RepoDescriptor[];
  skipped: SkippedRepo[];
  /** Set when the source could not be listed at all. */
  error?: string;
}
