// The list view: one compact column, grouped by zone (zone headings with their counts), made for a
// phone. The grouping is pure (node tests); the DOM is CardGroups'.

import { CardGroups } from './card-groups.js';
import { zoneOf } from './filters.js';
import { compareCards } from './sync.js';
import { h } from './ui.js';

/**
 * [{key, zone, cards}] in the board's zone order; a card in a zone the board does not have goes to the
 * inbox. `withEmpty`: also the zones without notes. Without zones, one group for everything.
 */
export function zoneGroups(cards, zones, { withEmpty = false } = {}) {
  const list = Array.isArray(zones) && zones.length ? zones : [{ id: 'inbox', title: '' }];
  const ids = new Set(list.map((z) => z.id));
  const fallback = ids.has('inbox') ? null : list[0].id;
  const buckets = new Map(list.map((z) => [z.id, []]));
  for (const card of cards || []) {
    const zone = zoneOf(card, ids);
    buckets.get(ids.has(zone) ? zone : fallback).push(card);
  }
  return list
    .map((zone) => ({ key: zone.id, zone, cards: buckets.get(zone.id).sort(compareCards) }))
    .filter((g) => withEmpty || g.cards.length);
}

export class ListView {
  /** root: the element to fill; t: strings (notes, empty_zone, group_count_*); makeCardsView(list). */
  constructor({ root, t, locale, makeCardsView }) {
    this.root = root;
    this.t = t;
    this.list = h('div', 'zone-list');
    root.append(this.list);
    this.groups = new CardGroups({ root: this.list, makeCardsView, t, locale, className: 'view-group--zone' });
  }

  /** Shows `cards` (already filtered) by zone; empty zones too when nothing is filtered out. */
  render(cards, zones, { filtered = false, visits, ...options } = {}) {
    const groups = zoneGroups(cards, zones, { withEmpty: !filtered }).map(({ key, zone, cards: list }) => ({
      key,
      cards: list,
      title: zone.title || this.t.notes,
      empty: this.t.empty_zone,
    }));
    this.groups.render(groups, { visits, ...options });
  }
}
