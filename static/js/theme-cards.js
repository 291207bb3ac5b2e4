// Themes on the cards themselves: the theme badge (a button to the theme) and "… is editing" in each
// card's `.card__extras` (a CardsView decorator), and the Theme choice of the card editor.

import { editingLabel } from './editing.js';
import { COLOURS, format } from './sync.js';
import { h } from './ui.js';

/**
 * t: theme strings; themeOf(id) -> the visible theme or undefined; whoEdits(target) -> names;
 * goToTheme(id).
 */
export function cardDecorator({ t, themeOf, whoEdits, goToTheme }) {
  return (card, root) => {
    const extras = root.querySelector('.card__extras');
    if (!extras) return;
    const theme = card.theme_id ? themeOf(card.theme_id) : null;
    let badge = extras.querySelector('.card-theme');
    if (!theme) badge?.remove();
    else {
      if (!badge) {
        badge = h('button', 'card-theme');
        badge.type = 'button';
        badge.addEventListener('click', () => goToTheme(badge.dataset.themeId));
        extras.prepend(badge);
      }
      badge.dataset.themeId = theme.id;
      badge.className = `card-theme card-theme--${COLOURS.includes(theme.colour) ? theme.colour : 'blue'}`;
      badge.textContent = theme.title;
      badge.setAttribute('aria-label', format(t.badge, { theme: theme.title }));
      badge.title = t.badge_title;
    }
    const label = editingLabel(whoEdits(`card:${card.id}`), t);
    let note = extras.querySelector('.card__editing');
    if (!label) note?.remove();
    else {
      if (!note) {
        note = h('p', 'editing-badge card__editing');
        note.setAttribute('role', 'status');
        extras.append(note);
      }
      note.textContent = label;
    }
  };
}

/**
 * The card editor's Theme choice (card-editor.js `extend`): {root, changes(card)}, or null when the
 * board has no theme. themes: the visible themes, display order.
 */
export function themeField(card, themes, t) {
  const known = new Set(themes.map((theme) => theme.id));
  if (!themes.length && !card.theme_id) return null;
  const label = h('label', 'card__edit-theme');
  label.append(h('span', 'card__edit-theme-label', t.card_theme));
  const select = h('select', 'select');
  const none = h('option', null, t.no_theme);
  none.value = '';
  select.append(none);
  for (const theme of themes) {
    const option = h('option', null, theme.title);
    option.value = theme.id;
    select.append(option);
  }
  select.value = card.theme_id && known.has(card.theme_id) ? card.theme_id : '';
  label.append(select);
  return {
    root: label,
    changes(current) {
      if (!select.value && current.theme_id && !known.has(current.theme_id)) return {}; // in a deleted theme: leave it
      const value = select.value || null;
      return value !== (current.theme_id || null) ? { theme_id: value } : {};
    },
  };
}
