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

/** Cards per page of the home page's results (`page` in the URL). */
export const PAGE_SIZE = 24;

/** How many recipes the compare page shows side by side at most. */
export const COMPARE_MAX = 4;

/**
 * The words of a query as the index splits text (MiniSearch's default
 * tokenizer splits on spaces and punctuation), lower case.
 */
export function queryWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[\n\r\p{Z}\p{P}]+/u)
    .filter(Boolean);
}

/** Every way of swapping two neighbouring letters of a word (`froum` → `forum`, `rfoum`, …), for words of 4 letters or more. */
export function transpositions(word: string): string[] {
  if (word.length < 4) return [];
  const out = new Set<string>();
  for (let i = 0; i < word.length - 1; i++) {
    if (word[i] === word[i + 1]) continue;
    out.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  }
  out.delete(word);
  return [...out];
}

/** A MiniSearch query tree for one word: the word (prefix, fuzzy), or the word with two neighbouring letters swapped (prefix only). */
export function wordQuery(
  word: string,
): string | { combineWith: 'OR'; queries: (string | { combineWith: 'OR'; queries: string[]; fuzzy: false; prefix: true })[] } {
  const swapped = transpositions(word);
  return swapped.length ? { combineWith: 'OR', queries: [word, { combineWith: 'OR', queries: swapped, fuzzy: false, prefix: true }] } : word;
}

/** Every word must match (each as `wordQuery` says). */
export function searchQuery(words: readonly string[]): { combineWith: 'AND'; queries: ReturnType<typeof wordQuery>[] } {
  return { combineWith: 'AND', queries: words.map(wordQuery) };
}

/** Optimal string alignment distance (edits, with a swap of neighbours counting as one), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]![j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
