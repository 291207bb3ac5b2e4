// "Add notes" of a theme: a dialog listing the board's notes with a checkbox each (the theme's own
// ticked), a search box, and Apply — the keyboard and phone way to fill a theme (drag and drop is
// the other). Each note whose box changed gets one `card.update {theme_id}`.

import { format } from './sync.js';
import { h } from './ui.js';
import { snippet } from './themes-view.js';

const fold = (text) => String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/**
 * t: theme strings; cards(): the board's cards in display order; themeTitle(id) -> title or '';
 * zoneTitle(id) -> title; apply(theme, changes: [{card, themeId}]).
 */
export function createThemePicker({ t, cards, themeTitle, zoneTitle, apply }) {
  const dialog = h('dialog', 'dialog theme-picker');
  dialog.setAttribute('aria-labelledby', 'theme-picker-title');
  const title = h('h2', 'dialog__title');
  title.id = 'theme-picker-title';
  const search = h('input', 'input theme-picker__search');
  search.type = 'search';
  search.autocomplete = 'off';
  search.setAttribute('aria-label', t.picker_search);
  search.placeholder = t.picker_search;
  const list = h('ul', 'theme-picker__list');
  list.setAttribute('aria-labelledby', title.id);
  const empty = h('p', 'theme-picker__empty');
  empty.setAttribute('role', 'status');
  const buttons = h('div', 'dialog__buttons');
  const cancel = h('button', 'button button--secondary', t.cancel);
  cancel.type = 'button';
  const ok = h('button', 'button button--primary', t.picker_apply);
  ok.type = 'button';
  buttons.append(cancel, ok);
  dialog.append(title, search, list, empty, buttons);

  let theme = null;
  let rows = []; // {card, box, item, text}
  let returnFocus = null;

  function filter() {
    const query = fold(search.value.trim());
    let shown = 0;
    for (const row of rows) {
      const match = !query || row.text.includes(query);
      row.item.hidden = !match;
      if (match) shown += 1;
    }
    empty.hidden = shown > 0;
    empty.textContent = rows.length ? t.picker_empty : t.picker_none;
  }

  function row(card, n) {
    const item = h('li', 'theme-picker__item');
    const label = h('label', 'theme-picker__label');
    const box = h('input', 'theme-picker__box');
    box.type = 'checkbox';
    box.checked = card.theme_id === theme.id;
    box.id = `theme-pick-${n}`;
    const body = h('span', 'theme-picker__body');
    body.append(h('span', 'theme-picker__text', snippet(card.text, 140)));
    const where = [zoneTitle(card.zone)];
    const other = card.theme_id && card.theme_id !== theme.id ? themeTitle(card.theme_id) : '';
    if (other) where.push(format(t.picker_in, { theme: other }));
    body.append(h('span', 'theme-picker__meta', where.filter(Boolean).join(' · ')));
    label.append(box, body);
    item.append(label);
    return { card, box, item, text: fold(`${card.text} ${card.author_name || ''} ${(card.tags || []).join(' ')}`) };
  }

  ok.addEventListener('click', () => {
    const changes = [];
    for (const { card, box } of rows) {
      const was = card.theme_id === theme.id;
      if (box.checked !== was) changes.push({ card, themeId: box.checked ? theme.id : null });
    }
    const target = theme;
    dialog.close();
    if (changes.length) apply(target, changes);
  });
  cancel.addEventListener('click', () => dialog.close());
  search.addEventListener('input', filter);
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      list.querySelector('li:not([hidden]) input')?.focus();
    }
  });
  dialog.addEventListener('close', () => {
    theme = null;
    rows = [];
    list.replaceChildren();
    if (returnFocus && returnFocus.isConnected) returnFocus.focus();
  });

  return {
    open(target) {
      theme = target;
      returnFocus = document.activeElement;
      title.textContent = format(t.picker_title, { theme: target.title });
      search.value = '';
      rows = cards().map((card, i) => row(card, i));
      list.replaceChildren(...rows.map((r) => r.item));
      filter();
      if (!dialog.isConnected) document.body.append(dialog);
      dialog.showModal();
      search.focus();
    },
  };
}
