// The cards of a board as DOM: one <li> per card, updated in place (a signature skips the ones that
// did not change), with the photo thumbnail, the visit and the actor met. Text via textContent only.

import { COLOURS, KINDS, format } from './sync.js';
import { h, icon, timeFormatter } from './ui.js';

const LONG_TEXT = 420; // characters before a note is folded
const ONE_SHOT = ['card--new', 'card--flash'];

export const thumbUrl = (mediaId) => `/api/v1/media/${encodeURIComponent(mediaId)}/thumb`;
export const photoUrl = (mediaId) => `/api/v1/media/${encodeURIComponent(mediaId)}`;

export class CardsView {
  /**
   * list: the <ul>; t: strings; visits: Map id -> visit;
   * hooks: isWritable(), isWaiting(card), localPhoto(mediaId) -> object URL or null,
   *        onEdit(entry), onDelete(entry), onOpenPhoto(card, button)
   */
  constructor({ list, t, locale, visits = new Map(), ...hooks }) {
    this.list = list;
    this.t = t;
    this.visits = visits;
    this.hooks = hooks;
    this.entries = new Map(); // id -> {id, root, refs, card, sig, editing, expanded, orphan}
    this.when = timeFormatter(locale);
  }

  /** Forget every signature: the next render redraws each card (writability changed…). */
  invalidate() {
    for (const entry of this.entries.values()) entry.sig = null;
  }

  /**
   * Shows `cards` in order. `isNew(card)` says which new entries get the arrival animation.
   * Returns the entries kept because they are being edited although their card is gone.
   */
  render(cards, { isNew = () => false, onOrphan = () => {}, onRemoved = () => {} } = {}) {
    const seen = new Set();
    let previous = null;
    for (const card of cards) {
      seen.add(card.id);
      let entry = this.entries.get(card.id);
      if (!entry) {
        entry = this._create(card.id);
        this.entries.set(card.id, entry);
        if (isNew(card)) entry.root.classList.add('card--new');
      }
      if (entry.orphan) {
        entry.orphan = false;
        entry.editing?.warn('');
      }
      this._update(entry, card);
      const expected = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (expected !== entry.root) this.list.insertBefore(entry.root, expected);
      previous = entry.root;
    }
    for (const [id, entry] of this.entries) {
      if (seen.has(id)) continue;
      if (entry.editing) {
        // Deleted by someone else while we edit it: keep the editor so the text is not lost.
        if (!entry.orphan) {
          entry.orphan = true;
          onOrphan(entry);
        }
        continue;
      }
      const hadFocus = entry.root.contains(document.activeElement);
      entry.root.remove();
      this.entries.delete(id);
      if (hadFocus) onRemoved();
    }
  }

  /** Scrolls to a card and flashes it (one's own new note). */
  reveal(id, smooth = true) {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.root.scrollIntoView({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
    entry.root.classList.remove('card--flash');
    void entry.root.offsetWidth; // restart the animation
    entry.root.classList.add('card--flash');
  }

  drop(entry) {
    entry.root.remove();
    this.entries.delete(entry.id);
  }

  _create(id) {
    const { t } = this;
    const root = h('li', 'card');
    root.dataset.id = id;
    const head = h('div', 'card__head');
    const kind = h('span', 'card__kind');
    const status = h('span', 'card__status');
    status.hidden = true;
    head.append(kind, status);
    const photo = h('button', 'card__photo');
    photo.type = 'button';
    photo.hidden = true;
    const missing = h('span', 'card__photo-missing');
    missing.append(icon('camera'), h('span', null, t.photo_unavailable));
    photo.append(missing);
    const text = h('p', 'card__text');
    const more = h('button', 'button button--ghost card__more');
    more.type = 'button';
    more.hidden = true;
    const context = h('p', 'card__context');
    const visit = h('span', 'card__visit');
    const visitText = h('span');
    visit.append(icon('pin', 'icon icon--small'), h('span', 'visually-hidden', `${t.visit_label} `), visitText);
    const actor = h('span', 'card__actor');
    const actorText = h('span');
    actor.append(icon('person', 'icon icon--small'), h('span', 'visually-hidden', `${t.actor_label_short} `), actorText);
    context.append(visit, actor);
    const foot = h('div', 'card__foot');
    const author = h('span', 'card__author');
    const time = h('time', 'card__meta');
    const actions = h('div', 'card__actions');
    const edit = h('button', 'button button--ghost button--icon');
    edit.type = 'button';
    edit.append(icon('edit'), h('span', 'visually-hidden', t.edit));
    const del = h('button', 'button button--ghost button--icon button--danger');
    del.type = 'button';
    del.append(icon('delete'), h('span', 'visually-hidden', t.delete));
    actions.append(edit, del);
    foot.append(author, time, actions);
    root.append(head, photo, text, more, context, foot);
    const entry = {
      id,
      root,
      refs: { kind, status, photo, thumb: null, text, more, context, visit, visitText, actor, actorText, author, time, actions, edit, del },
      sig: null,
      editing: null,
      expanded: false,
    };
    more.addEventListener('click', () => {
      entry.expanded = !entry.expanded;
      entry.sig = null;
      if (entry.card) this._update(entry, entry.card);
    });
    // One-shot highlight classes: drop them when done, or moving the node would replay them.
    root.addEventListener('animationend', () => root.classList.remove(...ONE_SHOT));
    edit.addEventListener('click', () => this.hooks.onEdit(entry));
    del.addEventListener('click', () => this.hooks.onDelete(entry));
    photo.addEventListener('click', () => entry.card && this.hooks.onOpenPhoto(entry.card, photo));
    return entry;
  }

  _update(entry, card) {
    const { t } = this;
    const waiting = card.pending && this.hooks.isWaiting(card);
    const writable = this.hooks.isWritable();
    const visit = card.visit_id ? this.visits.get(card.visit_id) : null;
    const sig = [card.version, card.pending ? 1 : 0, waiting ? 1 : 0, card.text, card.kind, card.colour,
      card.author_name, card.created_at, writable ? 1 : 0, card.media_id, card.actor, visit && visit.title].join('\u0001');
    if (entry.editing) {
      entry.card = card;
      if (!card.pending && entry.editing.version !== card.version) entry.editing.warn(t.changed_meanwhile);
      return;
    }
    if (entry.sig === sig) return;
    entry.sig = sig;
    entry.card = card;
    const { refs, root } = entry;
    const colour = COLOURS.includes(card.colour) ? card.colour : 'yellow';
    const kind = KINDS.includes(card.kind) ? card.kind : 'note';
    const oneShot = ONE_SHOT.filter((c) => root.classList.contains(c));
    // Long notes are folded to ten lines, with a button to unfold them.
    const long = card.text.length > LONG_TEXT || card.text.split('\n').length > 10;
    const clamped = long && !entry.expanded;
    root.className = [`card card--${colour}`, card.pending ? 'card--pending' : '', clamped ? 'card--clamped' : '',
      card.media_id ? 'card--photo' : '', ...oneShot].filter(Boolean).join(' ');
    refs.more.hidden = !long;
    refs.more.textContent = entry.expanded ? t.show_less : t.show_more;
    refs.more.setAttribute('aria-expanded', entry.expanded ? 'true' : 'false');
    root.dataset.kind = kind;
    if (card.pending) root.setAttribute('aria-busy', 'true');
    else root.removeAttribute('aria-busy');
    refs.kind.textContent = (t.kinds && t.kinds[kind]) || kind;
    refs.status.hidden = !card.pending;
    refs.status.textContent = card.pending ? (waiting ? t.queued : t.sending) : '';
    refs.text.textContent = card.text;
    const name = card.author_name || '';
    this._photo(refs, card, name);
    refs.visit.hidden = !visit;
    refs.visitText.textContent = visit ? visit.title : '';
    refs.visit.title = visit ? visit.title : '';
    refs.actor.hidden = !card.actor;
    refs.actorText.textContent = card.actor || '';
    refs.actor.title = card.actor ? format(t.actor_met, { actor: card.actor }) : '';
    refs.context.hidden = !visit && !card.actor;
    refs.author.textContent = name;
    refs.author.title = name;
    refs.time.textContent = this.when(card.created_at);
    if (card.created_at) refs.time.setAttribute('datetime', card.created_at);
    else refs.time.removeAttribute('datetime');
    refs.actions.hidden = !writable;
    refs.edit.setAttribute('aria-label', format(t.edit_label, { name }));
    refs.edit.title = t.edit;
    refs.del.setAttribute('aria-label', format(t.delete_label, { name }));
    refs.del.title = t.delete;
  }

  _photo(refs, card, name) {
    refs.photo.hidden = !card.media_id;
    if (!card.media_id) {
      refs.thumb?.remove();
      refs.thumb = null;
      return;
    }
    if (!refs.thumb) {
      // Created only for cards with a photo: user text never becomes an element.
      const thumb = h('img', 'card__thumb');
      thumb.alt = '';
      thumb.decoding = 'async';
      thumb.loading = 'lazy';
      thumb.addEventListener('error', () => refs.photo.classList.add('card__photo--missing'));
      thumb.addEventListener('load', () => refs.photo.classList.remove('card__photo--missing'));
      refs.photo.prepend(thumb);
      refs.thumb = thumb;
    }
    // Not uploaded yet (queued on this phone): the local copy.
    const src = (card.pending && this.hooks.localPhoto && this.hooks.localPhoto(card.media_id)) || thumbUrl(card.media_id);
    if (refs.thumb.getAttribute('src') !== src) {
      refs.photo.classList.remove('card__photo--missing');
      refs.thumb.src = src;
    }
    refs.photo.setAttribute('aria-label', format(this.t.open_photo, { name }));
  }
}
