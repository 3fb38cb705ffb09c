// The catalogue home page's search, filters and sort. The page works
// without this script (every recipe is a card in the HTML); the script
// shows the search form, searches the prebuilt MiniSearch index, filters
// and sorts the cards, updates the facet counts, and keeps the view in the
// URL so it can be shared and survives a reload.

import { SEARCH_INDEX_OPTIONS, SEARCH_QUERY_OPTIONS, type SearchDocument } from '@galley/generator/search';
import MiniSearch from 'minisearch';

/** A card and the values its filters read (from its data-* attributes). */
interface Card {
  el: HTMLElement;
  slug: string;
  name: string;
  released: string;
  status: number;
  /** The card's value for each facet, in the order of `facets`. */
  values: string[];
  order: number;
}

/** A facet: a select (one value) or a checkbox (on or off). */
interface Facet {
  key: string;
  control: HTMLSelectElement | HTMLInputElement;
  /** A checkbox's label, whose count changes. */
  label: HTMLLabelElement | null;
}

/** Sets text only when it changes (no needless style and layout work). */
function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
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
    label: control instanceof HTMLInputElement ? form.querySelector<HTMLLabelElement>(`label[for="${control.id}"]`) : null,
  }));
  const cards: Card[] = [...list.querySelectorAll<HTMLElement>(':scope > li.card')].map((el, order) => {
    const values = facets.map((f) => el.dataset[f.key] ?? '');
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
      form.dataset.search = 'ready';
    })
    .catch(() => {
      indexFailed = true;
      form.dataset.search = 'unavailable';
    });

  /** Current value of a facet control ('' when off). */
  const controlValue = (f: Facet): string => (f.control instanceof HTMLInputElement ? (f.control.checked ? f.control.value : '') : f.control.value);

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
      const v = controlValue(f);
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
    const wanted = facets.map((f) => controlValue(f));
    // For each card: how many facets (and which one) it fails. A card counts
    // for a facet's options when it fails nothing, or only that facet.
    const failures = new Int32Array(cards.length);
    const failedFacet = new Int32Array(cards.length).fill(-1);
    cards.forEach((card, c) => {
      if (scores && !scores.has(card.slug)) failures[c] = 1 + facets.length; // out of every pool
      for (let i = 0; i < facets.length && failures[c]! < 2; i++) {
        if (!matches(facets[i]!.key, card.values[i]!, wanted[i]!)) {
          failures[c]!++;
          failedFacet[c] = i;
        }
      }
    });

    // Facet counts: how many cards each option would show, with the other filters as they are.
    facets.forEach((f, i) => {
      const options = f.control instanceof HTMLSelectElement ? [...f.control.options].map((o) => o.value) : [f.control.value];
      const counts = options.map(() => 0);
      cards.forEach((card, c) => {
        if (failures[c] === 0 || (failures[c] === 1 && failedFacet[c] === i)) {
          options.forEach((want, o) => {
            if (matches(f.key, card.values[i]!, want)) counts[o]!++;
          });
        }
      });
      if (f.control instanceof HTMLSelectElement) {
        [...f.control.options].forEach((option, o) => {
          setText(option, `${option.dataset.label ?? option.value} (${counts[o]})`);
        });
      } else if (f.label) setText(f.label, `${f.label.dataset.label ?? ''} (${counts[0]})`);
    });

    const visible = cards.filter((_, c) => failures[c] === 0);
    const byName = (a: Card, b: Card): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.order - b.order);
    const order = sort.value || (scores ? 'relevance' : 'name');
    const sorted = [...visible];
    if (order === 'relevance' && scores) sorted.sort((a, b) => scores.get(b.slug)! - scores.get(a.slug)! || byName(a, b));
    else if (order === 'newest') sorted.sort((a, b) => (a.released === b.released ? byName(a, b) : a.released < b.released ? 1 : -1));
    else if (order === 'status') sorted.sort((a, b) => b.status - a.status || byName(a, b));
    else sorted.sort(byName);

    // Touch the DOM only where something changed: hidden flags, then the
    // order of the shown cards (hidden ones may stay where they are).
    cards.forEach((card, c) => {
      const hide = failures[c] !== 0;
      if (card.el.hidden !== hide) card.el.hidden = hide;
    });
    let inOrder = true;
    for (let i = 0, el = list.firstElementChild; i < sorted.length; i++, el = el?.nextElementSibling ?? null) {
      if (el !== sorted[i]!.el) {
        inOrder = false;
        break;
      }
    }
    if (!inOrder) list.prepend(...sorted.map((c) => c.el));

    const filtered = visible.length !== total || scores !== undefined;
    setText(heading, filtered ? 'Matching recipes' : 'All recipes');
    const q = query.value.trim();
    let text = filtered ? `${visible.length} of ${total} recipes` : `${total} recipes`;
    if (q && !index) text += indexFailed ? ' (search is unavailable: the index could not be loaded)' : ' (loading the search index…)';
    setText(countEl, text);
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
