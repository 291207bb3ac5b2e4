// The outbox: every change a participant makes is stored on the device first (outbox-store.js),
// then sent in order, and sent again with the SAME op_id until the server has answered. The server
// de-duplicates by op_id (SYNC-4), so a retry after a lost answer changes nothing.
//
// Shared by the board page and the capture screen (several tabs may share one outbox: every step
// re-reads the store, and each change is atomic). DOM-free, so node:test covers it.
//
// An item:
//   {seq, owner, board_id, op: {board_id, op_id, type, data}, meta, media, keep, note, hidden,
//    state: 'waiting'|'sending'|'sent'|'failed'|'held', tried, attempts, error, created_at, sent_at}
// `tried`: the op was handed to the network at least once, so the server may have applied it: it
// may no longer be rewritten, only followed by another op. `media`: a photo to upload first
// ({id, data: ArrayBuffer, type, name, uploaded}). `keep`: stays after it was sent, as the capture
// screen's "my notes" journal (`note` is what to show, `hidden` once deleted). `held`: a kept note
// refused because its board is locked; reopen(board) sends it again once the board is unlocked.

import { FAILED, HELD, OutboxSender, SENDING, SENT, WAITING, cardIdOf, unsent } from './outbox-send.js';
import { uuid4 } from './sync.js';

export { FAILED, HELD, SENDING, SENT, WAITING, cardIdOf };

const JOURNAL_SIZE = 200;
const JOURNAL_DAYS = 7;
const EDITABLE = ['text', 'kind', 'colour', 'visit_id', 'actor', 'media_id'];
const isCreate = (item) => item.op.type === 'card.create';

export class Outbox extends OutboxSender {
  // ---- reading ------------------------------------------------------------------------------

  async open() {
    await this._reload();
    // A tab killed while sending: those go again (same op_id), so they are waiting now.
    for (const item of this.items.filter((i) => i.state === SENDING)) {
      await this.store.update(item.seq, (i) => (i.state === SENDING ? { ...i, state: WAITING } : undefined));
    }
    await this._prune();
    await this._reload();
    this._changed(false);
    return this;
  }

  /** Re-reads the store (another tab changed it). */
  async refresh() {
    await this._reload();
    this._changed(false);
  }

  /** The items not sent yet (waiting, sending or failed), oldest first. */
  pending(boardId = null) {
    return this.items.filter((i) => i.state !== SENT && (!boardId || i.board_id === boardId));
  }

  /** True when an op for this card went out at least once without an answer (show "waiting"). */
  isStalled(cardId) {
    return this.items.some((i) => unsent(i) && i.attempts > 0 && cardIdOf(i) === cardId);
  }

  // ---- writing ------------------------------------------------------------------------------

  /** Stores a new op (first), then tries to send it. */
  async add({ op, meta = {}, media = null, keep = false, tried = false }) {
    const item = {
      owner: this.owner,
      board_id: op.board_id,
      op,
      meta,
      media: media ? { ...media, uploaded: false } : null,
      keep,
      note: keep && isCreate({ op }) ? { ...op.data } : null,
      hidden: false,
      state: WAITING,
      tried,
      attempts: 0,
      error: null,
      created_at: this.now().toISOString(),
      sent_at: null,
    };
    item.seq = await this.store.add(item);
    this.items.push(item);
    this._changed();
    this.pump();
    return item;
  }

  /**
   * Changes one's own note. A create that never went out is rewritten in place; otherwise an
   * update is queued after it. Returns 'rewritten' or 'queued'.
   */
  async edit(cardId, changes, { boardId = null } = {}) {
    const fields = Object.fromEntries(Object.entries(changes).filter(([k]) => EDITABLE.includes(k)));
    if (!Object.keys(fields).length) return 'unchanged';
    const create = this.items.find((i) => isCreate(i) && cardIdOf(i) === cardId);
    let rewritten = false;
    if (create) {
      await this.store.update(create.seq, (i) => {
        const note = i.note ? { ...i.note, ...fields } : i.note;
        if (!i.tried && i.state !== SENDING) {
          rewritten = true;
          return { ...i, note, op: { ...i.op, data: { ...i.op.data, ...fields } } };
        }
        return note ? { ...i, note } : undefined;
      });
    }
    await this._reload();
    if (rewritten) {
      this._changed();
      return 'rewritten';
    }
    const boardOf = boardId || (create && create.board_id);
    await this.add({ op: this._op(boardOf, 'card.update', { id: cardId, ...fields }) });
    return 'queued';
  }

  /** Deletes one's own note: drops it if it never went out, else queues a card.delete. */
  async remove(cardId, { boardId = null } = {}) {
    const create = this.items.find((i) => isCreate(i) && cardIdOf(i) === cardId);
    let dropped = false;
    if (create) {
      await this.store.update(create.seq, (i) => {
        if (!i.tried && i.state !== SENDING) {
          dropped = true;
          return null;
        }
        return { ...i, hidden: true };
      });
    }
    if (dropped) {
      // Nothing of this card reached the server: its later ops go too.
      for (const item of this.items) {
        if (cardIdOf(item) === cardId && item !== create && !item.tried) await this.store.delete(item.seq);
      }
      await this._reload();
      this._changed();
      return 'dropped';
    }
    await this._reload(); // the note is hidden at once, before its delete is sent
    const boardOf = boardId || (create && create.board_id);
    await this.add({ op: this._op(boardOf, 'card.delete', { id: cardId }) });
    return 'queued';
  }

  /** A failed item goes back in the queue. */
  async retry(seq) {
    await this.store.update(seq, (i) => (i.state === FAILED ? { ...i, state: WAITING, error: null, attempts: 0 } : undefined));
    await this._reload();
    this._changed();
    this.kick();
  }

  /**
   * The board is unlocked (a `board.lock` event, or the page learnt it otherwise): its held items go
   * back in the queue, in their order, with their op_id. Said twice, it sends them once: only held
   * items move, atomically. Returns how many moved.
   */
  async reopen(boardId) {
    let moved = 0;
    await this._reload(); // another tab may have held some
    for (const item of this.items.filter((i) => i.state === HELD && i.board_id === boardId)) {
      await this.store.update(item.seq, (i) => {
        if (i.state !== HELD) return undefined;
        moved += 1;
        return { ...i, state: WAITING, error: null, attempts: 0 };
      });
    }
    if (!moved) return 0;
    await this._reload();
    this._changed();
    this.kick();
    return moved;
  }

  /** Sends a note whose photo was refused, without its photo. */
  async dropMedia(seq) {
    await this.store.update(seq, (i) => {
      if (!i.media || i.tried) return undefined;
      const data = { ...i.op.data };
      delete data.media_id;
      const note = i.note ? { ...i.note, media_id: null } : i.note;
      return { ...i, media: null, note, op: { ...i.op, data }, state: WAITING, error: null, attempts: 0 };
    });
    await this._reload();
    this._changed();
    this.kick();
  }

  /** Forgets an item (and, for a create, the later ops of its card that were never applied). */
  async discard(seq) {
    const item = this.items.find((i) => i.seq === seq);
    await this.store.delete(seq);
    if (item && isCreate(item)) {
      for (const other of this.items) {
        if (other.seq > seq && cardIdOf(other) === cardIdOf(item) && other.state !== SENT) await this.store.delete(other.seq);
      }
    }
    await this._reload();
    this._changed();
  }

  /** Stores ops queued by an older version of the page (localStorage); they may have been sent. */
  async importLegacy(entries, boardId) {
    const known = new Set(this.items.map((i) => i.op.op_id));
    let added = 0;
    for (const entry of entries || []) {
      const op = entry && entry.op;
      if (!op || !op.op_id || !op.type || known.has(op.op_id)) continue;
      await this.add({ op: { board_id: boardId, ...op }, meta: entry.meta || {}, tried: true });
      known.add(op.op_id);
      added += 1;
    }
    return added;
  }

  _op(boardId, type, data) {
    return { board_id: boardId, op_id: uuid4(), type, data };
  }

  async _prune() {
    const sent = this.items.filter((i) => i.state === SENT).reverse(); // newest first
    const horizon = this.now().getTime() - JOURNAL_DAYS * 86400000;
    for (const [index, item] of sent.entries()) {
      if (index >= JOURNAL_SIZE || Date.parse(item.sent_at || 0) < horizon) await this.store.delete(item.seq);
    }
  }
}

// ---- views for the pages (pure) ----------------------------------------------------------------

const RANK = { [SENT]: 0, [WAITING]: 1, [HELD]: 2, [SENDING]: 3, [FAILED]: 4 };

/**
 * The capture screen's "my notes": one entry per kept create of `boardId`, newest first, with the
 * state of the whole card (a sent note with an edit still queued is waiting again).
 */
export function journal(items, boardId) {
  const notes = [];
  for (const item of items) {
    if (!isCreate(item) || !item.keep || item.hidden || (boardId && item.board_id !== boardId)) continue;
    const id = cardIdOf(item);
    let worst = item;
    for (const other of items) {
      if (other.seq > item.seq && cardIdOf(other) === id && RANK[other.state] > RANK[worst.state]) worst = other;
    }
    notes.push({
      id,
      seq: item.seq,
      note: item.note || item.op.data,
      media: item.media,
      state: worst.state,
      error: worst.state === FAILED ? worst.error : null,
      failedSeq: worst.state === FAILED ? worst.seq : null,
      attempts: worst.attempts || 0,
      created_at: item.created_at,
      sent_at: item.sent_at,
    });
  }
  return notes.reverse();
}

/** How many notes (cards) still wait to be sent, a board's reopening too (failed ones are shown apart). */
export function waitingCount(items, boardId = null) {
  const cards = new Set();
  for (const item of items) {
    if ((unsent(item) || item.state === HELD) && (!boardId || item.board_id === boardId)) cards.add(cardIdOf(item) || item.op.op_id);
  }
  return cards.size;
}
