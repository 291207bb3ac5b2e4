// Editing a card in place on the board: text, type, colour, the actor met and the tags (the
// dimensions and free tags, tag-field.js).

import { COLOURS, KINDS, MAX_TEXT } from './sync.js';
import { createTagField } from './tag-field.js';
import { sameTags } from './tags.js';
import { h } from './ui.js';

function buildSwatches(t, name, current) {
  const box = h('div', 'swatches swatches--small');
  box.setAttribute('role', 'radiogroup');
  box.setAttribute('aria-label', t.colour_label || '');
  const list = h('div', 'swatches__list');
  for (const colour of COLOURS) {
    const label = h('label', `swatch swatch--${colour}`);
    label.title = (t.colours && t.colours[colour]) || colour;
    const input = h('input');
    input.type = 'radio';
    input.name = name;
    input.value = colour;
    input.checked = colour === current;
    label.append(input, h('span', 'swatch__chip'), h('span', 'visually-hidden', label.title));
    list.append(label);
  }
  box.append(list);
  return box;
}

/**
 * Opens the editor in `entry` (from CardsView). `save(changes, {restore})` gets the changed fields
 * (possibly none) and whether the card must be restored first; `done(orphanCancelled)` runs when the
 * editor closes. `extend(card)` (optional) adds a field of another feature: it returns null or
 * {root, changes(card)} (the themes' Theme choice, themes.js).
 */
export function startEdit(entry, { t, save, done, extend = null }) {
  const card = entry.card;
  if (entry.editing || !card) return;
  const form = h('form', 'card__edit');
  form.noValidate = true;
  const area = h('textarea', 'card__edit-text');
  area.value = card.text;
  area.maxLength = MAX_TEXT;
  area.rows = Math.min(10, Math.max(3, card.text.split('\n').length + 1));
  area.setAttribute('aria-label', t.edit_text_label);
  const row = h('div', 'card__edit-row');
  const kind = h('select', 'select');
  kind.setAttribute('aria-label', t.kind_label || '');
  for (const value of KINDS) {
    const option = h('option', null, (t.kinds && t.kinds[value]) || value);
    option.value = value;
    option.selected = value === card.kind;
    kind.append(option);
  }
  const swatches = buildSwatches(t, `edit-colour-${entry.id}`, card.colour);
  row.append(kind, swatches);
  const actor = h('input', 'input card__edit-actor');
  actor.type = 'text';
  actor.maxLength = 120;
  actor.value = card.actor || '';
  actor.placeholder = t.actor_placeholder || '';
  actor.setAttribute('aria-label', t.actor_label || '');
  actor.autocomplete = 'off';
  const tags = createTagField(card.tags, t);
  const warning = h('p', 'card__warning');
  warning.hidden = true;
  warning.setAttribute('role', 'status');
  const buttons = h('div', 'card__edit-buttons');
  const cancel = h('button', 'button button--secondary', t.cancel);
  cancel.type = 'button';
  const submitButton = h('button', 'button button--primary', t.save);
  submitButton.type = 'submit';
  buttons.append(cancel, submitButton);
  const extra = extend ? extend(card) : null;
  form.append(area, row, actor, tags.root, ...(extra ? [extra.root] : []), warning, buttons);

  entry.editing = {
    version: card.version,
    warn(message) {
      warning.textContent = message;
      warning.hidden = !message;
    },
  };
  entry.root.classList.add('card--editing');
  entry.refs.text.hidden = true;
  entry.refs.actions.hidden = true;
  if (entry.refs.context) entry.refs.context.hidden = true;
  if (entry.refs.tags) entry.refs.tags.hidden = true;
  entry.refs.text.after(form);

  const finish = (orphanCancelled = false) => {
    form.remove();
    entry.root.classList.remove('card--editing');
    entry.refs.text.hidden = false;
    const orphan = entry.orphan;
    entry.editing = null;
    entry.sig = null;
    done(orphanCancelled);
    if (!orphan) requestAnimationFrame(() => entry.refs.edit.isConnected && entry.refs.edit.focus());
  };

  const submit = () => {
    const text = area.value.trim();
    if (!text) {
      area.setAttribute('aria-invalid', 'true');
      entry.editing.warn(t.empty_text);
      area.focus();
      return;
    }
    const current = entry.card || card;
    const colour = form.querySelector(`input[name="edit-colour-${entry.id}"]:checked`)?.value || current.colour;
    const changes = {};
    if (text !== current.text) changes.text = text;
    if (kind.value !== current.kind && KINDS.includes(kind.value)) changes.kind = kind.value;
    if (colour !== current.colour && COLOURS.includes(colour)) changes.colour = colour;
    const met = actor.value.trim();
    if (met !== (current.actor || '')) changes.actor = met;
    tags.flush(); // a tag typed but not yet added counts
    if (!sameTags(tags.value(), current.tags)) changes.tags = tags.value();
    if (extra) Object.assign(changes, extra.changes(current));
    const restore = Boolean(entry.orphan);
    entry.orphan = false;
    save(changes, { restore });
    finish();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  cancel.addEventListener('click', () => {
    if (entry.orphan) {
      // Cancelled on a card someone deleted: it goes now.
      entry.editing = null;
      done(true);
      return;
    }
    finish();
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      cancel.click();
    }
  });
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
}
