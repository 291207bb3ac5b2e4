// The tags of a card in its editor: the four dimensions as toggle buttons, and free tags typed in a
// box (Enter or comma adds, each shown as a chip with a remove button). Rules in tags.js.

import { addTag, DIMENSIONS, dimClass, dimensionOf, hasTag, MAX_TAG, MAX_TAGS, removeTag, splitTags, tagLabel, toggleTag } from './tags.js';
import { format } from './sync.js';
import { h } from './ui.js';

/** Returns {root, value(): tags, flush()} for a card with `tags`. */
export function createTagField(tags, t) {
  let value = [...(tags || [])];
  const root = h('fieldset', 'tag-field');
  const legend = h('legend', 'tag-field__legend', t.tags_label);
  const dims = h('div', 'tag-field__dims');
  dims.setAttribute('role', 'group');
  dims.setAttribute('aria-label', t.dimensions_label || '');
  const toggles = DIMENSIONS.map((dim) => {
    const button = h('button', `tag-toggle tag--${dimClass(dim)}`, tagLabel(dim, t));
    button.type = 'button';
    button.addEventListener('click', () => {
      const before = value.length;
      value = toggleTag(value, dim);
      draw();
      if (!hasTag(value, dim) && value.length === before) full(); // no room for it
    });
    dims.append(button);
    return [dim, button];
  });
  const chips = h('ul', 'tag-field__chips');
  const add = h('div', 'tag-field__add');
  const input = h('input', 'input tag-field__input');
  input.type = 'text';
  input.maxLength = MAX_TAG * 3;
  input.autocomplete = 'off';
  input.placeholder = t.tag_placeholder || '';
  input.setAttribute('aria-label', t.tag_free_label || '');
  const addButton = h('button', 'button button--secondary', t.tag_add);
  addButton.type = 'button';
  add.append(input, addButton);
  const hint = h('p', 'tag-field__hint', t.tags_full);
  hint.hidden = true;
  hint.setAttribute('role', 'status');
  root.append(legend, dims, chips, add, hint);

  function full() {
    hint.hidden = false;
  }

  function draw() {
    for (const [dim, button] of toggles) button.setAttribute('aria-pressed', hasTag(value, dim) ? 'true' : 'false');
    chips.replaceChildren(...value.filter((tag) => !dimensionOf(tag)).map((tag) => {
      const chip = h('li', 'tag tag--removable');
      const remove = h('button', 'tag__remove', '×');
      remove.type = 'button';
      remove.setAttribute('aria-label', format(t.tag_remove, { tag }));
      remove.addEventListener('click', () => {
        value = removeTag(value, tag);
        hint.hidden = true;
        draw();
        input.focus();
      });
      chip.append(h('span', null, tag), remove);
      return chip;
    }));
    if (value.length < MAX_TAGS) hint.hidden = true;
  }

  /** Adds what is typed in the box; returns true when something was there. */
  function flush() {
    const typed = splitTags(input.value);
    if (!typed.length) return false;
    for (const tag of typed) {
      if (value.length >= MAX_TAGS && !hasTag(value, tag)) {
        full();
        break;
      }
      value = addTag(value, tag);
    }
    input.value = '';
    draw();
    return true;
  }

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !(event.ctrlKey || event.metaKey)) {
      event.preventDefault(); // Enter adds the tag; Ctrl+Enter still saves the card
      flush();
    } else if (event.key === 'Backspace' && !input.value) {
      const free = value.filter((tag) => !dimensionOf(tag));
      if (free.length) {
        value = removeTag(value, free[free.length - 1]);
        draw();
      }
    }
  });
  input.addEventListener('input', () => {
    if (/[,;]/.test(input.value)) flush();
  });
  addButton.addEventListener('click', () => {
    flush();
    input.focus();
  });
  draw();
  return { root, value: () => value, flush };
}
