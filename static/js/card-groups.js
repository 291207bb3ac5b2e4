// Cards shown in titled groups (the timeline's visits, the list's zones): one <section> per group, each
// with its own CardsView (made by the page, so editing, deleting and photos work as on the board).
// Groups and their cards are updated in place; a card being edited stays in its group until saved.

import { plural } from './plural.js';
import { h, icon } from './ui.js';

export { plural } from './plural.js'; // the one way counted strings are chosen

export class CardGroups {
  /**
   * root: the element the sections go in; makeCardsView(list) -> CardsView;
   * t: strings (group_count_one/_other, empty_group); locale.
   */
  constructor({ root, makeCardsView, t, locale = 'fr', className = '' }) {
    this.root = root;
    this.makeCardsView = makeCardsView;
    this.t = t;
    this.locale = locale;
    this.className = className;
    this.groups = new Map(); // key -> {key, section, refs, view}
  }

  /** Every CardsView entry shown, across groups. */
  *entries() {
    for (const group of this.groups.values()) yield* group.view.entries.values();
  }

  /** Ids of the cards being edited here. */
  editingIds() {
    const ids = new Set();
    for (const entry of this.entries()) if (entry.editing) ids.add(entry.id);
    return ids;
  }

  /** Scrolls to a card and flashes it, if shown here; returns whether it was. */
  reveal(id, smooth = true) {
    for (const group of this.groups.values()) {
      if (group.view.entries.has(id)) {
        group.view.reveal(id, smooth);
        return true;
      }
    }
    return false;
  }

  invalidate() {
    for (const group of this.groups.values()) group.view.invalidate();
  }

  /** The entry of a card, wherever it is shown. */
  entry(id) {
    for (const group of this.groups.values()) {
      const entry = group.view.entries.get(id);
      if (entry) return entry;
    }
    return null;
  }

  /**
   * Shows `groups` in order: [{key, title, details: [{icon, text, title?}], cards, note?}].
   * `options` go to each CardsView.render (isNew, onOrphan, onRemoved); `visits` is given to every view.
   */
  render(groups, { visits, ...options } = {}) {
    // A card being edited stays where its editor is, even if its visit or zone changed meanwhile.
    const pinned = new Map();
    for (const group of this.groups.values()) {
      for (const entry of group.view.entries.values()) if (entry.editing) pinned.set(entry.id, group.key);
    }
    const wanted = groups.map((g) => ({ ...g, cards: [...g.cards] }));
    if (pinned.size) {
      const byKey = new Map(wanted.map((g) => [g.key, g]));
      const moved = [];
      for (const g of wanted) {
        g.cards = g.cards.filter((card) => {
          const home = pinned.get(card.id);
          if (home === undefined || home === g.key || !byKey.has(home)) return true;
          moved.push([home, card]);
          return false;
        });
      }
      for (const [home, card] of moved) byKey.get(home).cards.push(card);
    }

    const seen = new Set();
    let previous = null;
    for (const g of wanted) {
      seen.add(g.key);
      let group = this.groups.get(g.key);
      if (!group) {
        group = this._create(g.key);
        this.groups.set(g.key, group);
      }
      if (visits) group.view.visits = visits;
      this._head(group, g);
      group.view.render(g.cards, options);
      group.refs.empty.hidden = g.cards.length > 0 || !g.empty;
      group.refs.empty.textContent = g.empty || '';
      const expected = previous ? previous.nextElementSibling : this.root.firstElementChild;
      if (expected !== group.section) this.root.insertBefore(group.section, expected);
      previous = group.section;
    }
    for (const [key, group] of this.groups) {
      if (seen.has(key)) continue;
      group.view.render([], options); // keeps an editor whose card went elsewhere or was deleted
      if ([...group.view.entries.values()].some((e) => e.editing)) continue;
      group.section.remove();
      this.groups.delete(key);
    }
  }

  _create(key) {
    const section = h('section', `view-group ${this.className}`.trim());
    section.dataset.key = key;
    const head = h('header', 'view-group__head');
    const title = h('h3', 'view-group__title');
    const titleText = h('span', 'view-group__name');
    const count = h('span', 'view-group__count');
    title.append(titleText, count);
    const details = h('p', 'view-group__details');
    head.append(title, details);
    const empty = h('p', 'view-group__empty');
    empty.hidden = true;
    const list = h('ul', 'cards view-group__cards');
    section.append(head, empty, list);
    const id = `group-${this.className || 'g'}-${key}`.replace(/[^A-Za-z0-9_-]/g, '-');
    titleText.id = id;
    section.setAttribute('aria-labelledby', id);
    return { key, section, refs: { title, titleText, count, details, empty, list, sig: '' }, view: this.makeCardsView(list) };
  }

  _head(group, g) {
    const { refs } = group;
    const details = g.details || [];
    const sig = [g.title, g.cards.length, ...details.map((d) => `${d.icon}:${d.text}:${d.title || ''}`)].join('\u0001');
    if (refs.sig === sig) return;
    refs.sig = sig;
    refs.titleText.textContent = g.title;
    refs.count.textContent = plural(this.t, 'group_count', g.cards.length, this.locale);
    refs.count.hidden = g.cards.length === 0; // an empty group says so below its title
    refs.details.replaceChildren(...details.filter((d) => d.text).map((d) => {
      const item = h('span', 'view-group__detail');
      if (d.title) item.title = d.title;
      if (d.icon) item.append(icon(d.icon, 'icon icon--small'));
      item.append(h('span', null, d.text));
      return item;
    }));
    refs.details.hidden = !refs.details.childElementCount;
  }
}
