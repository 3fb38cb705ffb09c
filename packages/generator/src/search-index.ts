import MiniSearch from 'minisearch';
import { SEARCH_INDEX_OPTIONS, type SearchDocument } from './search-options.js';
import type { RecipeView } from './view-model.js';

export function searchDocuments(recipes: readonly RecipeView[]): SearchDocument[] {
  return recipes.map((r) => ({ id: r.slug, name: r.name, description: r.summary, category: r.category, images: r.images.join(' ') }));
}

/** The MiniSearch index over every recipe, serialised (the client loads it without re-indexing). */
export function buildSearchIndex(recipes: readonly RecipeView[]): string {
  const index = new MiniSearch<SearchDocument>(SEARCH_INDEX_OPTIONS);
  index.addAll(searchDocuments(recipes));
  return JSON.stringify(index);
}
