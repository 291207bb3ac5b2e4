// A theme's "⋯" menu: rename (in place), colour, delete (with Undo in a toast, theme.restore).

import { boardIcon } from './board-icons.js';
import { COLOURS, format } from './sync.js';
import { h } from './ui.js';

export const MAX_THEME_TITLE = 120;
export const cleanTitle = (value) => String(value || '').replace(/\s+/g, ' ').trim();

/** view: the ThemesView; t: theme strings; colours: colour names; send(type, data); onDelete(theme). */
export function createThemeMenu({ view, t, colours = {}, send, onDelete }) {
  let open = null; // {panel, button, id}

  function close(focus = false) {
    if (!open) return;
    const { panel, button } = open;
    open = null;
    panel.remove();
    button.setAttribute('aria-expanded', 'false');
    if (focus && button.isConnected) button.focus();
  }

  document.addEventListener('pointerdown', (event) => {
    if (open && !open.panel.contains(event.target) && !open.button.contains(event.target)) close();
  });

  function action(label, iconName, onClick, danger = false) {
    const button = h('button', `button button--ghost theme-menu__action${danger ? ' button--danger' : ''}`);
    button.type = 'button';
    button.append(boardIcon(iconName), h('span', null, label));
    button.addEventListener('click', onClick);
    return button;
  }

  function colourPicker(theme) {
    const group = h('div', 'theme-menu__colours');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', t.colour_label);
    for (const colour of COLOURS) {
      const swatch = h('button', `theme-menu__colour swatch--${colour}`);
      swatch.type = 'button';
      swatch.setAttribute('aria-pressed', colour === theme.colour ? 'true' : 'false');
      swatch.setAttribute('aria-label', colours[colour] || colour);
      swatch.title = colours[colour] || colour;
      swatch.append(h('span', 'swatch__chip'));
      swatch.addEventListener('click', () => {
        if (colour !== theme.colour) send('theme.update', { id: theme.id, colour });
        close(true);
      });
      group.append(swatch);
    }
    return group;
  }

  function rename(theme) {
    const entry = view.entries.get(theme.id);
    if (!entry) return;
    const { heading, menu } = entry.refs;
    const form = h('form', 'theme__rename');
    form.noValidate = true;
    const input = h('input', 'input');
    input.type = 'text';
    input.maxLength = MAX_THEME_TITLE;
    input.value = theme.title;
    input.autocomplete = 'off';
    input.setAttribute('aria-label', t.title_label);
    const save = h('button', 'button button--primary', t.save);
    save.type = 'submit';
    const cancel = h('button', 'button button--ghost', t.cancel);
    cancel.type = 'button';
    form.append(input, save, cancel);
    const done = () => {
      entry.renaming = false;
      form.remove();
      heading.hidden = false;
      menu.hidden = false;
      menu.focus();
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const title = cleanTitle(input.value);
      if (!title) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      if (title !== (view.entries.get(theme.id)?.theme || theme).title) send('theme.update', { id: theme.id, title });
      done();
    });
    cancel.addEventListener('click', done);
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        done();
      }
    });
    entry.renaming = true;
    heading.hidden = true;
    menu.hidden = true;
    heading.after(form);
    input.focus();
    input.select();
  }

  return {
    /** Opens (or closes) the menu of `theme` under `button`. */
    toggle(theme, button) {
      if (open && open.id === theme.id) {
        close(true);
        return;
      }
      close();
      const panel = h('div', 'theme-menu');
      panel.setAttribute('role', 'group');
      panel.setAttribute('aria-label', format(t.menu_label, { theme: theme.title }));
      panel.append(
        action(t.rename, 'rename', () => {
          close();
          rename(theme);
        }),
        colourPicker(theme),
        action(t.delete, 'delete', () => {
          close();
          onDelete(theme);
        }, true),
      );
      panel.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          close(true);
        }
      });
      button.after(panel);
      button.setAttribute('aria-expanded', 'true');
      open = { panel, button, id: theme.id };
      panel.querySelector('button')?.focus();
    },
    close,
  };
}
