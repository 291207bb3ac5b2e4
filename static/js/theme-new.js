// "New theme": the button of the themes section opens a one-line form (title, Enter creates, Escape
// closes); the form stays open after creating, for the next theme.

import { cleanTitle } from './theme-menu.js';
import { format } from './sync.js';
import { $ } from './ui.js';

export const MAX_THEMES = 40;

/** count(): live themes; writable(); create(title). */
export function newThemeForm({ t, count, writable, create }) {
  const button = $('theme-new-button');
  const form = $('theme-new');
  const input = $('theme-new-title');
  const error = $('theme-new-error');
  if (!button || !form) return;

  const say = (message) => {
    error.textContent = message;
    error.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  const show = (open) => {
    form.hidden = !open;
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    say('');
    if (open) input.focus();
    else button.focus();
  };

  button.addEventListener('click', () => show(form.hidden));
  $('theme-new-cancel').addEventListener('click', () => show(false));
  input.addEventListener('input', () => say(''));
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      show(false);
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!writable()) return;
    const title = cleanTitle(input.value);
    if (!title) {
      say(t.title_needed);
      input.focus();
      return;
    }
    if (count() >= MAX_THEMES) {
      say(format(t.max_themes, { max: MAX_THEMES }));
      return;
    }
    create(title);
    input.value = '';
    say('');
    input.focus();
  });
}
