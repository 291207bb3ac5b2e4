// Client side of Collab's board sync (see docs/protocol.md and docs/sync-spec.md).
//
// Pure and DOM-free so it runs under `node --test`:
//   - EventOrderer applies a board's events strictly in `seq` order, buffers the ones that arrive
//     early and reports gaps so the caller can catch up (SYNC-8).
//   - BoardState holds the cards of one board, the last applied `seq`, and the ops this client has
//     sent but not yet seen applied ("pending"), overlaid on the confirmed cards for display.

import { AnalysisState } from './analysis-state.js';

export const KINDS = Object.freeze(['note', 'observation', 'quote', 'question', 'idea']);
export const COLOURS = Object.freeze(['yellow', 'orange', 'pink', 'purple', 'blue', 'green']);
export const MAX_TEXT = 2000;

const noop = () => {};

/**
 * Orders events by `seq`.
 *
 * - `seq <= lastSeq`: already applied (or covered by a snapshot): ignored.
 * - `seq == lastSeq + 1`: applied, then any buffered successors are drained.
 * - `seq > lastSeq + 1`: buffered, and `onGap({since, until})` is called the first time a gap
 *   opens (`since` = lastSeq, `until` = the smallest buffered seq): the caller should fetch the
 *   missing events after a short grace period if `hasGap()` is still true by then.
 *
 * Until `reset(seq)` is first called (the first snapshot), events are buffered without gap reports.
 */
export class EventOrderer {
  constructor({ apply = noop, onGap = noop, onGapClosed = noop } = {}) {
    this._apply = apply;
    this._onGap = onGap;
    this._onGapClosed = onGapClosed;
    this.lastSeq = 0;
    this.ready = false;
    this._buffer = new Map();
    this._gapOpen = false;
  }

  /** Number of events waiting for their predecessors. */
  get buffered() {
    return this._buffer.size;
  }

  hasGap() {
    return this.ready && this._buffer.size > 0;
  }

  /** The missing range as `{since, until}` (fetch events with `since < seq < until`), or null. */
  gap() {
    if (!this.hasGap()) return null;
    return { since: this.lastSeq, until: Math.min(...this._buffer.keys()) };
  }

  /**
   * Sets the position after a snapshot at `seq`; drops what it covers and drains the rest.
   * Going back (a snapshot older than `lastSeq`) also forgets every buffered event: they belong to
   * a history the server no longer has.
   */
  reset(seq) {
    if (this.ready && seq < this.lastSeq) this._buffer.clear();
    this.lastSeq = seq;
    this.ready = true;
    for (const s of [...this._buffer.keys()]) {
      if (s <= seq) this._buffer.delete(s);
    }
    return this._drain();
  }

  /** Offers one event; returns the events applied as a result (in order). */
  receive(event) {
    if (!event || typeof event.seq !== 'number' || !Number.isInteger(event.seq) || event.seq < 1) {
      return [];
    }
    if (this.ready && event.seq <= this.lastSeq) return [];
    if (!this._buffer.has(event.seq)) this._buffer.set(event.seq, event);
    if (!this.ready) return [];
    return this._drain();
  }

  _drain() {
    const applied = [];
    let next = this._buffer.get(this.lastSeq + 1);
    while (next) {
      this._buffer.delete(this.lastSeq + 1);
      this.lastSeq += 1;
      this._apply(next);
      applied.push(next);
      next = this._buffer.get(this.lastSeq + 1);
    }
    if (this._buffer.size > 0) {
      if (!this._gapOpen) {
        this._gapOpen = true;
        this._onGap(this.gap());
      }
    } else if (this._gapOpen) {
      this._gapOpen = false;
      this._onGapClosed();
    }
    return applied;
  }
}

/** Sort key of the protocol: `position`, then `created_at`, then `id` for stability. */
export function compareCards(a, b) {
  const pa = a.position || '';
  const pb = b.position || '';
  if (pa !== pb) return pa < pb ? -1 : 1;
  const ca = a.created_at || '';
  const cb = b.created_at || '';
  if (ca !== cb) {
    // Pending cards have no created_at yet: they go last.
    if (!ca) return 1;
    if (!cb) return -1;
    return ca < cb ? -1 : 1;
  }
  const ia = a.id || '';
  const ib = b.id || '';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/**
 * The state of one board as this client sees it.
 *
 * Options:
 *   onChange()          called after anything visible changed
 *   onGap({since,until}) a gap opened (see EventOrderer)
 *   onGapClosed()
 *   onEvent(event)      called for each applied event (after the state changed)
 */
export class BoardState {
  constructor({ onChange = noop, onGap = noop, onGapClosed = noop, onEvent = noop, selfId = null } = {}) {
    this._onChange = onChange;
    this.analysis = new AnalysisState(selfId); // themes, comments, the vote (analysis-state.js)
    this._onEvent = onEvent;
    this.board = null;
    this.cards = new Map(); // id -> card (not deleted)
    this.deleted = new Map(); // id -> last known deleted card (for undo / restore overlay)
    this.pending = new Map(); // op_id -> {op, ackedSeq, error}
    this.orderer = new EventOrderer({
      apply: (event) => this._applyEvent(event),
      onGap,
      onGapClosed,
    });
  }

  get lastSeq() {
    return this.orderer.lastSeq;
  }

  /** True once a snapshot was applied. */
  get ready() {
    return this.orderer.ready;
  }

  hasGap() {
    return this.orderer.hasGap();
  }

  gap() {
    return this.orderer.gap();
  }

  /**
   * Replaces everything with a snapshot `{board, cards, seq}` (REST or `board:join` ack).
   *
   * A snapshot older than what we have is ignored (a slow REST answer), unless `force`: the server
   * answers `board:join` with a snapshot when `since` is ahead of the board, and then its word wins.
   */
  applySnapshot({ board, cards, seq, ...analysis }, { force = false } = {}) {
    if (typeof seq !== 'number') throw new TypeError('snapshot without seq');
    if (this.ready && seq < this.lastSeq && !force) return false;
    if (board) this.board = { ...board };
    this.cards = new Map();
    this.deleted = new Map();
    for (const card of cards || []) {
      if (card.deleted) this.deleted.set(card.id, card);
      else this.cards.set(card.id, card);
    }
    this.analysis.applySnapshot(analysis);
    if (this.board) this.board.seq = seq;
    const applied = this.orderer.reset(seq);
    this._settlePending();
    for (const event of applied) this._onEvent(event);
    this._onChange();
    return true;
  }

  /** Offers one event (a socket `event`, a catch-up event, or the `event` of an op ack). */
  receive(event) {
    const applied = this.orderer.receive(event);
    if (applied.length) {
      this._settlePending();
      for (const e of applied) this._onEvent(e);
      this._onChange();
    }
    return applied;
  }

  /** Offers several events; returns the ones applied. */
  receiveMany(events) {
    const all = [];
    for (const event of events || []) {
      const applied = this.orderer.receive(event);
      all.push(...applied);
    }
    if (all.length) {
      this._settlePending();
      for (const e of all) this._onEvent(e);
      this._onChange();
    }
    return all;
  }

  /**
   * A catch-up answer `{events, seq}` (`board:join` with `since`, or GET …/events).
   * Returns true when it left us at `seq` (nothing missing).
   */
  applyCatchUp({ events, seq }) {
    this.receiveMany(events);
    return typeof seq !== 'number' || this.lastSeq >= seq;
  }

  // ---- pending ops -------------------------------------------------------------------------

  /**
   * Records an op this client is sending, so it shows before the server confirms it. `meta` is
   * display-only (`author_id`, `author_name` for a pending create); it is never sent.
   */
  addPending(op, meta = {}) {
    if (!this.pending.has(op.op_id)) {
      this.pending.set(op.op_id, { op, meta, ackedSeq: null });
      this._onChange();
    }
  }

  /**
   * Handles an op result. `{ok:true, seq, event}`: the op is done once `seq` is applied (it stays
   * shown as pending while a gap hides it). `{ok:false}`: the caller decides (retry or `dropPending`).
   */
  ack(opId, result) {
    if (!result || !result.ok) return [];
    const entry = this.pending.get(opId);
    if (entry) entry.ackedSeq = typeof result.seq === 'number' ? result.seq : (result.event || {}).seq;
    const applied = result.event ? this.orderer.receive(result.event) : [];
    this._settlePending();
    for (const e of applied) this._onEvent(e);
    this._onChange();
    return applied;
  }

  dropPending(opId) {
    if (this.pending.delete(opId)) this._onChange();
  }

  hasPending() {
    return this.pending.size > 0;
  }

  _settlePending() {
    for (const [opId, entry] of this.pending) {
      if (entry.ackedSeq != null && entry.ackedSeq <= this.lastSeq) this.pending.delete(opId);
    }
  }

  // ---- events --------------------------------------------------------------------------------

  _applyEvent(event) {
    if (this.board) this.board.seq = event.seq;
    if (event.op_id) this.pending.delete(event.op_id);
    const data = event.data || {};
    // Zone events carry the board's whole zone list and the cards they moved (docs/protocol.md).
    if (this.board && Array.isArray(data.zones)) this.board.zones = data.zones;
    // board.lock carries the board's new state.
    if (this.board && data.board && data.board.id === this.board.id) this.board = { ...this.board, ...data.board };
    this.analysis.applyEvent(event);
    const cards = data.card ? [data.card] : Array.isArray(data.cards) ? data.cards : [];
    for (const card of cards) {
      if (!card || !card.id) continue;
      if (card.deleted) {
        this.cards.delete(card.id);
        this.deleted.set(card.id, card);
      } else {
        this.deleted.delete(card.id);
        this.cards.set(card.id, card);
      }
    }
  }

  // ---- display -------------------------------------------------------------------------------

  /**
   * The cards to show, in display order, with pending ops overlaid. Each item is a card object;
   * cards touched by a pending op carry `pending: true` (and `pendingType`).
   */
  visibleCards() {
    const view = new Map();
    for (const [id, card] of this.cards) view.set(id, card);
    for (const { op, meta } of this.pending.values()) {
      const data = op.data || {};
      switch (op.type) {
        case 'card.create': {
          if (!data.id || view.has(data.id) || this.deleted.has(data.id)) break;
          view.set(data.id, {
            id: data.id,
            board_id: op.board_id,
            author_id: (meta && meta.author_id) || null,
            author_name: (meta && meta.author_name) || '',
            text: (data.text || '').trim(),
            kind: data.kind || 'note',
            colour: data.colour || 'yellow',
            zone: data.zone || 'inbox',
            position: data.position || '',
            version: 0,
            deleted: false,
            created_at: '',
            updated_at: '',
            pending: true,
            pendingType: op.type,
          });
          break;
        }
        case 'card.update': {
          const card = view.get(data.id);
          if (!card) break;
          const next = { ...card, pending: true, pendingType: op.type };
          if (typeof data.text === 'string') next.text = data.text.trim();
          for (const key of ['kind', 'colour', 'tags', 'theme_id', 'visit_id', 'actor', 'media_id']) {
            if (key in data) next[key] = data[key];
          }
          view.set(data.id, next);
          break;
        }
        case 'card.move': {
          const card = view.get(data.id);
          if (!card) break;
          const next = { ...card, zone: data.zone, pending: true, pendingType: op.type };
          if (typeof data.position === 'string') next.position = data.position;
          view.set(data.id, next);
          break;
        }
        case 'card.delete':
          view.delete(data.id);
          break;
        case 'card.react': {
          const card = view.get(data.id);
          const who = meta && meta.author_id;
          if (!card || !who) break;
          const people = new Set((card.reactions || {})[data.reaction] || []);
          if (data.on) people.add(who);
          else people.delete(who);
          view.set(data.id, { ...card, reactions: { ...(card.reactions || {}), [data.reaction]: [...people] } });
          break;
        }
        case 'card.restore': {
          const gone = this.deleted.get(data.id);
          if (gone && !view.has(data.id)) {
            view.set(data.id, { ...gone, deleted: false, pending: true, pendingType: op.type });
          }
          break;
        }
        default:
          break;
      }
    }
    return [...view.values()].sort(compareCards);
  }
}

// ---- helpers used by the pages (pure, so tested here too) ----------------------------------------

/** A UUID v4. Uses crypto.randomUUID where it exists (secure contexts), else getRandomValues. */
export function uuid4(cryptoImpl = globalThis.crypto) {
  if (cryptoImpl && typeof cryptoImpl.randomUUID === 'function') {
    try {
      return cryptoImpl.randomUUID();
    } catch {
      // Not a secure context: fall through.
    }
  }
  const bytes = new Uint8Array(16);
  if (cryptoImpl && typeof cryptoImpl.getRandomValues === 'function') {
    cryptoImpl.getRandomValues(bytes);
  } else {
    for (let i = 0; i < 16; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Replaces `{name}` placeholders (translated strings come with them). */
export function format(template, values = {}) {
  return String(template).replace(/\{(\w+)\}/g, (whole, key) =>
    Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole,
  );
}

/** Error codes worth retrying with the same op_id (the server de-duplicates). */
export const RETRYABLE = Object.freeze(new Set(['rate_limited', 'unavailable', 'internal', 'timeout', 'network']));

/** Backoff in ms for the n-th retry (0-based): 1 s, 2 s, 4 s … capped at 15 s, with jitter. */
export function backoff(attempt, random = Math.random) {
  const base = Math.min(15000, 1000 * 2 ** Math.min(attempt, 4));
  return Math.round(base * (0.75 + random() * 0.5));
}
