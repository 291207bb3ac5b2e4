// Dropping a dragged card on a theme: while a card is dragged (dnd.js sets `is-dragging-card` on
// <body>), a bar of the board's themes shows at the bottom of the screen. Each theme there is a
// SortableJS list in the cards' group that accepts cards but never gives any back; dnd.js sees a drop
// on one (`data-theme-id` on the target list), puts the card back where it came from and calls
// `onTheme(cardId, themeId)` — the card stays in its zone and joins the theme (`card.update`).
// Mouse and touch alike (the same pointer-driven dragging as the zones).

import Sortable from '../vendor/sortable.esm.js';
import { COLOURS } from './sync.js';
import { h } from './ui.js';

const accept = (el) => Sortable.create(el, {
  group: { name: 'cards', pull: false, put: true },
  sort: false,
  draggable: '.card',
  emptyInsertThreshold: 6,
  animation: 0,
});

export function createThemeDrop({ tray, list }) {
  const targets = new Map(); // theme id -> {el, sortable, title, colour}
  const sections = new Map(); // a theme's element in the themes section -> its Sortable

  function create(theme) {
    const el = h('div', 'theme-drop');
    el.dataset.themeId = theme.id;
    return { el, sortable: accept(el), title: null, colour: null };
  }

  return {
    /** The themes to offer (display order). */
    sync(themes) {
      const seen = new Set();
      let previous = null;
      for (const theme of themes) {
        seen.add(theme.id);
        let target = targets.get(theme.id);
        if (!target) {
          target = create(theme);
          targets.set(theme.id, target);
        }
        if (target.title !== theme.title) {
          target.title = theme.title;
          target.el.dataset.title = theme.title; // shown by CSS (content: attr(data-title)); the bar is aria-hidden
        }
        const colour = COLOURS.includes(theme.colour) ? theme.colour : 'blue';
        if (target.colour !== colour) {
          if (target.colour) target.el.classList.remove(`theme-drop--${target.colour}`);
          target.el.classList.add(`theme-drop--${colour}`);
          target.colour = colour;
        }
        const expected = previous ? previous.nextElementSibling : list.firstElementChild;
        if (expected !== target.el) list.insertBefore(target.el, expected);
        previous = target.el;
      }
      for (const [id, target] of targets) {
        if (seen.has(id)) continue;
        target.sortable.destroy();
        target.el.remove();
        targets.delete(id);
      }
      tray.classList.toggle('theme-tray--empty', targets.size === 0);
    },
    /** A theme of the themes section (its element has data-theme-id) takes dropped cards too. */
    watch(el) {
      if (!sections.has(el)) sections.set(el, accept(el));
    },
    unwatch(el) {
      sections.get(el)?.destroy();
      sections.delete(el);
    },
    /** Turns the bar on or off (a read-only board has no dragging anyway). */
    setEnabled(enabled) {
      tray.classList.toggle('theme-tray--off', !enabled);
    },
  };
}
