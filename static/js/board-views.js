// The board page's filter and views: the filter read from and written to the URL (filters.js), the
// filter bar (filter-bar.js), and which view shows the cards — the board's zones (matching cards
// highlighted, others dimmed), the timeline by visit or the list by zone (non-matching cards hidden).
// board.js calls render() from its own render, with the cards and the board's zones.

import { FilterBar } from './filter-bar.js';
import { compileFilter, emptyFilter, filterOptions, filterSearch, parseFilter, resolveView } from './filters.js';
import { ListView } from './list-view.js';
import { TimelineView } from './timeline-view.js';
import { $, h, readJson } from './ui.js';

const NARROW = '(max-width: 47.99rem)';
const URL_DELAY = 250; // ms of quiet typing before the URL follows the search box

/** Themes as [{id, title}] from an array, a Map or an object keyed by id (deleted ones left out). */
export function themeList(themes) {
  const list = themes instanceof Map ? [...themes.values()] : Array.isArray(themes) ? themes : Object.values(themes || {});
  return list.filter((th) => th && th.id && !th.deleted);
}

/**
 * boardView: the board's own view (CardsView or the zones view): `setMatcher(fn|null)` when it has it,
 *   its element (`boardEl()`) is hidden while another view shows;
 * makeCardsView(list): a CardsView with the page's hooks, for the other views;
 * scheduleRender(); showToast(message, options); t: the page's strings (kinds).
 */
export function createBoardViews({ boardView, boardEl, makeCardsView, scheduleRender, showToast, t: pageT = {}, locale = 'fr' }) {
  const t = readJson('i18n-views');
  const narrowQuery = window.matchMedia(NARROW);
  let filter = parseFilter(location.search);
  let themes = [];
  let compiled = { key: null, test: null };
  let urlTimer = null;
  let lastMatcher;
  let announcedKey = null;

  const bar = new FilterBar({
    t,
    locale,
    onChange(patch) {
      filter = { ...filter, ...patch };
      if ('q' in patch) {
        clearTimeout(urlTimer);
        urlTimer = setTimeout(writeUrl, URL_DELAY);
      } else {
        writeUrl();
      }
      if ('view' in patch) {
        // Keep the switcher in sight: the new view starts just below it.
        const top = $('filters').getBoundingClientRect().top + window.scrollY;
        if (window.scrollY > top) window.scrollTo({ top });
      }
      scheduleRender();
    },
    onClear() {
      filter = { ...emptyFilter(), view: filter.view };
      writeUrl();
      scheduleRender();
    },
    onCopy: copyLink,
  });

  // The other views live next to the board's own element.
  const anchor = boardEl();
  const timelineRoot = h('section', 'board-view board-view--timeline');
  const listRoot = h('section', 'board-view board-view--list');
  timelineRoot.id = 'board-timeline';
  listRoot.id = 'board-list';
  timelineRoot.hidden = true;
  listRoot.hidden = true;
  timelineRoot.setAttribute('aria-label', $('view-switch').querySelector('input[value="timeline"]').parentElement.textContent.trim());
  listRoot.setAttribute('aria-label', $('view-switch').querySelector('input[value="list"]').parentElement.textContent.trim());
  anchor.after(timelineRoot, listRoot);
  const timeline = new TimelineView({ root: timelineRoot, t, locale, makeCardsView: makeView });
  const list = new ListView({ root: listRoot, t, locale, makeCardsView: makeView });
  const views = { timeline, list };

  // The other views' cards get the board's decorators (tags, votes, comments… of other features),
  // read live so that decorators added later apply too, and are redecorated with the board's.
  function makeView(element) {
    const cardsView = makeCardsView(element);
    if (Array.isArray(boardView.decorators)) {
      cardsView.addDecorator((card, root) => {
        for (const fn of boardView.decorators) {
          try {
            fn(card, root);
          } catch (error) {
            console.error('card decorator failed', error);
          }
        }
      });
    }
    return cardsView;
  }
  if (typeof boardView.redecorate === 'function') {
    const redecorate = boardView.redecorate.bind(boardView);
    boardView.redecorate = (id = null) => {
      redecorate(id);
      for (const other of Object.values(views)) {
        for (const group of other.groups.groups.values()) group.view.redecorate(id);
      }
    };
  }

  narrowQuery.addEventListener('change', () => !filter.view && scheduleRender());

  function writeUrl() {
    clearTimeout(urlTimer);
    const search = filterSearch(filter, location.search);
    if (search === location.search) return;
    history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
  }

  async function copyLink() {
    writeUrl();
    const url = location.href;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      // Not a secure context (http on a LAN address): the old way.
      const area = h('textarea', 'visually-hidden');
      area.value = url;
      area.setAttribute('readonly', '');
      document.body.append(area);
      area.select();
      try {
        copied = document.execCommand('copy');
      } catch {
        copied = false;
      }
      area.remove();
    }
    showToast(copied ? t.copied : t.copy_failed, { kind: copied ? '' : 'error' });
  }

  /** The view shown now. */
  function current() {
    return resolveView(filter, narrowQuery.matches);
  }

  function matcher(zoneIds) {
    const themeIds = new Set(themes.map((th) => th.id));
    const key = JSON.stringify([filter, [...zoneIds], filter.theme ? [...themeIds] : []]);
    if (compiled.key !== key) compiled = { key, test: compileFilter(filter, { zoneIds, themeIds }) };
    return compiled.test;
  }

  function editingIds(view) {
    return view ? view.groups.editingIds() : new Set();
  }

  /**
   * Shows `cards` in the current view. ctx: {zones, visits, themes?, ready, options} — options go to
   * CardsView.render (isNew, onOrphan, onRemoved). Returns {view, test}: board.js renders the board's
   * own view only when `view` is "board".
   */
  function render(cards, { zones = [], visits = new Map(), themes: given, ready = true, options = {} } = {}) {
    if (given) themes = themeList(given);
    const view = current();
    const zoneIds = new Set(zones.map((z) => z.id));
    const test = matcher(zoneIds);
    const matching = test ? cards.filter(test) : cards;

    bar.show(filter, view);
    bar.options(filterOptions(cards, {
      visits, zones, themes, kinds: pageT.kinds || {}, locale,
      none: { visit: t.no_visit, theme: t.no_theme, author: t.unknown_author }, current: filter,
    }), { themes: themes.length > 0, filter });

    anchor.hidden = view !== 'board';
    timelineRoot.hidden = view !== 'timeline';
    listRoot.hidden = view !== 'list';

    let shown = cards.length;
    let editing = false;
    if (view === 'board') {
      applyBoardMatcher(test);
    } else {
      const other = views[view];
      const keep = editingIds(other);
      editing = keep.size > 0;
      const visible = test ? cards.filter((c) => test(c) || keep.has(c.id)) : cards;
      shown = visible.length;
      if (view === 'timeline') timeline.render(visible, visits, options);
      else list.render(visible, zones, { filtered: Boolean(test) || cards.length === 0, visits, ...options });
    }
    // The count is read out when the filter changed, not at every note someone else posts.
    const announce = compiled.key !== announcedKey;
    announcedKey = compiled.key;
    bar.status({ ready, total: cards.length, matching: matching.length, hidden: cards.length - shown, filtered: Boolean(test), editing, announce });
    return { view, test };
  }

  function applyBoardMatcher(test) {
    if (typeof boardView.setMatcher === 'function') {
      if (lastMatcher !== test) boardView.setMatcher(test);
      lastMatcher = test;
      return;
    }
    // A board view without setMatcher (a plain CardsView): the classes on its entries.
    for (const entry of boardView.entries.values()) {
      const ok = !test || !entry.card || test(entry.card);
      entry.root.classList.toggle('card--dimmed', Boolean(test) && !ok);
      entry.root.classList.toggle('card--match', Boolean(test) && ok);
    }
  }

  return {
    render,
    current,
    filter: () => ({ ...filter }),
    /** Themes [{id, title}] (or a Map / an object by id) for the theme list, hidden while there are none. */
    setThemes(list) {
      themes = themeList(list);
      scheduleRender();
    },
    /** Scrolls to a card in the timeline or list view shown; false when the board view shows. */
    reveal(id, smooth = true) {
      const view = views[current()];
      return view ? view.groups.reveal(id, smooth) : false;
    },
    invalidate() {
      timeline.groups.invalidate();
      list.groups.invalidate();
    },
  };
}
