// Zone management for facilitators: each column's "⋯" menu (rename, move left or right, remove)
// and the last column's "Add a zone". Changes go out as zone ops (docs/protocol.md) through the
// page's outbox; removing asks first, in a dialog saying where the cards go (the inbox).

import { boardIcon } from './board-icons.js';
import { plural } from './plural.js';
import { format } from './sync.js';
import { h } from './ui.js';
import { MAX_TITLE, MAX_ZONES, newZoneId } from './zones-model.js';
import { INBOX } from './positions.js';

/** zones: the ZonesView; t: strings; canManage(); send(type, data); announce(message). */
export function createZoneMenu({ zones, t, canManage, send, announce }) {
  let menu = null; // {column, panel, button}

  function closeMenu(focus = false) {
    if (!menu) return;
    const { panel, button } = menu;
    menu = null;
    panel.remove();
    button.setAttribute('aria-expanded', 'false');
    if (focus) button.focus();
  }

  document.addEventListener('pointerdown', (event) => {
    if (menu && !menu.panel.contains(event.target) && !menu.button.contains(event.target)) closeMenu();
  });

  const action = (label, iconName, onClick, danger = false) => {
    const button = h('button', `button button--ghost zone__action${danger ? ' button--danger' : ''}`);
    button.type = 'button';
    button.append(boardIcon(iconName), h('span', null, label));
    button.addEventListener('click', () => {
      closeMenu();
      onClick();
    });
    return button;
  };

  function openMenu(column, button) {
    if (menu && menu.column === column) {
      closeMenu(true);
      return;
    }
    closeMenu();
    const index = zones.zones.findIndex((z) => z.id === column.id);
    const panel = h('div', 'zone__menu');
    panel.setAttribute('role', 'group');
    panel.setAttribute('aria-label', format(t.zone_actions, { zone: column.zone.title }));
    panel.append(action(t.zone_rename, 'rename', () => rename(column)));
    if (column.id !== INBOX) {
      const left = action(t.zone_left, 'left', () => send('zone.move', { id: column.id, index: index - 1 }));
      left.disabled = index <= 1;
      const right = action(t.zone_right, 'right', () => send('zone.move', { id: column.id, index: index + 1 }));
      right.disabled = index >= zones.zones.length - 1;
      panel.append(left, right, action(t.zone_remove, 'delete', () => confirmRemove(column), true));
    }
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        closeMenu(true);
      }
    });
    // Tabbing out of the menu closes it.
    panel.addEventListener('focusout', (event) => {
      const next = event.relatedTarget;
      if (next && menu && menu.panel === panel && !panel.contains(next) && next !== button) closeMenu();
    });
    column.head.append(panel);
    button.setAttribute('aria-expanded', 'true');
    menu = { column, panel, button };
    panel.querySelector('button:not(:disabled)')?.focus();
  }

  /** A one-line form: Enter saves, Escape cancels. */
  function titleForm({ value = '', label, submitLabel, onSubmit, onCancel }) {
    const form = h('form', 'zone__form');
    form.noValidate = true;
    const input = h('input', 'input zone__input');
    input.type = 'text';
    input.maxLength = MAX_TITLE;
    input.value = value;
    input.required = true;
    input.autocomplete = 'off';
    input.setAttribute('aria-label', label);
    const save = h('button', 'button button--primary', submitLabel);
    save.type = 'submit';
    const cancel = h('button', 'button button--ghost', t.cancel);
    cancel.type = 'button';
    const buttons = h('div', 'zone__form-buttons');
    buttons.append(save, cancel);
    form.append(input, buttons);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const title = input.value.replace(/\s+/g, ' ').trim();
      if (!title) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      onSubmit(title);
    });
    cancel.addEventListener('click', onCancel);
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        onCancel();
      }
    });
    return { form, input };
  }

  function rename(column) {
    const { form, input } = titleForm({
      value: column.zone.title,
      label: t.zone_title_label,
      submitLabel: t.save,
      onSubmit(title) {
        if (title !== column.zone.title) send('zone.rename', { id: column.id, title });
        done();
      },
      onCancel: () => done(),
    });
    const done = () => {
      form.remove();
      column.heading.hidden = false;
      column.menuButton.hidden = false;
      column.menuButton.focus();
    };
    column.heading.hidden = true;
    column.menuButton.hidden = true;
    column.head.prepend(form);
    input.focus();
    input.select();
  }

  // ---- remove, with a dialog ------------------------------------------------------------------

  const dialog = h('dialog', 'dialog zone-dialog');
  dialog.id = 'zone-remove-dialog';
  dialog.setAttribute('aria-labelledby', 'zone-dialog-title');
  const dialogTitle = h('h2', 'dialog__title');
  dialogTitle.id = 'zone-dialog-title';
  const dialogText = h('p', 'dialog__text');
  const dialogButtons = h('div', 'dialog__buttons');
  const keep = h('button', 'button button--secondary', t.cancel);
  keep.type = 'button';
  const remove = h('button', 'button button--danger-solid', t.zone_remove_confirm);
  remove.type = 'button';
  dialogButtons.append(keep, remove);
  dialog.append(dialogTitle, dialogText, dialogButtons);
  let removing = null;
  keep.addEventListener('click', () => dialog.close());
  remove.addEventListener('click', () => {
    if (removing) {
      send('zone.remove', { id: removing.id });
      announce(format(t.zone_removed, { zone: removing.zone.title }));
    }
    dialog.close();
  });
  dialog.addEventListener('close', () => {
    const column = removing;
    removing = null;
    const inbox = zones.columns.get(INBOX);
    if (column && column.menuButton.isConnected) column.menuButton.focus();
    else inbox?.menuButton?.focus();
  });

  function confirmRemove(column) {
    removing = column;
    const count = zones.zoneCards(column.id).length;
    dialogTitle.textContent = format(t.zone_remove_title, { zone: column.zone.title });
    dialogText.textContent = plural(t, 'zone_remove', count, undefined, { inbox: zones.zoneTitle(INBOX) });
    if (!dialog.isConnected) document.body.append(dialog);
    dialog.showModal();
    keep.focus();
  }

  // ---- the "add a zone" column -----------------------------------------------------------------

  const adder = h('div', 'zone zone--add');
  const addButton = h('button', 'button button--secondary zone__add');
  addButton.type = 'button';
  addButton.append(boardIcon('plus'), h('span', null, t.zone_add));
  adder.append(addButton);
  addButton.addEventListener('click', () => {
    if (zones.zones.length >= MAX_ZONES) {
      announce(format(t.zone_max, { max: MAX_ZONES }));
      return;
    }
    const { form, input } = titleForm({
      label: t.zone_new_label,
      submitLabel: t.zone_add_go,
      onSubmit(title) {
        const id = newZoneId();
        send('zone.add', { id, title });
        input.value = '';
        input.focus();
        requestAnimationFrame(() => adder.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
      },
      onCancel() {
        form.remove();
        addButton.hidden = false;
        addButton.focus();
      },
    });
    input.placeholder = t.zone_new_placeholder || '';
    addButton.hidden = true;
    adder.append(form);
    input.focus();
  });

  return {
    /** The column kept after the zones (null for non-facilitators). */
    tail: canManage() ? adder : null,
    /** Adds the menu button to a column (ZonesView's decorateZone hook). */
    decorate(zone, column) {
      if (!canManage()) return;
      if (!column.menuButton) {
        const button = h('button', 'button button--ghost button--icon zone__menu-button');
        button.type = 'button';
        button.setAttribute('aria-expanded', 'false');
        button.append(boardIcon('more'));
        button.addEventListener('click', () => openMenu(column, button));
        column.head.append(button);
        column.menuButton = button;
      }
      column.menuButton.setAttribute('aria-label', format(t.zone_actions, { zone: zone.title }));
      column.menuButton.title = t.zone_menu;
    },
  };
}
