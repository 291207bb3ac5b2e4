// The cards of a board as DOM: one <li> per card, keyed by id and updated in place (a signature
// skips the ones that did not change), with the photo thumbnail, the visit, the actor met and the
// tags. Text via textContent only. The cards may live in several lists (the zones of zones-view.js):
// `render(cards, {listFor})` puts each card in its list, in the order given, moving only what moved.
//
// Extension points (for other features of the board page):
//   view.addDecorator((card, root) => …)  called after a card's element is created or redrawn, or
//       its card object replaced by a newer one (any field changed), and at once for the cards
//       shown. Put badges in `root.querySelector('.card__extras')` (an empty container at the end of
//       every card) or in data- attributes: the root's class list is rewritten on every redraw.
//       `view.redecorate(id?)` runs the decorators again (one card or all) when their data changed.
//   view.setMatcher(fn | null)  fn(card) -> true/false: matching cards get `card--match`, the others
//       `card--dimmed` (a search or filter); null clears both.
//   view.entries  Map id -> {id, root, card, …} of the cards shown.
// A card first drawn below the first screenful of its list (EAGER) is decorated when the page is
// idle, a few frames later; `performance.mark('collab:cards-decorated')` when none is left waiting.

import { placeInOrder } from './reorder.js';
import { COLOURS, KINDS, format } from './sync.js';
import { dimClass, dimensionOf, orderTags, tagLabel } from './tags.js';
import { workshopDay } from './time.js';
import { h, icon, timeFormatter } from './ui.js';

const LONG_TEXT = 420; // characters before a note is folded
// Cards of a list decorated as they are drawn: more than a screenful. The decorators of the others (a
// new card further down a list of 2,000) run when the page is idle, soon after (`_later`): their badges
// are not seen before the list is scrolled, and the first render of a big board costs a third less.
const EAGER = 16;
const ONE_SHOT = ['card--new', 'card--flash'];

export const thumbUrl = (mediaId) => `/api/v1/media/${encodeURIComponent(mediaId)}/thumb`;
export const photoUrl = (mediaId) => `/api/v1/media/${encodeURIComponent(mediaId)}`;

/** One <path> per icon (the same drawing with fewer nodes to clone for each card). */
function mergePaths(root) {
  for (const svg of root.querySelectorAll('svg')) {
    const paths = [...svg.querySelectorAll('path')];
    if (paths.length < 2) continue;
    paths[0].setAttribute('d', paths.map((p) => p.getAttribute('d')).join(' '));
    for (const extra of paths.slice(1)) extra.remove();
  }
}

export class CardsView {
  /**
   * list: the default <ul> (when render() gets no listFor); t: strings; visits: Map id -> visit;
   * hooks: isWritable(), isWaiting(card), localPhoto(mediaId) -> object URL or null,
   *        onEdit(entry), onDelete(entry), onOpenPhoto(card, button), onMove(entry, button) (optional)
   */
  constructor({ list = null, t, locale, visits = new Map(), ...hooks }) {
    this.list = list;
    this.t = t;
    this.visits = visits;
    this.hooks = hooks;
    this.entries = new Map(); // id -> {id, root, refs, card, sig, editing, expanded, orphan, match}
    this.when = timeFormatter(locale);
    this.decorators = [];
    this.matcher = null;
    this.template = null;
    this.listening = new WeakSet();
    this.waiting = new Set(); // entries not decorated yet (see EAGER)
    this.idleQueued = false;
    this._listen(list);
  }

  addDecorator(fn) {
    this.decorators.push(fn);
    for (const entry of this.entries.values()) if (entry.card && entry.decorated) this._decorate(entry, [fn]);
    return () => {
      this.decorators = this.decorators.filter((d) => d !== fn);
    };
  }

  redecorate(id = null) {
    const entries = id == null ? this.entries.values() : [this.entries.get(id)].filter(Boolean);
    // (Cards still waiting for their decorators get them, with the data of that moment, soon.)
    for (const entry of entries) if (entry.card && entry.decorated) this._decorate(entry, this.decorators);
  }

  setMatcher(fn) {
    this.matcher = typeof fn === 'function' ? fn : null;
    for (const entry of this.entries.values()) this._match(entry);
  }

  /** Forget every signature: the next render redraws each card (writability changed…). */
  invalidate() {
    for (const entry of this.entries.values()) entry.sig = null;
  }

  /**
   * Shows `cards` in order. `isNew(card)` says which new entries get the arrival animation.
   * Returns the entries kept because they are being edited although their card is gone.
   */
  render(cards, { listFor = () => this.list, isNew = () => false, onOrphan = () => {}, onRemoved = () => {} } = {}) {
    const seen = new Set();
    const wanted = new Map(); // list -> its card elements, in order
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
      const list = listFor(card);
      let els = wanted.get(list);
      if (!els) wanted.set(list, (els = []));
      this._update(entry, card, els.length >= EAGER);
      this._match(entry);
      els.push(entry.root);
    }
    for (const [list, els] of wanted) {
      this._listen(list);
      placeInOrder(list, els);
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

  /** The time of a card, formatted once per minute (Intl formatting is slow across 2,000 cards). */
  _when(iso) {
    if (!iso) return '';
    const minute = iso.slice(0, 16);
    const now = Date.now();
    if (!this.whenCache || now - this.whenChecked > 60000) {
      this.whenChecked = now;
      const day = workshopDay(new Date(now)); // "today" (the workshop's) changes the format
      if (this.whenDay !== day || !this.whenCache) this.whenCache = new Map();
      this.whenDay = day;
    }
    let text = this.whenCache.get(minute);
    if (text === undefined) {
      text = this.when(iso);
      if (this.whenCache.size > 5000) this.whenCache.clear();
      this.whenCache.set(minute, text);
    }
    return text;
  }

  /** One card's elements, built once per view and cloned for each card (2,000 cards: fast). */
  _template() {
    if (this.template) return this.template;
    const { t } = this;
    const button = (className, action) => {
      const b = h('button', className);
      b.type = 'button';
      b.dataset.cardAction = action;
      return b;
    };
    const root = h('li', 'card');
    const head = h('div', 'card__head');
    const status = h('span', 'card__status');
    status.hidden = true;
    head.append(h('span', 'card__kind'), status);
    const more = button('button button--ghost card__more', 'more');
    more.hidden = true;
    const foot = h('div', 'card__foot');
    const actions = h('div', 'card__actions');
    // Icon buttons: the icon is drawn by CSS (a mask, app.css `.card__icon`), the name is the
    // aria-label (with the author's name, set by _update). No SVG element in 2,000 cards.
    const iconButton = (className, action, label) => {
      const b = button(`button button--ghost button--icon card__icon ${className}`, action);
      b.title = label || '';
      b.setAttribute('aria-label', label || '');
      return b;
    };
    const move = iconButton('card__icon--move card__move', 'move', t.move);
    move.hidden = !this.hooks.onMove;
    const edit = iconButton('card__icon--edit', 'edit', t.edit);
    const del = iconButton('card__icon--delete button--danger', 'delete', t.delete);
    actions.append(move, edit, del);
    foot.append(h('span', 'card__author'), h('time', 'card__meta'), actions);
    const tags = h('ul', 'card__tags');
    tags.hidden = true;
    root.append(head, h('p', 'card__text'), more, tags, foot, h('div', 'card__extras'));
    // Only some cards have a photo, a visit or an actor met: those parts are cloned when needed.
    const photo = button('card__photo', 'photo');
    const missing = h('span', 'card__photo-missing');
    missing.append(icon('camera'), h('span', null, t.photo_unavailable));
    photo.append(missing);
    const context = h('p', 'card__context');
    const visit = h('span', 'card__visit');
    visit.append(h('span', 'visually-hidden', `${t.visit_label} `), h('span')); // (its pin: CSS)
    const actor = h('span', 'card__actor');
    actor.append(h('span', 'visually-hidden', `${t.actor_label_short} `), h('span'));
    context.append(visit, actor);
    mergePaths(photo);
    this.template = root;
    this.parts = { photo, context };
    return root;
  }

  _create(id) {
    const root = this._template().cloneNode(true);
    root.dataset.id = id;
    const [head, text, more, tags, foot, extras] = root.children;
    const [author, time, actions] = foot.children;
    const [move, edit, del] = actions.children;
    return {
      id,
      root,
      // photo, thumb and context (visit, actor) are made by _photo and _context when a card needs them
      refs: { kind: head.firstElementChild, status: head.lastElementChild, photo: null, thumb: null, text, more, context: null,
        tags, author, time, actions, move, edit, del, extras },
      sig: null,
      tagsKey: '',
      editing: null,
      expanded: false,
    };
  }

  /** One listener per list for every card's buttons and animations (not one per card). */
  _listen(list) {
    if (!list || this.listening.has(list)) return;
    this.listening.add(list);
    list.addEventListener('click', (event) => {
      const button = event.target.closest('[data-card-action]');
      const root = button && button.closest('.card');
      const entry = root && this.entries.get(root.dataset.id);
      if (!entry || entry.root !== root) return;
      const { hooks } = this;
      switch (button.dataset.cardAction) {
        case 'more':
          entry.expanded = !entry.expanded;
          entry.sig = null;
          if (entry.card) this._update(entry, entry.card);
          break;
        case 'edit':
          hooks.onEdit(entry);
          break;
        case 'delete':
          hooks.onDelete(entry);
          break;
        case 'move':
          if (hooks.onMove) hooks.onMove(entry, button);
          break;
        case 'photo':
          if (entry.card) hooks.onOpenPhoto(entry.card, button);
          break;
        default:
          break;
      }
    });
    // One-shot highlight classes: drop them when done, or moving the node would replay them.
    list.addEventListener('animationend', (event) => {
      if (event.target.classList && event.target.classList.contains('card')) event.target.classList.remove(...ONE_SHOT);
    });
  }

  /** Draws `card` in `entry`; `later`: a card further down its list than a screenful (see EAGER). */
  _update(entry, card, later = false) {
    const { t } = this;
    const prev = entry.card;
    if (!entry.editing && entry.sig !== null && prev && (prev === card || (!card.pending && !prev.pending
      && prev.version === card.version && prev.updated_at === card.updated_at))) {
      entry.card = card; // the same card (a snapshot's copy): nothing to draw
      return;
    }
    const waiting = card.pending && this.hooks.isWaiting(card);
    const writable = this.hooks.isWritable();
    const visit = card.visit_id ? this.visits.get(card.visit_id) : null;
    const sig = [card.version, card.pending ? 1 : 0, waiting ? 1 : 0, card.text, card.kind, card.colour,
      card.author_name, card.created_at, writable ? 1 : 0, card.media_id, card.actor, visit && visit.title,
      (card.tags || []).join('\u0002')].join('\u0001');
    if (entry.editing) {
      entry.card = card;
      if (!card.pending && entry.editing.version !== card.version) entry.editing.warn(t.changed_meanwhile);
      return;
    }
    if (entry.sig === sig) {
      if (prev !== card) {
        // Same content, other fields changed (zone, position, fields of other features).
        entry.card = card;
        this._decorateAll(entry, later);
      }
      return;
    }
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
      card.media_id ? 'card--photo' : '', entry.match || '', ...oneShot].filter(Boolean).join(' ');
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
    this._context(refs, visit, card.actor);
    refs.author.textContent = name;
    refs.author.title = name;
    refs.time.textContent = this._when(card.created_at);
    if (card.created_at) refs.time.setAttribute('datetime', card.created_at);
    else refs.time.removeAttribute('datetime');
    refs.actions.hidden = !writable;
    if (entry.named !== name) {
      entry.named = name;
      refs.edit.setAttribute('aria-label', format(t.edit_label, { name }));
      refs.del.setAttribute('aria-label', format(t.delete_label, { name }));
      if (this.hooks.onMove) refs.move.setAttribute('aria-label', format(t.move_label || t.move || '', { name }));
    }
    this._tags(entry, card.tags);
    this._decorateAll(entry, later);
  }

  _tags(entry, tags) {
    const { refs } = entry;
    const key = (tags || []).join('\u0001');
    refs.tags.hidden = !key; // (the editor hides them while open)
    if (key === entry.tagsKey) return;
    entry.tagsKey = key;
    const list = orderTags(tags);
    refs.tags.replaceChildren(...list.map((tag) => {
      const dim = dimensionOf(tag);
      const chip = h('li', dim ? `tag tag--dim tag--${dimClass(dim)}` : 'tag', tagLabel(tag, this.t));
      if (!dim) chip.title = tag;
      return chip;
    }));
  }

  /** Every decorator, now; or, for a card never decorated and off the first screenful, when idle. */
  _decorateAll(entry, later) {
    if (!entry.decorated && (later || this.waiting.has(entry))) {
      this._later(entry);
      return;
    }
    entry.decorated = true;
    this.waiting.delete(entry);
    this._decorate(entry, this.decorators);
  }

  _later(entry) {
    this.waiting.add(entry);
    if (this.idleQueued) return;
    this.idleQueued = true;
    const run = (deadline) => {
      this.idleQueued = false;
      // Short slices (never a long task of their own): the idle time left, at most 8 ms, and 8 ms
      // when the page was not idle for a while (timeout); at least one card each time.
      const end = performance.now() + (deadline.didTimeout ? 8 : Math.min(8, deadline.timeRemaining()));
      let done = 0;
      for (const waiting of this.waiting) {
        if (done > 0 && performance.now() > end) break;
        this.waiting.delete(waiting);
        if (this.entries.get(waiting.id) !== waiting || !waiting.card || waiting.decorated) continue;
        waiting.decorated = true;
        this._decorate(waiting, this.decorators);
        done += 1;
      }
      if (this.waiting.size) this._later(this.waiting.values().next().value);
      else performance.mark('collab:cards-decorated');
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 300 });
    else setTimeout(() => run({ didTimeout: true, timeRemaining: () => 0 }), 16);
  }

  _decorate(entry, decorators) {
    for (const fn of decorators) {
      try {
        fn(entry.card, entry.root);
      } catch (error) {
        console.error('card decorator failed', error);
      }
    }
  }

  _match(entry) {
    const match = this.matcher && entry.card ? (this.matcher(entry.card) ? 'card--match' : 'card--dimmed') : '';
    if (match === (entry.match || '')) return;
    if (entry.match) entry.root.classList.remove(entry.match);
    if (match) entry.root.classList.add(match);
    entry.match = match;
  }

  /** The visit and the actor met, under the text (made for the cards that have one). */
  _context(refs, visit, actor) {
    if (!visit && !actor) {
      if (refs.context) refs.context.hidden = true;
      return;
    }
    if (!refs.context) {
      refs.context = this.parts.context.cloneNode(true);
      [refs.visit, refs.actor] = refs.context.children;
      refs.visitText = refs.visit.lastElementChild;
      refs.actorText = refs.actor.lastElementChild;
      refs.more.after(refs.context);
    }
    refs.context.hidden = false;
    refs.visit.hidden = !visit;
    refs.visitText.textContent = visit ? visit.title : '';
    refs.visit.title = visit ? visit.title : '';
    refs.actor.hidden = !actor;
    refs.actorText.textContent = actor || '';
    refs.actor.title = actor ? format(this.t.actor_met, { actor }) : '';
  }

  _photo(refs, card, name) {
    if (!card.media_id) {
      if (refs.photo) refs.photo.hidden = true;
      refs.thumb?.remove();
      refs.thumb = null;
      return;
    }
    if (!refs.photo) {
      refs.photo = this.parts.photo.cloneNode(true);
      refs.text.before(refs.photo);
    }
    refs.photo.hidden = false;
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
