// The timeline view: the notes grouped by visit in agenda order (title, place, day and hours), each
// visit's notes by the time they were written; notes without a visit last. For the "dynamique
// temporelle" of the workshop's method. The grouping is pure (node tests); the DOM is CardGroups'.

import { CardGroups } from './card-groups.js';
import { formatTime, formatTimeRange, sameWorkshopDay } from './time.js';
import { h } from './ui.js';

export const NO_VISIT = 'none';

const time = (iso) => {
  const t = Date.parse(iso || '');
  return Number.isFinite(t) ? t : null;
};

/** By creation time; notes not confirmed yet (no created_at) last; then by id for stability. */
export function byCreated(a, b) {
  const ta = time(a.created_at);
  const tb = time(b.created_at);
  if (ta !== tb) {
    if (ta === null) return 1;
    if (tb === null) return -1;
    return ta - tb;
  }
  return String(a.id).localeCompare(String(b.id));
}

/** Visits in agenda order: by start, then end, then title. */
export function agendaOrder(visits) {
  return [...(visits || [])].sort((a, b) => (time(a.starts_at) ?? Infinity) - (time(b.starts_at) ?? Infinity)
    || (time(a.ends_at) ?? Infinity) - (time(b.ends_at) ?? Infinity)
    || String(a.title || '').localeCompare(String(b.title || '')));
}

/**
 * [{key, visit, cards}]: one group per visit that has notes, in agenda order, then the notes without
 * a (known) visit under NO_VISIT. `visits`: Map id -> visit or an array.
 */
export function timelineGroups(cards, visits) {
  const list = visits instanceof Map ? [...visits.values()] : visits || [];
  const known = new Map(list.map((v) => [v.id, v]));
  const buckets = new Map();
  for (const card of cards || []) {
    const key = card.visit_id && known.has(card.visit_id) ? card.visit_id : NO_VISIT;
    if (!buckets.has(key)) buckets.set(key, []);
    buckets.get(key).push(card);
  }
  const groups = [];
  for (const visit of agendaOrder(list)) {
    if (buckets.has(visit.id)) groups.push({ key: visit.id, visit, cards: buckets.get(visit.id).sort(byCreated) });
  }
  if (buckets.has(NO_VISIT)) groups.push({ key: NO_VISIT, visit: null, cards: buckets.get(NO_VISIT).sort(byCreated) });
  return groups;
}

/** "jeudi 16 novembre, 08:00–12:00" (the day always: a timeline spans several days). */
export function visitSpan(visit, locale) {
  const start = new Date(visit.starts_at);
  const end = new Date(visit.ends_at);
  if (Number.isNaN(start.getTime())) return '';
  const day = formatTime(start, { weekday: 'long', day: 'numeric', month: 'long' }, locale);
  if (Number.isNaN(end.getTime())) return `${day}, ${formatTime(start, undefined, locale)}`;
  if (sameWorkshopDay(start, end)) return `${day}, ${formatTimeRange(start, end, undefined, locale)}`;
  return `${day}, ${formatTime(start, undefined, locale)}–${formatTime(end, { weekday: 'short', hour: '2-digit', minute: '2-digit' }, locale)}`;
}

export class TimelineView {
  /** root: the element to fill; t: strings (no_visit, no_visit_details, group_count_*); makeCardsView(list). */
  constructor({ root, t, locale, makeCardsView }) {
    this.root = root;
    this.t = t;
    this.locale = locale;
    this.list = h('div', 'timeline');
    root.append(this.list);
    this.groups = new CardGroups({ root: this.list, makeCardsView, t, locale, className: 'view-group--visit' });
  }

  /** Shows `cards` (already filtered) by visit; `visits` Map id -> visit; options go to CardsView.render. */
  render(cards, visits, options = {}) {
    const { t, locale } = this;
    const groups = timelineGroups(cards, visits).map(({ key, visit, cards: list }) => ({
      key,
      cards: list,
      title: visit ? visit.title : t.no_visit,
      details: visit
        ? [{ icon: 'clock', text: visitSpan(visit, locale) }, { icon: 'pin', text: visit.place || '' }]
        : [{ icon: null, text: t.no_visit_details }],
    }));
    this.groups.render(groups, { visits, ...options });
  }
}
