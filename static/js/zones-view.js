// The board as zones: one column per zone (the inbox first), each with its title, its number of
// cards and its cards in `position` order. Columns are keyed by zone id and reused; the cards are
// CardsView's elements, placed in their zone's list (only what moved is touched).
//
// All of it lives in one container, `#board-zones`: a view switcher hides it (`zones.setHidden`)
// and shows another view of the same cards instead. Inside: the zone tabs (`.zone-nav`, shown on
// phones, where one column shows at a time) and the row of columns (`.board-zones__row`).
//
// Moving a card, whatever the means (drag and drop in dnd.js, the "Move to…" panel, keyboard), goes
// through `zones.move(id, zone, index)`, which computes the fractional key (positions.js) and calls
// the page's `onMove(id, {zone, position})` (board.js sends `card.move` through the outbox).
//
// While a card is being dragged nothing is redrawn (a remote change would pull the DOM from under
// the drag): `render` keeps the latest arguments and draws them when the drag ends.

import { groupByZone, INBOX, moveTo } from './positions.js';
import { plural } from './plural.js';
import { h } from './ui.js';

let uid = 0;

export class ZonesView {
  /**
   * container: `#board-zones`; view: the CardsView; t: strings;
   * hooks: onMove(id, {zone, position}), decorateZone(zone, column) (optional: the facilitator's
   *        zone menu), onColumns(columns) (after columns were added or removed: drag and drop),
   *        onSize(list, count) (a zone's number of cards changed)
   */
  constructor({ container, view, t, ...hooks }) {
    this.container = container;
    this.nav = h('nav', 'zone-nav');
    this.nav.setAttribute('aria-label', t.zones_nav || '');
    this.navList = h('ul', 'zone-nav__list');
    this.nav.append(this.navList);
    this.row = h('div', 'board-zones__row');
    container.replaceChildren(this.nav, this.row);
    this.navItems = new Map(); // zone id -> {button, count}
    this.navKey = '';
    this.current = null;
    this.narrow = window.matchMedia('(max-width: 47.99rem)'); // the zone tabs show (board-zones.css)
    this.currentQueued = false;
    this.row.addEventListener('scroll', () => this._queueCurrent(), { passive: true });
    this.narrow.addEventListener('change', () => this._queueCurrent());
    this.view = view;
    this.t = t;
    this.hooks = hooks;
    this.columns = new Map(); // zone id -> {id, root, title, count, list, zone, size}
    this.zones = [];
    this.groups = new Map(); // zone id -> cards shown, in order
    this.dragging = false;
    this.deferred = null;
    this.tail = null; // an element kept after the columns (the "add a zone" column)
    this.sortWithin = null; // () => comparator | null: see render
  }

  setHidden(hidden) {
    this.container.hidden = hidden;
  }

  /** The list element of the zone a card shows in (its zone, or the inbox when it is unknown). */
  listFor(card) {
    const column = this.columns.get(card.zone) || this.columns.get(INBOX);
    return column.list;
  }

  /** The cards of a zone as last drawn, in display order. */
  zoneCards(zoneId) {
    return this.groups.get(zoneId) || [];
  }

  zoneOf(cardId) {
    for (const [zoneId, cards] of this.groups) if (cards.some((c) => c.id === cardId)) return zoneId;
    return null;
  }

  /** Draws `zones` and `cards` (display order). Returns false when deferred by a drag. */
  render(zones, cards, options = {}) {
    if (this.dragging) {
      this.deferred = [zones, cards, options];
      return false;
    }
    this.deferred = null;
    const changed = this._columns(zones);
    this._nav(zones);
    this.groups = groupByZone(cards, zones);
    // Another order within each zone (vote-panel.js, "Sort by votes"): `zones.sortWithin`, asked at
    // each render, returns a comparator or null (position order). Equal cards keep position order.
    // While sorted, a drop within a zone takes its key from the sorted neighbours.
    const compare = this.sortWithin ? this.sortWithin() : null;
    if (compare) {
      for (const [zoneId, list] of this.groups) this.groups.set(zoneId, [...list].sort(compare));
      cards = [...this.groups.values()].flat();
    }
    this.view.render(cards, { ...options, listFor: (card) => this.listFor(card) });
    for (const [zoneId, column] of this.columns) this._count(column, (this.groups.get(zoneId) || []).length);
    if (changed || this.current === null) this._queueCurrent();
    if (changed && this.hooks.onColumns) this.hooks.onColumns([...this.columns.values()]);
    return true;
  }

  /** A drag started (dnd.js): hold every redraw until `endDrag`. */
  startDrag() {
    this.dragging = true;
    this.container.classList.add('board-zones--dragging');
  }

  endDrag() {
    this.dragging = false;
    this.container.classList.remove('board-zones--dragging');
    if (this.deferred) this.render(...this.deferred);
  }

  /**
   * Puts card `id` at `index` of zone `zoneId` (index among the zone's other cards). Returns the
   * move sent, or null when the card is already there.
   */
  move(id, zoneId, index) {
    const zone = this.columns.has(zoneId) ? zoneId : INBOX;
    const target = moveTo(id, zone, this.zoneCards(zone), index);
    const current = this.zoneOf(id);
    if (!target && current === zone) return null;
    const move = target || { zone, position: undefined };
    this.hooks.onMove(id, move);
    return move;
  }

  /** Where a card is: {zone, index, size, zoneIndex} (index in its zone, size of the zone). */
  locate(id) {
    const zoneId = this.zoneOf(id);
    if (!zoneId) return null;
    const cards = this.zoneCards(zoneId);
    return { zone: zoneId, index: cards.findIndex((c) => c.id === id), size: cards.length, zoneIndex: this.zones.findIndex((z) => z.id === zoneId) };
  }

  zoneTitle(zoneId) {
    const zone = this.zones.find((z) => z.id === zoneId);
    return zone ? zone.title : '';
  }

  // ---- columns -------------------------------------------------------------------------------

  _columns(zones) {
    this.zones = zones;
    let changed = false;
    const seen = new Set();
    let previous = null;
    for (const zone of zones) {
      seen.add(zone.id);
      let column = this.columns.get(zone.id);
      if (!column) {
        column = this._create(zone.id);
        this.columns.set(zone.id, column);
        changed = true;
      }
      this._update(column, zone);
      const expected = previous ? previous.nextElementSibling : this.row.firstElementChild;
      if (expected !== column.root) this.row.insertBefore(column.root, expected);
      previous = column.root;
    }
    for (const [id, column] of this.columns) {
      if (seen.has(id)) continue;
      // Its cards go to the inbox (the server moves them; CardsView moves their elements).
      const inbox = this.columns.get(INBOX);
      if (inbox) for (const card of [...column.list.children]) inbox.list.append(card);
      column.root.remove();
      this.columns.delete(id);
      changed = true;
    }
    if (this.tail && this.row.lastElementChild !== this.tail) this.row.append(this.tail);
    return changed;
  }

  _create(id) {
    const n = (uid += 1);
    const root = h('section', 'zone');
    root.dataset.zoneId = id;
    const head = h('header', 'zone__head');
    const heading = h('h3', 'zone__heading');
    heading.id = `zone-title-${n}`;
    const title = h('span', 'zone__title');
    const count = h('span', 'zone__count');
    const countNumber = h('span', 'zone__count-number');
    countNumber.setAttribute('aria-hidden', 'true');
    const countText = h('span', 'visually-hidden');
    count.append(countNumber, countText);
    heading.append(title, count);
    head.append(heading);
    const list = h('ul', 'zone__cards');
    list.dataset.zoneId = id;
    list.setAttribute('aria-labelledby', heading.id);
    list.dataset.empty = this.t.zone_empty || '';
    root.setAttribute('aria-labelledby', heading.id);
    root.append(head, list);
    return { id, root, head, heading, title, count, countNumber, countText, list, zone: null, size: -1 };
  }

  _update(column, zone) {
    if (column.zone && column.zone.title === zone.title && Boolean(column.zone.pending) === Boolean(zone.pending)) {
      column.zone = zone;
      return;
    }
    column.zone = zone;
    column.title.textContent = zone.title;
    column.root.classList.toggle('zone--pending', Boolean(zone.pending));
    column.root.classList.toggle('zone--inbox', zone.id === INBOX);
    if (this.hooks.decorateZone) this.hooks.decorateZone(zone, column);
  }

  _count(column, size) {
    if (column.size === size) return;
    column.size = size;
    if (this.hooks.onSize) this.hooks.onSize(column.list, size);
    column.countNumber.textContent = String(size);
    column.countText.textContent = ` (${plural(this.t, 'count', size)})`;
    column.root.classList.toggle('zone--empty', size === 0);
    const item = this.navItems.get(column.id);
    if (item) item.count.textContent = String(size);
  }

  // ---- zone tabs (phones) -----------------------------------------------------------------------

  /** Shows column `zoneId` (a tab was chosen). */
  showZone(zoneId, smooth = true) {
    const column = this.columns.get(zoneId);
    if (!column) return;
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    const pad = parseFloat(getComputedStyle(this.row).scrollPaddingLeft) || 0;
    this.row.scrollTo({ left: column.root.offsetLeft - pad, behavior: smooth && !reduced ? 'smooth' : 'auto' });
    this._mark(zoneId);
  }

  _nav(zones) {
    const key = zones.map((z) => `${z.id}\u0001${z.title}`).join('\u0002');
    if (key === this.navKey) return;
    this.navKey = key;
    this.navItems.clear();
    this.navList.replaceChildren(...zones.map((zone) => {
      const li = h('li', 'zone-nav__entry');
      const button = h('button', 'zone-nav__item');
      button.type = 'button';
      const count = h('span', 'zone-nav__count', String(this.columns.get(zone.id)?.size ?? 0));
      count.setAttribute('aria-hidden', 'true');
      button.append(h('span', 'zone-nav__title', zone.title), count);
      button.addEventListener('click', () => this.showZone(zone.id));
      li.append(button);
      this.navItems.set(zone.id, { button, count });
      return li;
    }));
    for (const [id, column] of this.columns) if (column.size >= 0) this.navItems.get(id).count.textContent = String(column.size);
    this.current = null;
  }

  /** Marks the current tab at the next frame (reading positions there costs no extra layout). */
  _queueCurrent() {
    if (this.currentQueued || !this.narrow.matches) return;
    this.currentQueued = true;
    requestAnimationFrame(() => {
      this.currentQueued = false;
      this._current();
    });
  }

  /** Which column the row is scrolled to (phones): its tab is marked. */
  _current() {
    if (!this.navItems.size) return;
    const left = this.row.scrollLeft;
    let found = null;
    for (const zone of this.zones) {
      const column = this.columns.get(zone.id);
      if (column && column.root.offsetLeft + column.root.offsetWidth / 2 > left) {
        found = zone.id;
        break;
      }
    }
    this._mark(found || (this.zones[0] && this.zones[0].id));
  }

  _mark(zoneId) {
    if (zoneId === this.current) return;
    this.current = zoneId;
    for (const [id, { button }] of this.navItems) {
      if (id === zoneId) {
        button.setAttribute('aria-current', 'true');
        // Keep the tab in sight in its own row (never scroll the page).
        const list = this.navList;
        const { offsetLeft, offsetWidth } = button.parentElement;
        if (offsetLeft < list.scrollLeft || offsetLeft + offsetWidth > list.scrollLeft + list.clientWidth) {
          list.scrollLeft = offsetLeft - (list.clientWidth - offsetWidth) / 2;
        }
      } else button.removeAttribute('aria-current');
    }
  }
}
