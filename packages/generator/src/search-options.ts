/**
 * The search index's shape, shared by the site builder (which builds and
 * serialises a MiniSearch index at build time) and the client script (which
 * loads it with the same options). No Node or DOM APIs here.
 */

/** One searchable recipe. `id` is the recipe's page slug (the card's `data-slug`). */
export interface SearchDocument {
  id: string;
  name: string;
  description: string;
  category: string;
  /** Familiar image names of the latest version, space separated. */
  images: string;
}

export const SEARCH_FIELDS = ['name', 'description', 'category', 'images'] as const;

/** Options for `new MiniSearch(...)` and `MiniSearch.loadJSON(...)`: the two must agree. */
export const SEARCH_INDEX_OPTIONS = {
  idField: 'id',
  fields: [...SEARCH_FIELDS],
  storeFields: [] as string[],
};

/** Prefix and fuzzy matching; the name counts most. */
export const SEARCH_QUERY_OPTIONS = {
  prefix: true,
  fuzzy: (term: string): number | boolean => (term.length > 3 ? 0.25 : false),
  boost: { name: 4, images: 1.5, category: 1.2, description: 1 },
  combineWith: 'AND' as const,
};

/** Site-relative path of the serialised index. */
export const SEARCH_INDEX_FILE = 'search-index.json';
