// The catalogue site's script: the home page's search, filters, sort,
// pages and compare picks, and the compare page. Pages work without it
// (every recipe is a card in the home page's HTML; noscript.css shows them
// all). With it, the home page shows one page of cards at a time (only
// those are in the document, so a keystroke lays out a few hundred nodes,
// not tens of thousands), keeps the view in the URL (each filter, sort or
// page change is a history entry, so Back undoes it; typing replaces the
// entry it started), and the compare page renders 2–4 recipes side by side
// from their `recipes/<slug>.json`. Everything is built with DOM calls and
// textContent: no HTML strings.

import { COMPARE_MAX, editDistance, queryWords, SEARCH_INDEX_OPTIONS, SEARCH_QUERY_OPTIONS, type SearchDocument, searchQuery } from '@galley/generator/search';
import MiniSearch from 'minisearch';

/** A card and the values its filters read (from its data-* attributes). */
interface Card {
  el: HTMLElement;
  slug: string;
  name: string;
  title: string;
  released: string;
  status: number;
  behind: number;
  /** The card's value for each facet, in the order of `facets`. */
  values: string[];
  order: number;
  pick: HTMLInputElement | null;
}

/** A facet: a select (one value) or a checkbox (on or off). */
interface Facet {
  key: string;
  control: HTMLSelectElement | HTMLInputElement;
  /** A checkbox's label, whose count changes. */
  label: HTMLLabelElement | null;
  /** What a chip says: the legend or label. */
  name: string;
}

/** Sets text only when it changes (no needless style and layout work). */
function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
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

type Why = 'init' | 'typing' | 'change' | 'popstate';

function startHome(list: HTMLElement): void {
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const query = $<HTMLInputElement>('q');
  const sort = $<HTMLSelectElement>('sort');
  const filtersPanel = $<HTMLElement>('filters');
  const toggle = $<HTMLButtonElement>('filters-toggle');
  const filterCount = $<HTMLElement>('filter-count');
  const active = $<HTMLElement>('active');
  const countEl = $<HTMLElement>('result-count');
  const heading = $<HTMLElement>('results-heading');
  const noResults = $<HTMLElement>('no-results');
  const pager = $<HTMLElement>('pager');
  const tray = $<HTMLElement>('compare-tray');
  const trayNames = $<HTMLElement>('compare-names');
  const trayGo = $<HTMLAnchorElement>('compare-go');
  const pageSize = Number(list.dataset.pageSize) || 24;
  const facets: Facet[] = [...filtersPanel.querySelectorAll<HTMLSelectElement | HTMLInputElement>('[data-facet]')].map((control) => {
    const label = control instanceof HTMLInputElement ? filtersPanel.querySelector<HTMLLabelElement>(`label[for="${control.id}"]`) : null;
    const legend = control.closest('fieldset')?.querySelector('legend')?.textContent ?? '';
    const own = control instanceof HTMLSelectElement ? (filtersPanel.querySelector(`label[for="${control.id}"]`)?.textContent ?? legend) : '';
    return { key: control.dataset.facet!, control, label, name: control instanceof HTMLSelectElement ? own : (label?.dataset.label ?? legend) };
  });
  const cards: Card[] = [...list.querySelectorAll<HTMLElement>(':scope > li.card')].map((card, order) => ({
    el: card,
    slug: card.dataset.slug ?? '',
    name: card.dataset.name ?? '',
    title: card.querySelector('.card-title')?.textContent?.trim() ?? '',
    released: card.dataset.released ?? '',
    status: Number(card.dataset.status || -1),
    behind: card.dataset.behind === '' || card.dataset.behind === undefined ? Number.POSITIVE_INFINITY : Number(card.dataset.behind),
    values: facets.map((f) => card.dataset[f.key] ?? ''),
    order,
    pick: card.querySelector<HTMLInputElement>('.pick input'),
  }));
  const bySlug = new Map(cards.map((c) => [c.slug, c]));
  const total = cards.length;
  let page = 1;
  let picks: string[] = [];
  /** The current history entry was made by typing (more typing replaces it). */
  let typingEntry = false;

  let index: MiniSearch<SearchDocument> | undefined;
  let indexFailed = false;
  const loading = fetch(query.dataset.index ?? 'search-index.json')
    .then((r) => {
      if (!r.ok) throw new Error(`${r.status}`);
      return r.text();
    })
    .then((json) => {
      index = MiniSearch.loadJSON<SearchDocument>(json, SEARCH_INDEX_OPTIONS);
      list.dataset.search = 'ready';
    })
    .catch(() => {
      indexFailed = true;
      list.dataset.search = 'unavailable';
    });

  const controlValue = (f: Facet): string => (f.control instanceof HTMLInputElement ? (f.control.checked ? f.control.value : '') : f.control.value);
  const setControl = (f: Facet, want: string): void => {
    if (f.control instanceof HTMLInputElement) f.control.checked = want !== '' && want === f.control.value;
    else f.control.value = [...f.control.options].some((o) => o.value === want) ? want : '';
  };

  const readUrl = (): void => {
    const params = new URLSearchParams(location.search);
    query.value = params.get('q') ?? '';
    for (const f of facets) setControl(f, params.get(f.control.name) ?? '');
    const wantedSort = params.get('sort') ?? '';
    sort.value = [...sort.options].some((o) => o.value === wantedSort) ? wantedSort : '';
    page = Math.max(1, Math.floor(Number(params.get('page'))) || 1);
    picks = (params.get('compare') ?? '')
      .split(',')
      .filter((s, i, all) => bySlug.has(s) && all.indexOf(s) === i)
      .slice(0, COMPARE_MAX);
  };

  const urlFor = (overrides: { page?: number } = {}): string => {
    const params = new URLSearchParams();
    const q = query.value.trim();
    if (q) params.set('q', q);
    for (const f of facets) {
      const v = controlValue(f);
      if (v) params.set(f.control.name, v);
    }
    if (sort.value) params.set('sort', sort.value);
    const p = overrides.page ?? page;
    if (p > 1) params.set('page', String(p));
    if (picks.length) params.set('compare', picks.join(','));
    const search = params.toString();
    return `${location.pathname}${search ? `?${search}` : ''}${location.hash}`;
  };

  const writeUrl = (why: Why): void => {
    if (why === 'popstate') return;
    const url = urlFor();
    if (url === `${location.pathname}${location.search}${location.hash}`) return;
    if (why === 'init' || (why === 'typing' && typingEntry)) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    typingEntry = why === 'typing';
  };

  /** slug → search score, or undefined when there is no query. */
  const searchScores = (words: string[]): Map<string, number> | undefined => {
    if (!words.length || !index) return undefined;
    const scores = new Map<string, number>();
    for (const result of index.search(searchQuery(words), SEARCH_QUERY_OPTIONS)) scores.set(String(result.id), result.score);
    return scores;
  };

  const clearFilters = (): void => {
    for (const f of facets) setControl(f, '');
    page = 1;
  };

  /** The box shown when nothing matches: what did not match, the nearest names, and ways out. */
  const explainNothing = (words: string[], filtered: boolean): void => {
    const parts: HTMLElement[] = [];
    if (words.length && index) {
      const missing = words.filter((w) => index!.search(searchQuery([w]), SEARCH_QUERY_OPTIONS).length === 0);
      const found = words.filter((w) => !missing.includes(w));
      if (missing.length) {
        parts.push(el('p', {}, `Nothing matches ${missing.map((w) => `“${w}”`).join(', ')}.`));
        if (found.length) {
          const retry = el('button', { type: 'button', className: 'linklike' }, `Search for ${found.map((w) => `“${w}”`).join(' ')} instead`);
          retry.addEventListener('click', () => {
            query.value = found.join(' ');
            update('change');
          });
          parts.push(el('p', {}, retry));
        }
      } else parts.push(el('p', {}, `No recipe matches all of ${words.map((w) => `“${w}”`).join(' ')}${filtered ? ' with these filters' : ''}.`));
      const text = words.join(' ');
      const nearest = cards
        .map((c) => ({ c, d: editDistance(text, c.name.slice(0, Math.max(text.length, 1) + 2)) }))
        .filter((x) => x.d <= Math.max(2, Math.floor(text.length / 2)))
        .sort((a, b) => a.d - b.d || a.c.order - b.c.order)
        .slice(0, 3);
      if (nearest.length) {
        const p = el('p', {}, 'Did you mean ');
        nearest.forEach(({ c }, i) => {
          const link = el('a', { href: c.el.querySelector<HTMLAnchorElement>('.card-title a')?.getAttribute('href') ?? '#' }, c.title);
          p.append(...(i ? [i === nearest.length - 1 ? ' or ' : ', '] : []), link);
        });
        p.append('?');
        parts.push(p);
      }
    } else parts.push(el('p', {}, 'No recipe passes every filter.'));
    const actions = el('p', {});
    if (filtered) {
      const b = el('button', { type: 'button', className: 'secondary', id: 'no-results-clear-filters' }, 'Clear filters');
      b.addEventListener('click', () => {
        clearFilters();
        update('change');
      });
      actions.append(b, ' ');
    }
    if (words.length) {
      const b = el('button', { type: 'button', className: 'secondary', id: 'no-results-clear-search' }, 'Clear search');
      b.addEventListener('click', () => {
        query.value = '';
        update('change');
        query.focus();
      });
      actions.append(b);
    }
    parts.push(actions);
    noResults.replaceChildren(...parts);
  };

  const renderChips = (q: string): number => {
    const chips: HTMLElement[] = [];
    const chip = (text: string, clear: () => void): void => {
      const b = el('button', { type: 'button', className: 'chip', title: `Remove: ${text}` }, text);
      b.addEventListener('click', () => {
        clear();
        update('change');
      });
      chips.push(b);
    };
    if (q) chip(`Search: “${q}”`, () => (query.value = ''));
    let n = 0;
    for (const f of facets) {
      const v = controlValue(f);
      if (!v) continue;
      n++;
      const label = f.control instanceof HTMLSelectElement ? `${f.name}: ${f.control.selectedOptions[0]?.dataset.label ?? v}` : f.name;
      chip(label, () => {
        setControl(f, '');
        page = 1;
      });
    }
    if (chips.length) active.replaceChildren(...chips);
    else active.replaceChildren(el('span', { className: 'none-active' }, 'No filters'));
    return n;
  };

  const renderPager = (pages: number): void => {
    const parts: (Node | string)[] = [];
    const link = (p: number, text: string, rel: string): HTMLElement => {
      const a = el('a', { href: urlFor({ page: p }), rel, className: `pager-${rel}` }, text);
      a.addEventListener('click', (event) => {
        event.preventDefault();
        page = p;
        update('change');
        heading.scrollIntoView({ block: 'start' });
      });
      return a;
    };
    const off = (text: string, cls: string) => el('span', { className: cls, ariaDisabled: 'true' }, text);
    if (pages > 1) {
      parts.push(page > 1 ? link(page - 1, 'Previous', 'prev') : off('Previous', 'pager-prev'), ' ');
      parts.push(el('span', { className: 'pager-at' }, `Page ${page} of ${pages}`), ' ');
      parts.push(page < pages ? link(page + 1, 'Next', 'next') : off('Next', 'pager-next'));
    }
    pager.replaceChildren(...parts);
  };

  const renderTray = (): void => {
    for (const c of cards) if (c.pick) c.pick.checked = picks.includes(c.slug);
    tray.hidden = picks.length === 0;
    if (!picks.length) return;
    const names = picks.map((s) => bySlug.get(s)?.title ?? s);
    setText(trayNames, `Compare ${names.join(', ')}${picks.length < 2 ? ' (pick one more)' : picks.length >= COMPARE_MAX ? ` (at most ${COMPARE_MAX})` : ''}`);
    trayGo.href = `compare.html?r=${picks.map(encodeURIComponent).join(',')}`;
    trayGo.toggleAttribute('aria-disabled', picks.length < 2);
  };

  const update = (why: Why): void => {
    const q = query.value.trim();
    const words = queryWords(q);
    const scores = searchScores(words);
    const wanted = facets.map((f) => controlValue(f));
    // For each card: how many facets (and which one) it fails. A card counts
    // for a facet's options when it fails nothing, or only that facet.
    const failures = new Int32Array(cards.length);
    const failedFacet = new Int32Array(cards.length).fill(-1);
    for (let c = 0; c < cards.length; c++) {
      const card = cards[c]!;
      if (scores && !scores.has(card.slug)) failures[c] = 1 + facets.length;
      for (let i = 0; i < facets.length && failures[c]! < 2; i++) {
        if (!matches(facets[i]!.key, card.values[i]!, wanted[i]!)) {
          failures[c]!++;
          failedFacet[c] = i;
        }
      }
    }
    facets.forEach((f, i) => {
      const options = f.control instanceof HTMLSelectElement ? [...f.control.options] : null;
      const values = options ? options.map((o) => o.value) : [f.control.value];
      const counts = values.map(() => 0);
      for (let c = 0; c < cards.length; c++) {
        if (failures[c] === 0 || (failures[c] === 1 && failedFacet[c] === i)) {
          const have = cards[c]!.values[i]!;
          for (let o = 0; o < values.length; o++) if (matches(f.key, have, values[o]!)) counts[o]!++;
        }
      }
      if (options) {
        for (let o = 0; o < options.length; o++) setText(options[o]!, `${options[o]!.dataset.label ?? options[o]!.value} (${counts[o]})`);
      } else if (f.label) setText(f.label, `${f.label.dataset.label ?? ''} (${counts[0]})`);
    });

    const visible = cards.filter((_, c) => failures[c] === 0);
    const byName = (a: Card, b: Card): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.order - b.order);
    const order = sort.value || (scores ? 'relevance' : 'name');
    if (order === 'relevance' && scores) visible.sort((a, b) => scores.get(b.slug)! - scores.get(a.slug)! || byName(a, b));
    else if (order === 'newest') visible.sort((a, b) => (a.released === b.released ? byName(a, b) : a.released < b.released ? 1 : -1));
    else if (order === 'status') visible.sort((a, b) => b.status - a.status || byName(a, b));
    else if (order === 'fresh') visible.sort((a, b) => a.behind - b.behind || byName(a, b));
    else visible.sort(byName);

    const pages = Math.max(1, Math.ceil(visible.length / pageSize));
    page = Math.min(Math.max(1, page), pages);
    const shown = visible.slice((page - 1) * pageSize, page * pageSize);
    // Only this page's cards are in the document.
    const current = list.children;
    let same = current.length === shown.length;
    for (let i = 0; same && i < shown.length; i++) same = current[i] === shown[i]!.el;
    if (!same) list.replaceChildren(...shown.map((c) => c.el));

    const filteredByFacets = wanted.some(Boolean);
    const filtered = filteredByFacets || scores !== undefined;
    setText(heading, filtered ? 'Matching recipes' : 'All recipes');
    let text = filtered ? `${visible.length} of ${total} recipes` : `${total} recipes`;
    if (pages > 1) text += ` · page ${page} of ${pages}`;
    if (words.length && !index) text += indexFailed ? ' (search is unavailable: the index could not be loaded)' : ' (loading the search index…)';
    setText(countEl, text);
    const nothing = visible.length === 0 && (index !== undefined || !words.length);
    if (nothing) explainNothing(words, filteredByFacets);
    noResults.hidden = !nothing;
    const n = renderChips(q);
    setText(filterCount, n ? ` (${n})` : '');
    renderPager(pages);
    renderTray();
    writeUrl(why);
  };

  readUrl();
  update('init');
  void loading.then(() => {
    if (query.value.trim()) update('popstate');
  });

  query.addEventListener('input', () => {
    page = 1;
    update('typing');
  });
  query.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') typingEntry = false;
  });
  const onChange = (): void => {
    page = 1;
    update('change');
  };
  filtersPanel.addEventListener('change', onChange);
  sort.addEventListener('change', onChange);
  $<HTMLButtonElement>('clear').addEventListener('click', () => {
    query.value = '';
    clearFilters();
    sort.value = '';
    update('change');
  });
  toggle.addEventListener('click', () => {
    const open = !filtersPanel.classList.contains('open');
    filtersPanel.classList.toggle('open', open);
    toggle.setAttribute('aria-expanded', String(open));
  });
  list.addEventListener('change', (event) => {
    const box = event.target as HTMLInputElement;
    if (box.name !== 'compare') return;
    if (box.checked && !picks.includes(box.value)) {
      if (picks.length >= COMPARE_MAX) box.checked = false;
      else picks.push(box.value);
    } else if (!box.checked) picks = picks.filter((s) => s !== box.value);
    renderTray();
    history.replaceState(null, '', urlFor());
  });
  $<HTMLButtonElement>('compare-clear').addEventListener('click', () => {
    picks = [];
    renderTray();
    history.replaceState(null, '', urlFor());
  });
  addEventListener('popstate', () => {
    typingEntry = false;
    readUrl();
    update('popstate');
  });

  // For benchmarks and tests: run a query against the loaded index.
  (window as unknown as { galleySearch?: (q: string) => Promise<string[]> }).galleySearch = async (q: string) => {
    await loading;
    return index ? index.search(searchQuery(queryWords(q)), SEARCH_QUERY_OPTIONS).map((r) => String(r.id)) : [];
  };
}

interface CompareData {
  key: string;
  name: string;
  page: string;
  icon: string | null;
  summary: string;
  category: string;
  scores: { label: string; display: string; tone: string }[];
  latest: { version: string; date: string | null } | null;
  releases: number;
  behind: { level: string; text: string; days: number | null };
  upgrades: { service: string; current: string; newest: string | null; kind: string | null; daysBehind: number | null }[];
  lint: { errors: number; warnings: number; infos: number; text: string } | null;
  pinned: boolean | null;
  unpinned: string[];
  services: { service: string; image: string; tag: string; digest: string }[];
  licence: string | null;
  maintainers: string[];
  flags: { deprecated: string | null; unmaintained: boolean; stale: string | null; recent: boolean };
}

function startCompare(root: HTMLElement): void {
  const table = document.getElementById('compare-table') as HTMLTableElement;
  const status = document.getElementById('compare-status')!;
  const input = document.getElementById('compare-add') as HTMLInputElement;
  const names = new Map<string, string>();
  for (const option of document.querySelectorAll<HTMLOptionElement>('#recipe-names option')) names.set(option.value, option.textContent ?? option.value);
  const byName = new Map([...names].map(([slug, name]) => [name.toLowerCase(), slug]));
  const cache = new Map<string, Promise<CompareData | undefined>>();
  const load = (slug: string): Promise<CompareData | undefined> => {
    let known = cache.get(slug);
    if (!known) {
      known = fetch(`recipes/${encodeURIComponent(slug)}.json`)
        .then((r) => (r.ok ? (r.json() as Promise<CompareData>) : undefined))
        .catch(() => undefined);
      cache.set(slug, known);
    }
    return known;
  };
  const chosen = (): string[] =>
    (new URLSearchParams(location.search).get('r') ?? '')
      .split(',')
      .filter((s, i, all) => names.has(s) && all.indexOf(s) === i)
      .slice(0, COMPARE_MAX);
  const go = (slugs: string[]): void => {
    const search = slugs.length ? `?r=${slugs.map(encodeURIComponent).join(',')}` : '';
    history.pushState(null, '', `${location.pathname}${search}`);
    void render();
  };

  const cell = (value: string | Node | (string | Node)[]): HTMLTableCellElement => {
    const td = el('td');
    td.append(...(Array.isArray(value) ? value : [value]));
    return td;
  };
  const list = (items: string[]): HTMLElement | string => (items.length ? el('ul', {}, ...items.map((i) => el('li', {}, i))) : '—');

  const render = async (): Promise<void> => {
    const slugs = chosen();
    const data = (await Promise.all(slugs.map(load))).filter((d): d is CompareData => d !== undefined);
    root.dataset.ready = 'true';
    if (data.length === 0) {
      table.hidden = true;
      setText(status, 'Pick 2 to 4 recipes: add them here, or tick “Compare” on the recipes’ cards.');
      return;
    }
    setText(status, data.length < 2 ? 'Add one more recipe to compare.' : `Comparing ${data.length} recipes.`);
    const head = el('tr', {}, el('th', { scope: 'col' }, 'Recipe'));
    for (const d of data) {
      const remove = el('button', { type: 'button', className: 'secondary remove' }, `Remove ${d.name}`);
      remove.addEventListener('click', () => go(slugs.filter((s) => s !== d.key && names.get(s) !== d.name)));
      head.append(el('th', { scope: 'col' }, el('a', { href: d.page }, d.name), el('br'), remove));
    }
    const rows: [string, (d: CompareData) => string | Node | (string | Node)[]][] = [
      ['Summary', (d) => d.summary || '—'],
      ['Category', (d) => d.category],
      ...(data[0]!.scores.map((s, i) => [
        s.label,
        (d: CompareData) => el('span', { className: `score tone-${d.scores[i]?.tone ?? 'none'}` }, d.scores[i]?.display ?? '—'),
      ]) as [string, (d: CompareData) => Node][]),
      ['Latest version', (d) => (d.latest ? [el('code', {}, d.latest.version), d.latest.date ? ` (${d.latest.date})` : ''] : 'no release yet')],
      ['Releases', (d) => String(d.releases)],
      ['Upstream', (d) => el('span', { className: `behind behind-${d.behind.level}` }, d.behind.text)],
      [
        'Newest upstream tags',
        (d) =>
          list(
            d.upgrades.map(
              (u) =>
                `${u.service}: ${u.current} → ${u.newest ? `${u.newest} (${u.kind}${u.daysBehind !== null ? `, ${u.daysBehind} days behind` : ''})` : 'up to date'}`,
            ),
          ),
      ],
      [
        'Lint',
        (d) =>
          d.lint ? el('span', { className: d.lint.errors ? 'lint-errors' : d.lint.warnings ? 'lint-warnings' : 'lint-clean' }, d.lint.text) : 'not linted',
      ],
      ['Images pinned', (d) => (d.pinned === null ? '—' : d.pinned ? 'every image' : [el('span', { className: 'unpinned' }, 'no: '), d.unpinned.join(', ')])],
      ['Services and images', (d) => list(d.services.map((s) => `${s.service}: ${s.image}:${s.tag}`))],
      ['Licence', (d) => d.licence ?? 'not stated'],
      ['Maintainers', (d) => (d.maintainers.length ? d.maintainers.join(', ') : 'not stated')],
      [
        'Flags',
        (d) =>
          [d.flags.deprecated ? 'deprecated' : '', d.flags.unmaintained ? 'unmaintained' : '', d.flags.stale ? `not refreshed since ${d.flags.stale}` : '']
            .filter(Boolean)
            .join(', ') || 'none',
      ],
    ];
    const body = rows.map(([label, value]) => el('tr', {}, el('th', { scope: 'row' }, label), ...data.map((d) => cell(value(d)))));
    table.tHead!.replaceChildren(head);
    table.tBodies[0]!.replaceChildren(...body);
    table.hidden = false;
  };

  const add = (): void => {
    const text = input.value.trim();
    const slug = names.has(text) ? text : byName.get(text.toLowerCase());
    const slugs = chosen();
    if (!slug) {
      setText(status, text ? `No recipe is called “${text}”.` : 'Type a recipe’s name to add it.');
      return;
    }
    input.value = '';
    if (slugs.includes(slug)) return;
    if (slugs.length >= COMPARE_MAX) {
      setText(status, `At most ${COMPARE_MAX} recipes: remove one first.`);
      return;
    }
    go([...slugs, slug]);
  };
  document.getElementById('compare-add-button')!.addEventListener('click', add);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') add();
  });
  addEventListener('popstate', () => void render());
  void render();
}

function start(): void {
  const cards = document.getElementById('cards');
  if (cards && document.getElementById('q')) startHome(cards);
  const compare = document.getElementById('compare');
  if (compare) startCompare(compare);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
