// "My notes" on the capture screen: each note with its state (waiting to send, waiting for the board
// to reopen, sending, sent at 10:42, not sent) and what can be done with it. Built with the DOM
// only; text via textContent.

import { thumbUrl } from './cards-view.js';
import { FAILED, SENDING, SENT } from './outbox.js';
import { KINDS, format } from './sync.js';
import { h, icon, timeFormatter } from './ui.js';

const STATE_ICONS = { waiting: 'clock', held: 'clock', sent: 'check', failed: 'alert' };

export class NotesList {
  /** hooks: onEdit(id, changes), onDelete(id), onRetry(seq), onDropMedia(seq) */
  constructor({ list, empty, t, locale, visits, photos, ...hooks }) {
    Object.assign(this, { list, empty, t, visits, photos, hooks });
    this.when = timeFormatter(locale);
    this.rows = new Map(); // id -> {root, refs, sig, editing}
  }

  render(notes) {
    this.empty.hidden = notes.length > 0;
    const seen = new Set();
    let previous = null;
    for (const note of notes) {
      seen.add(note.id);
      let row = this.rows.get(note.id);
      if (!row) {
        row = this._create(note.id);
        this.rows.set(note.id, row);
      }
      this._update(row, note);
      const expected = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (expected !== row.root) this.list.insertBefore(row.root, expected);
      previous = row.root;
    }
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        row.root.remove();
        this.rows.delete(id);
      }
    }
  }

  _create(id) {
    const { t } = this;
    const root = h('li', 'note');
    root.dataset.id = id;
    const main = h('div', 'note__main');
    const thumb = h('img', 'note__thumb');
    thumb.alt = t.photo_of_note;
    thumb.hidden = true;
    thumb.addEventListener('error', () => thumb.classList.add('note__thumb--missing'));
    const body = h('div', 'note__body');
    const kind = h('p', 'note__kind');
    const text = h('p', 'note__text');
    const actor = h('p', 'note__actor');
    const problem = h('p', 'note__problem');
    problem.hidden = true;
    body.append(kind, text, actor, problem);
    main.append(thumb, body);
    const foot = h('div', 'note__foot');
    const state = h('p', 'note__state');
    const stateIcon = h('span', 'note__state-icon');
    const stateText = h('span', 'note__state-text');
    state.append(stateIcon, stateText);
    const actions = h('div', 'note__actions');
    const retry = button('button button--secondary note__retry', t.retry, 'retry');
    const withoutPhoto = button('button button--secondary note__nophoto', t.send_without_photo);
    const edit = button('button button--ghost button--icon note__edit-button', null, 'edit', t.edit_label);
    const del = button('button button--ghost button--icon button--danger note__delete', null, 'delete', t.delete_label);
    actions.append(retry, withoutPhoto, edit, del);
    foot.append(state, actions);
    root.append(main, foot);
    const row = { id, root, refs: { thumb, kind, text, actor, problem, state, stateIcon, stateText, retry, withoutPhoto, edit, del, foot }, sig: null, note: null, editing: null };
    retry.addEventListener('click', () => row.note && this.hooks.onRetry(row.note.failedSeq));
    withoutPhoto.addEventListener('click', () => row.note && this.hooks.onDropMedia(row.note.failedSeq));
    edit.addEventListener('click', () => this._startEdit(row));
    del.addEventListener('click', () => this.hooks.onDelete(id));
    return row;
  }

  _update(row, note) {
    const { t, refs } = { t: this.t, refs: row.refs };
    row.note = note;
    const data = note.note || {};
    const visit = data.visit_id ? this.visits.get(data.visit_id) : null;
    const sig = JSON.stringify([note.state, note.sent_at, note.error, data, visit && visit.title, note.attempts > 0]);
    if (row.sig === sig || row.editing) return;
    row.sig = sig;
    row.root.className = `note note--${note.state}`;
    row.root.dataset.state = note.state;
    const kind = KINDS.includes(data.kind) ? data.kind : 'note';
    row.root.dataset.kind = kind;
    refs.kind.textContent = [(t.kinds && t.kinds[kind]) || kind, visit && visit.title].filter(Boolean).join(' · ');
    refs.text.textContent = data.text || '';
    refs.actor.hidden = !data.actor;
    refs.actor.textContent = data.actor ? format(t.actor_met, { actor: data.actor }) : '';
    const src = data.media_id ? (note.state !== SENT && this.photos.url(data.media_id)) || thumbUrl(data.media_id) : null;
    refs.thumb.hidden = !src;
    if (src && refs.thumb.getAttribute('src') !== src) {
      refs.thumb.classList.remove('note__thumb--missing');
      refs.thumb.src = src;
    }
    // The state, in words and with an icon (colour is never the only signal).
    const label = note.state === SENT ? format(t.states.sent, { time: this.when(note.sent_at) }) : t.states[note.state];
    refs.stateText.textContent = label;
    const failed = note.state === FAILED && note.error ? note.error : null;
    // A photo the server cannot read will not get better: offer to send the note without it.
    const badPhoto = Boolean(failed && failed.stage === 'media' && ['invalid', 'too_large'].includes(failed.code));
    refs.problem.hidden = !failed;
    refs.problem.textContent = failed
      ? [failed.stage === 'media' ? t.photo_refused : '', failed.message || (t.errors && (t.errors[failed.code] || t.errors.unknown)) || '']
        .filter(Boolean).join(' ')
      : '';
    refs.stateIcon.replaceChildren(note.state === SENDING ? h('span', 'spinner') : icon(STATE_ICONS[note.state] || 'clock', 'icon icon--small'));
    refs.retry.hidden = !failed || badPhoto;
    refs.withoutPhoto.hidden = !badPhoto;
    refs.edit.hidden = note.state === FAILED;
  }

  _startEdit(row) {
    const { t } = this;
    const data = (row.note && row.note.note) || {};
    if (row.editing) return;
    const form = h('form', 'note__editor');
    form.noValidate = true;
    const area = h('textarea', 'input note__editor-text');
    area.value = data.text || '';
    area.maxLength = 2000;
    area.rows = 4;
    area.setAttribute('aria-label', t.edit_text_label);
    const kind = h('select', 'select');
    kind.setAttribute('aria-label', t.kind_label);
    for (const value of ['observation', 'quote', 'question', 'idea', 'note']) {
      const option = h('option', null, (t.kinds && t.kinds[value]) || value);
      option.value = value;
      option.selected = value === (data.kind || 'note');
      if (value !== 'note' || data.kind === 'note') kind.append(option);
    }
    const actor = h('input', 'input');
    actor.type = 'text';
    actor.maxLength = 120;
    actor.value = data.actor || '';
    actor.placeholder = t.actor_placeholder;
    actor.autocomplete = 'off';
    actor.setAttribute('aria-label', t.actor_label);
    actor.setAttribute('list', 'actor-suggestions');
    const buttons = h('div', 'note__editor-buttons');
    const cancel = button('button button--secondary', t.cancel);
    const save = h('button', 'button button--primary', t.save);
    save.type = 'submit';
    buttons.append(cancel, save);
    form.append(area, kind, actor, buttons);
    row.editing = form;
    row.refs.foot.hidden = true;
    row.root.classList.add('note--editing');
    row.root.append(form);
    const close = () => {
      form.remove();
      row.editing = null;
      row.sig = null;
      row.refs.foot.hidden = false;
      row.root.classList.remove('note--editing');
      if (row.note) this._update(row, row.note);
      row.refs.edit.focus();
    };
    cancel.addEventListener('click', close);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = area.value.trim();
      if (!text) {
        area.setAttribute('aria-invalid', 'true');
        area.focus();
        return;
      }
      const changes = {};
      if (text !== data.text) changes.text = text;
      if (kind.value !== (data.kind || 'note')) changes.kind = kind.value;
      if (actor.value.trim() !== (data.actor || '')) changes.actor = actor.value.trim();
      if (Object.keys(changes).length) this.hooks.onEdit(row.id, changes);
      close();
    });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    });
    area.focus();
  }
}

function button(className, text, iconName, label) {
  const node = h('button', className);
  node.type = 'button';
  if (iconName) node.append(icon(iconName));
  if (text) node.append(h('span', null, text));
  if (label) {
    node.setAttribute('aria-label', label);
    node.title = label;
  }
  return node;
}
