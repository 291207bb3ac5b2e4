// Drag and drop of cards between zones and within a zone, with mouse and touch: SortableJS (npm
// `sortablejs`, vendored by static/build-vendor.mjs) on each zone's list, all in one group.
//
// Pointer-driven ("fallback") dragging everywhere, so mouse, pen and touch behave alike and the
// lists scroll by themselves near their edges. On touch a short press (DELAY_TOUCH) picks the card
// up, so a swipe still scrolls. A drag holds the zones view's redraws until the drop (zones-view.js);
// the drop becomes one `card.move` through `zones.move()`.

import Sortable from '../vendor/sortable.esm.js';

const DELAY_TOUCH = 220; // ms of press before a touch drag starts
const ANIMATE_UP_TO = 60; // cards in a list: Sortable's animation measures every card of the list on
// each move (thousands of layouts per second on a big board), so long lists move without it
// Never start a drag from a form control, an open editor or the "Move to…" panel.
const FILTER = '.card--editing, .card__mover, input, textarea, select, label';

// No text selected while a card moves (a style on <body> would cost a restyle of the whole board).
const noSelection = (event) => event.preventDefault();

/**
 * zones: the ZonesView; isEnabled(): may this person move cards now; reducedMotion(): no animation;
 * announce(message) for screen readers; t: strings; onTheme(cardId, themeId): a card was dropped on a
 * theme (themes.js).
 */
export function createDnd({ zones, isEnabled, reducedMotion = () => false, onDragStart = () => {}, onTheme = () => {} }) {
  const sortables = new Map(); // list element -> Sortable
  let enabled = isEnabled();

  const indexIn = (list, item) => {
    let index = 0;
    for (const child of list.children) {
      if (child === item) return index;
      if (child.classList.contains('card')) index += 1;
    }
    return index;
  };

  const options = () => ({
    group: 'cards',
    draggable: '.card',
    filter: FILTER,
    preventOnFilter: false,
    forceFallback: true,
    fallbackOnBody: true,
    fallbackTolerance: 4,
    delay: DELAY_TOUCH,
    delayOnTouchOnly: true,
    touchStartThreshold: 6,
    animation: 0, // set per list by size()
    easing: 'cubic-bezier(0.2, 0.7, 0.2, 1)',
    ghostClass: 'card--ghost',
    chosenClass: 'card--chosen',
    dragClass: 'card--dragging',
    fallbackClass: 'card--lifted',
    emptyInsertThreshold: 24,
    scroll: true,
    bubbleScroll: true,
    scrollSensitivity: 64,
    scrollSpeed: 14,
    disabled: !enabled,
    onStart() {
      zones.startDrag();
      onDragStart();
      document.body.classList.add('is-dragging-card'); // (no style of its own: board-zones.css)
      document.addEventListener('selectstart', noSelection, true);
    },
    onEnd(event) {
      document.body.classList.remove('is-dragging-card');
      document.removeEventListener('selectstart', noSelection, true);
      const { item, to } = event;
      const id = item.dataset.id;
      const zoneId = to.dataset.zoneId;
      const index = indexIn(to, item);
      zones.endDrag();
      if (id && to.dataset.themeId) {
        // Dropped on a theme (theme-drop.js): the card goes back where it was, and joins the theme.
        event.from.insertBefore(item, event.from.children[event.oldIndex] || null);
        onTheme(id, to.dataset.themeId);
        return;
      }
      if (id && zoneId && event.pullMode !== 'clone') zones.move(id, zoneId, index);
    },
  });

  return {
    /** Makes the lists of these columns sortable (new ones), forgets the lists gone. */
    sync(columns) {
      const lists = new Set(columns.map((c) => c.list));
      for (const [list, sortable] of sortables) {
        if (!lists.has(list)) {
          sortable.destroy();
          sortables.delete(list);
        }
      }
      for (const column of columns) {
        if (sortables.has(column.list)) continue;
        sortables.set(column.list, Sortable.create(column.list, options()));
        this.size(column.list, column.size);
      }
    },
    /** The list now holds `count` cards: animate its moves only while it is short. */
    size(list, count) {
      const sortable = sortables.get(list);
      const animation = count <= ANIMATE_UP_TO && !reducedMotion() ? 150 : 0;
      if (sortable && sortable.options.animation !== animation) sortable.option('animation', animation);
    },
    /** Turns dragging on or off (read-only board, locked…). */
    update() {
      const now = isEnabled();
      if (now === enabled) return;
      enabled = now;
      for (const sortable of sortables.values()) sortable.option('disabled', !enabled);
    },
    get dragging() {
      return zones.dragging;
    },
  };
}
