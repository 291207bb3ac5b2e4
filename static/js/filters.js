// The filter of a board's notes (search text, author, visit, kind, tag, zone, theme) and the chosen view,
// as kept in the page's URL so that a filtered view can be shared. Pure and DOM-free (node --test).
//
//   ?q=port&author=<participant id>&visit=<visit id>|none&kind=quote&tag=politique&zone=actors
//    &theme=<theme id>|none&view=board|timeline|list

export const FILTER_KEYS = Object.freeze(['q', 'author', 'visit', 'kind', 'tag', 'zone', 'theme']);
export const VIEWS = Object.freeze(['board', 'timeline', 'list']);
/** `visit=none` / `theme=none`: the notes without a visit / theme (ids are UUIDs, never "none"). */
export const NONE = 'none';
/** The dimensions of the workshop's method, offered first among the tags. */
export const DIMENSIONS = Object.freeze(['politique', 'économique', 'sociale', 'environnementale']);

const MAX_QUERY = 200;
const MAX_VALUE = 100;

export function emptyFilter() {
  return { q: '', author: '', visit: '', kind: '', tag: '', zone: '', theme: '', view: '' };
}

const clean = (value, max) => String(value ?? '').trim().slice(0, max);

/** A filter from `URLSearchParams` (or a query string); unknown keys are ignored, a bad view is dropped. */
export function parseFilter(params) {
  const search = params instanceof URLSearchParams ? params : new URLSearchParams(params || '');
  const filter = emptyFilter();
  for (const key of FILTER_KEYS) filter[key] = clean(search.get(key), key === 'q' ? MAX_QUERY : MAX_VALUE);
  const view = clean(search.get('view'), 20);
  filter.view = VIEWS.includes(view) ? view : '';
  return filter;
}

/**
 * The query string of a filter ("" or "?…"): only its non-empty keys, always in the order of
 * FILTER_KEYS then `view`. Parameters of `base` that are not the filter's are kept, first.
 */
export function filterSearch(filter, base = '') {
  const params = new URLSearchParams(base);
  for (const key of [...FILTER_KEYS, 'view']) params.delete(key);
  for (const key of FILTER_KEYS) {
    const value = clean(filter && filter[key], key === 'q' ? MAX_QUERY : MAX_VALUE);
    if (value) params.append(key, value);
  }
  if (filter && VIEWS.includes(filter.view)) params.append('view', filter.view);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** How many of the filter's criteria are set (the view is not one). */
export function activeCount(filter) {
  return FILTER_KEYS.filter((key) => clean(filter && filter[key], MAX_QUERY)).length;
}

export function sameFilter(a, b) {
  return [...FILTER_KEYS, 'view'].every((key) => (a[key] || '') === (b[key] || ''));
}

/** The view to show: the one asked for, else the list on a narrow screen and the board elsewhere. */
export function resolveView(filter, narrow) {
  if (filter && VIEWS.includes(filter.view)) return filter.view;
  return narrow ? 'list' : 'board';
}

const LIGATURES = { œ: 'oe', æ: 'ae', ß: 'ss', '’': "'", 'ʼ': "'", '‘': "'" };

/** Case- and accent-insensitive form of a text, for search: "Cœur d’Été" -> "coeur d'ete". */
export function fold(text) {
  return String(text ?? '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[œæß’ʼ‘]/g, (c) => LIGATURES[c])
    .replace(/\s+/g, ' ');
}

/** A tag as the server compares them (Python's str.casefold, near enough). */
export function casefold(tag) {
  return String(tag ?? '').trim().toLowerCase().replace(/ß/g, 'ss');
}

// The folded text of a card, kept per card object (an update brings a new object).
const haystacks = new WeakMap();

function haystack(card) {
  let text = haystacks.get(card);
  if (text === undefined) {
    text = fold([card.text, card.actor, card.author_name, ...(Array.isArray(card.tags) ? card.tags : [])]
      .filter(Boolean).join('\n'));
    haystacks.set(card, text);
  }
  return text;
}

/** The zone a card is shown in: its own when the board has it, else the inbox. */
export function zoneOf(card, zoneIds) {
  const zone = (card && card.zone) || 'inbox';
  return !zoneIds || zoneIds.has(zone) ? zone : 'inbox';
}

/**
 * A predicate for the filter, or null when it lets every note through.
 * context: {zoneIds?: Set of the board's zone ids (a card in an unknown zone counts as in the inbox),
 *           themeIds?: Set of the live themes' ids (a card of a deleted theme counts as without one)}.
 * The search text matches when each of its words is in the note's text, actor met, author or tags.
 */
export function compileFilter(filter, context = {}) {
  if (!filter || !activeCount(filter)) return null;
  const tests = [];
  const terms = fold(filter.q).split(' ').filter(Boolean);
  if (terms.length) tests.push((card) => { const text = haystack(card); return terms.every((t) => text.includes(t)); });
  if (filter.author) tests.push((card) => card.author_id === filter.author);
  if (filter.visit) tests.push((card) => (filter.visit === NONE ? !card.visit_id : card.visit_id === filter.visit));
  if (filter.kind) tests.push((card) => (card.kind || 'note') === filter.kind);
  if (filter.tag) {
    const tag = casefold(filter.tag);
    tests.push((card) => Array.isArray(card.tags) && card.tags.some((t) => casefold(t) === tag));
  }
  if (filter.zone) tests.push((card) => zoneOf(card, context.zoneIds) === filter.zone);
  if (filter.theme) {
    const themeOf = (card) => (card.theme_id && (!context.themeIds || context.themeIds.has(card.theme_id)) ? card.theme_id : NONE);
    tests.push((card) => themeOf(card) === filter.theme);
  }
  if (!tests.length) return null;
  return (card) => Boolean(card) && tests.every((test) => test(card));
}

/** Whether one card passes the filter (see compileFilter; prefer it for many cards). */
export function matches(card, filter, context = {}) {
  const test = compileFilter(filter, context);
  return test ? test(card) : true;
}

const byLabel = (locale) => {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  return (a, b) => collator.compare(a.label, b.label);
};

/**
 * The choices of the filter's lists, from the cards present: [{value, label, count}] per key.
 *   visits: Map id -> visit (agenda order kept); zones: [{id, title}]; themes: [{id, title}];
 *   kinds: {kind: label}; none: {visit, theme, author} labels of the "none" choices (author: one not
 *   on the board).
 * The value currently chosen is always offered (a shared link may name a tag nobody used yet).
 */
export function filterOptions(cards, { visits = new Map(), zones = [], themes = [], kinds = {}, none = {}, locale = 'fr', current = emptyFilter() } = {}) {
  const count = (map, key, label) => {
    const entry = map.get(key);
    if (entry) entry.count += 1;
    else map.set(key, { value: key, label, count: 1 });
  };
  const authors = new Map();
  const visitCounts = new Map();
  const kindCounts = new Map();
  const tags = new Map();
  const zoneCounts = new Map();
  const themeCounts = new Map();
  const zoneIds = new Set(zones.map((z) => z.id));
  const themeIds = new Set(themes.map((th) => th.id));
  for (const card of cards || []) {
    if (card.author_id) count(authors, card.author_id, card.author_name || '?');
    count(visitCounts, card.visit_id || NONE, '');
    count(kindCounts, card.kind || 'note', '');
    for (const tag of Array.isArray(card.tags) ? card.tags : []) count(tags, casefold(tag), tag);
    count(zoneCounts, zoneOf(card, zoneIds.size ? zoneIds : null), '');
    count(themeCounts, card.theme_id && themeIds.has(card.theme_id) ? card.theme_id : NONE, '');
  }
  const sort = byLabel(locale);
  const n = (map, key) => (map.get(key) ? map.get(key).count : 0);

  const visitList = [...visits.values()].filter((v) => visitCounts.has(v.id))
    .map((v) => ({ value: v.id, label: v.title || '', count: n(visitCounts, v.id) }));
  if (visitCounts.has(NONE)) visitList.push({ value: NONE, label: none.visit || NONE, count: n(visitCounts, NONE) });

  const tagList = [...tags.values()].sort((a, b) => {
    const da = DIMENSIONS.indexOf(a.value);
    const db = DIMENSIONS.indexOf(b.value);
    if (da !== db) return (da < 0 ? DIMENSIONS.length : da) - (db < 0 ? DIMENSIONS.length : db);
    return sort(a, b);
  });
  const themeList = themes.map((th) => ({ value: th.id, label: th.title || '', count: n(themeCounts, th.id) }));
  if (themes.length && themeCounts.has(NONE)) themeList.push({ value: NONE, label: none.theme || NONE, count: n(themeCounts, NONE) });

  const options = {
    author: [...authors.values()].sort(sort),
    visit: visitList,
    kind: Object.keys(kinds).filter((k) => kindCounts.has(k)).map((k) => ({ value: k, label: kinds[k], count: n(kindCounts, k) })),
    tag: tagList,
    zone: zones.map((z) => ({ value: z.id, label: z.title || z.id, count: n(zoneCounts, z.id) })),
    theme: themeList,
  };
  const labelOf = {
    author: () => none.author,
    visit: (v) => (v === NONE ? none.visit : visits.get(v)?.title),
    kind: (v) => kinds[v],
    theme: (v) => (v === NONE ? none.theme : undefined),
  };
  for (const key of Object.keys(options)) {
    const value = current && current[key];
    if (!value) continue;
    const list = options[key];
    const same = key === 'tag' ? (o) => o.value === casefold(value) : (o) => o.value === value;
    const label = (labelOf[key] && labelOf[key](value)) || value;
    if (!list.some(same)) list.push({ value: key === 'tag' ? casefold(value) : value, label, count: 0 });
  }
  return options;
}
