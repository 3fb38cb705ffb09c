// The catalogue home page's search, filters and sort. The page works
// without this script (every recipe is a card in the HTML); the script
// shows the search form, searches the prebuilt MiniSearch index, filters
// and sorts the cards, updates the facet counts, and keeps the view in the
// URL so it can be shared and survives a reload.
import MiniSearch from 'minisearch';
import { SEARCH_INDEX_OPTIONS, SEARCH_QUERY_OPTIONS, type SearchDocument } from '@galley/generator/search';

/** A card and the values its filters read (from its data-* attributes). */
interface Card {
  el: HTMLElement;
  slug: string;
  name: string;
  released: string;
  status: number;
  /** facet key → the card's value for it. */
  values: Map<string, string>;
  order: number;
}

/** A facet: a select (one value) or a checkbox (on or off). */
interface Facet {
  key: string;
  control: HTMLSelectElement | HTMLInputElement;
}

const SCORE_FACETS = new Set(['status', 'image', 'healthcheck', 'backups', 'email', 'sso', 'tests']);

/** Does a card's value for facet `key` match the wanted value? (Rule shared with filters.ts.) */
function matches(key: string, have: string, want: string): boolean {
  if (want === '') return true;
  if (!SCORE_FACETS.has(key)) return have === want;
  if (want === 'na') return have === 'na';
  if (want === 'no') return have === '0';
  const n = Number(want);
  return have !== '' && have !== 'na' && Number(have) >= n;
}

function start(): void {
  const form = document.getElementById('finder') as HTMLFormElement | null;
  const list = document.getElementById('cards');
  const countEl = document.getElementById('result-count');
  const heading = document.getElementById('results-heading');
  if (!form || !list || !countEl || !heading) return;
  const query = form.querySelector<HTMLInputElement>('#q')!;
  const sort = form.querySelector<HTMLSelectElement>('#sort')!;
  const clear = form.querySelector<HTMLButtonElement>('#clear')!;
  const facets: Facet[] = [...form.querySelectorAll<HTMLSelectElement | HTMLInputElement>('[data-facet]')].map((control) => ({
    key: control.dataset.facet!,
    control,
  }));
  const cards: Card[] = [...list.querySelectorAll<HTMLElement>(':scope > li.card')].map((el, order) => {
    const values = new Map<string, string>();
    for (const f of facets) values.set(f.key, el.dataset[f.key] ?? '');
    return {
      el,
      slug: el.dataset.slug ?? '',
      name: el.dataset.name ?? '',
      released: el.dataset.released ?? '',
      status: Number(el.dataset.status || -1),
      values,
      order,
    };
  });
  const total = cards.length;

  let index: MiniSearch<SearchDocument> | undefined;
  let indexFailed = false;
  const indexUrl = form.dataset.index ?? 'search-index.json';
  const loading = fetch(indexUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`${r.status}`);
      return r.text();
    })
    .then((json) => {
      index = MiniSearch.loadJSON<SearchDocument>(json, SEARCH_INDEX_OPTIONS);
    })
    .catch(() => {
      indexFailed = true;
    });

  /** Current value of a facet control ('' when off). */
  const valueOf = (f: Facet): string =>
    f.control instanceof HTMLInputElement ? (f.control.checked ? f.control.value : '') : f.control.value;

  const setFromUrl = (): void => {
    const params = new URLSearchParams(location.search);
    query.value = params.get('q') ?? '';
    for (const f of facets) {
      const want = params.get(f.control.name) ?? '';
      if (f.control instanceof HTMLInputElement) f.control.checked = want !== '' && want === f.control.value;
      else f.control.value = [...f.control.options].some((o) => o.value === want) ? want : '';
    }
    const wantedSort = params.get('sort') ?? '';
    sort.value = [...sort.options].some((o) => o.value === wantedSort) ? wantedSort : '';
  };

  const writeUrl = (): void => {
    const params = new URLSearchParams();
    const q = query.value.trim();
    if (q) params.set('q', q);
    for (const f of facets) {
      const v = valueOf(f);
      if (v) params.set(f.control.name, v);
    }
    if (sort.value) params.set('sort', sort.value);
    const search = params.toString();
    const url = `${location.pathname}${search ? `?${search}` : ''}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
  };

  /** slug → search score, or undefined when there is no query. */
  const searchScores = (): Map<string, number> | undefined => {
    const q = query.value.trim();
    if (!q || !index) return undefined;
    const scores = new Map<string, number>();
    // Every word must match; when nothing matches them all, any word will do.
    let results = index.search(q, SEARCH_QUERY_OPTIONS);
    if (results.length === 0) results = index.search(q, { ...SEARCH_QUERY_OPTIONS, combineWith: 'OR' });
    for (const result of results) scores.set(String(result.id), result.score);
    return scores;
  };

  const update = (): void => {
    const scores = searchScores();
    const wanted = facets.map((f) => valueOf(f));
    const passesOthers = (card: Card, skip: number): boolean => {
      if (scores && !scores.has(card.slug)) return false;
      for (let i = 0; i < facets.length; i++) {
        if (i === skip) continue;
        if (!matches(facets[i]!.key, card.values.get(facets[i]!.key)!, wanted[i]!)) return false;
      }
      return true;
    };

    // Facet counts: how many cards each option would show, with the other filters as they are.
    facets.forEach((f, i) => {
      const pool = cards.filter((c) => passesOthers(c, i));
      const count = (want: string): number => pool.reduce((n, c) => n + (matches(f.key, c.values.get(f.key)!, want) ? 1 : 0), 0);
      if (f.control instanceof HTMLSelectElement) {
        for (const option of f.control.options) option.textContent = `${option.dataset.label ?? option.value} (${count(option.value)})`;
      } else {
        const label = form.querySelector<HTMLLabelElement>(`label[for="${f.control.id}"]`);
        if (label) label.textContent = `${label.dataset.label ?? ''} (${count(f.control.value)})`;
      }
    });

    const visible = cards.filter((c) => passesOthers(c, -1));
    const byName = (a: Card, b: Card): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.order - b.order);
    const order = sort.value || (scores ? 'relevance' : 'name');
    const sorted = [...visible];
    if (order === 'relevance' && scores) sorted.sort((a, b) => scores.get(b.slug)! - scores.get(a.slug)! || byName(a, b));
    else if (order === 'newest') sorted.sort((a, b) => (a.released === b.released ? byName(a, b) : a.released < b.released ? 1 : -1));
    else if (order === 'status') sorted.sort((a, b) => b.status - a.status || byName(a, b));
    else sorted.sort(byName);

    const shown = new Set(sorted);
    for (const c of cards) c.el.hidden = !shown.has(c);
    // Move only when the order changed: keeps focus and avoids layout work.
    const current = [...list.children];
    if (sorted.some((c, i) => current[i] !== c.el)) {
      const fragment = document.createDocumentFragment();
      for (const c of sorted) fragment.append(c.el);
      for (const c of cards) if (!shown.has(c)) fragment.append(c.el);
      list.append(fragment);
    }

    const filtered = visible.length !== total || scores !== undefined;
    heading.textContent = filtered ? 'Matching recipes' : 'All recipes';
    const q = query.value.trim();
    let text = filtered ? `${visible.length} of ${total} recipes` : `${total} recipes`;
    if (q && !index) text += indexFailed ? ' (search is unavailable: the index could not be loaded)' : ' (loading the search index…)';
    countEl.textContent = text;
    writeUrl();
  };

  form.hidden = false;
  setFromUrl();
  update();
  void loading.then(() => {
    if (query.value.trim()) update();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update();
  });
  query.addEventListener('input', update);
  form.addEventListener('change', update);
  clear.addEventListener('click', () => {
    query.value = '';
    for (const f of facets) {
      if (f.control instanceof HTMLInputElement) f.control.checked = false;
      else f.control.value = '';
    }
    sort.value = '';
    update();
    query.focus();
  });
  addEventListener('popstate', () => {
    setFromUrl();
    update();
  });

  // For benchmarks and tests: run a query against the loaded index.
  (window as unknown as { galleySearch?: (q: string) => Promise<string[]> }).galleySearch = async (q: string) => {
    await loading;
    return index ? index.search(q, SEARCH_QUERY_OPTIONS).map((r) => String(r.id)) : [];
  };
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
