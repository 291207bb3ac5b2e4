// Moving a card without dragging it: the "Move to…" panel of a card (choose a zone, or go up and
// down in the zone) and keyboard shortcuts on a focused card (Alt+↑/↓ within the zone, Alt+←/→ to
// the previous or next zone). Every move goes through `zones.move()`, like a drop.

import { boardIcon } from './board-icons.js';
import { format } from './sync.js';
import { h } from './ui.js';

const FIELD = 'input, textarea, select, [contenteditable="true"]';

/** zones: the ZonesView; view: the CardsView; canMove(): writable now; announce(message). */
export function createMover({ zones, view, t, canMove, announce }) {
  let open = null; // {entry, panel, select, up, down, trigger}

  function said(id) {
    const where = zones.locate(id);
    if (!where) return;
    announce(format(t.moved_to, { zone: zones.zoneTitle(where.zone), index: where.index + 1, count: where.size }));
  }

  /** Moves card `id` by `step` in its zone (-1 up, +1 down) or to the zone `zoneStep` away. */
  function step(id, { by = 0, zoneStep = 0 }) {
    const where = zones.locate(id);
    if (!where || !canMove()) return false;
    if (zoneStep) {
      const target = zones.zones[where.zoneIndex + zoneStep];
      if (!target) return false;
      zones.move(id, target.id, zones.zoneCards(target.id).length);
    } else {
      const index = where.index + by;
      if (index < 0 || index >= where.size) return false;
      zones.move(id, where.zone, index);
    }
    requestAnimationFrame(() => {
      said(id);
      refresh();
    });
    return true;
  }

  function close(focus = true) {
    if (!open) return;
    const { panel, trigger } = open;
    open = null;
    panel.remove();
    if (focus && trigger.isConnected) trigger.focus();
  }

  function refresh() {
    if (!open) return;
    const where = zones.locate(open.entry.id);
    if (!where || !canMove()) {
      close(false);
      return;
    }
    const options = zones.zones.map((zone) => {
      const option = h('option', null, zone.title);
      option.value = zone.id;
      option.selected = zone.id === where.zone;
      return option;
    });
    if (open.select.options.length !== options.length || [...open.select.options].some((o, i) => o.value !== options[i].value
      || o.textContent !== options[i].textContent)) {
      const chosen = open.select.value;
      open.select.replaceChildren(...options);
      if (chosen && zones.zones.some((z) => z.id === chosen)) open.select.value = chosen;
    }
    open.up.disabled = where.index <= 0;
    open.down.disabled = where.index >= where.size - 1;
  }

  function show(entry, trigger) {
    if (open && open.entry === entry) {
      close();
      return;
    }
    close(false);
    if (!canMove()) return;
    const panel = h('div', 'card__mover');
    panel.setAttribute('role', 'group');
    panel.setAttribute('aria-label', t.move_title || '');
    const label = h('label', 'card__mover-label', t.move_zone);
    const select = h('select', 'select card__mover-zone');
    label.append(select);
    const go = h('button', 'button button--primary card__mover-go', t.move_go);
    go.type = 'button';
    const iconButton = (className, iconName, text) => {
      const button = h('button', `button button--secondary button--icon ${className}`);
      button.type = 'button';
      button.title = text;
      button.append(boardIcon(iconName), h('span', 'visually-hidden', text));
      return button;
    };
    const up = iconButton('card__mover-up', 'up', t.move_up);
    const down = iconButton('card__mover-down', 'down', t.move_down);
    const done = iconButton('card__mover-close', 'close', t.dismiss);
    done.classList.replace('button--secondary', 'button--ghost');
    const row = h('div', 'card__mover-row');
    row.append(go, up, down, done);
    const hint = h('p', 'card__mover-hint', t.move_keys || '');
    panel.append(label, row, hint);
    entry.root.append(panel);
    open = { entry, panel, select, up, down, trigger };
    refresh();

    go.addEventListener('click', () => {
      const where = zones.locate(entry.id);
      if (!where || select.value === where.zone) {
        close();
        return;
      }
      zones.move(entry.id, select.value, zones.zoneCards(select.value).length);
      close();
      requestAnimationFrame(() => {
        said(entry.id);
        view.reveal(entry.id, false);
      });
    });
    up.addEventListener('click', () => step(entry.id, { by: -1 }));
    down.addEventListener('click', () => step(entry.id, { by: 1 }));
    done.addEventListener('click', () => close());
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    });
    select.focus();
  }

  /** Keyboard shortcuts on the zones container: Alt + arrows on a focused card. */
  function onKeydown(event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const moves = { ArrowUp: { by: -1 }, ArrowDown: { by: 1 }, ArrowLeft: { zoneStep: -1 }, ArrowRight: { zoneStep: 1 } };
    const move = moves[event.key];
    if (!move || event.target.closest(FIELD)) return;
    const root = event.target.closest('.card');
    if (!root || !root.dataset.id) return;
    event.preventDefault();
    const focused = document.activeElement;
    if (step(root.dataset.id, move)) {
      requestAnimationFrame(() => {
        if (focused && focused.isConnected) focused.focus({ preventScroll: true });
        view.reveal(root.dataset.id, false);
      });
    }
  }

  return { show, close, refresh, onKeydown, get openId() { return open ? open.entry.id : null; } };
}
