// The capture screen follows its board's lock: it joins the board (board:join, from the seq the page
// was rendered at) as the board page does, but keeps only the sequence and the `locked` flag, never
// the cards. Connection (connection.js) drives it as it drives a BoardState: the join's missed events
// or snapshot, live `event`s in seq order, catch-up over REST (…/events?since=) when a gap stays
// open or the socket is down. CaptureLock applies it to the page and to the outbox's held notes.
// DOM-free: node:test covers it (capture-lock.test.js).

import { HELD } from './outbox-send.js';
import { EventOrderer } from './sync.js';

const noop = () => {};

export class LockFollower {
  /**
   * board: {id, seq, locked} as the page was rendered. onLock(locked): called with the board's lock
   * each time the page learns it (a board.lock event, a snapshot), changed or not; the caller
   * compares. onGap/onGapClosed: as for a BoardState (the connection fetches what is missing).
   */
  constructor({ board, onLock = noop, onGap = noop, onGapClosed = noop }) {
    this.boardId = board.id;
    this.locked = Boolean(board.locked);
    this.onLock = onLock;
    this.orderer = new EventOrderer({ apply: (event) => this._apply(event), onGap, onGapClosed });
    this.orderer.reset(Number.isInteger(board.seq) && board.seq >= 0 ? board.seq : 0);
  }

  get ready() {
    return this.orderer.ready;
  }

  get lastSeq() {
    return this.orderer.lastSeq;
  }

  hasGap() {
    return this.orderer.hasGap();
  }

  /** A live event, a catch-up event, or the event of one's own op's answer. */
  receive(event) {
    return this.orderer.receive(event);
  }

  /** The board as the server sent it (a join too far behind, a catch-up after a purge). */
  applySnapshot({ board, seq }, { force = false } = {}) {
    if (typeof seq !== 'number' || (!force && seq < this.lastSeq)) return false;
    this.orderer.reset(seq);
    if (board && typeof board.locked === 'boolean') this._learn(board.locked);
    return true;
  }

  /** `{events, seq}` (board:join with since, or GET …/events): true when nothing is missing. */
  applyCatchUp({ events, seq }) {
    for (const event of events || []) this.orderer.receive(event);
    return typeof seq !== 'number' || this.lastSeq >= seq;
  }

  _apply(event) {
    const board = event && event.type === 'board.lock' && event.data && event.data.board;
    if (board && board.id === this.boardId && typeof board.locked === 'boolean') this._learn(board.locked);
  }

  _learn(locked) {
    this.locked = locked;
    this.onLock(locked);
  }
}

const REOPEN_CHECK_MS = 3000;

/**
 * The capture page's side of the lock. `rights` ({write, while_locked}) is the server's write rule;
 * only the live lock is applied to it. onGap/onGapClosed: as for a BoardState (the connection
 * fetches the missing events). show(lockedOut, changed) updates the page; outbox() is the
 * outbox once open (null before). Held notes are reopened whenever the board is known unlocked, and
 * looked at again a little later when a note was held just as the board reopened (its answer came
 * after the unlock event).
 */
export class CaptureLock {
  constructor({ board, rights, show = noop, outbox = () => null, onGap = noop, onGapClosed = noop, timers = globalThis }) {
    Object.assign(this, { boardId: board.id, rights, show, outbox, timers });
    this.locked = Boolean(board.locked);
    this._timer = null;
    // What the connection drives (its `state`): it follows the board for its lock.
    this.follower = new LockFollower({ board, onLock: (locked) => this._learn(locked), onGap, onGapClosed });
  }

  /** The person may write here but not now: the form stays, and notes wait for the reopening. */
  get lockedOut() {
    return Boolean(this.rights.write && this.locked && !this.rights.while_locked);
  }

  /** The outbox is open: what an earlier visit held goes now if the board is open. */
  opened() {
    if (!this.locked) this.outbox()?.reopen(this.boardId);
  }

  /** The outbox's notes changed (the journal): a held note on an open board is looked at again soon. */
  notesChanged(notes) {
    if (this._timer || this.locked || !notes.some((n) => n.state === HELD)) return;
    this._timer = this.timers.setTimeout(() => {
      this._timer = null;
      if (!this.locked) this.outbox()?.reopen(this.boardId);
    }, REOPEN_CHECK_MS);
  }

  _learn(locked) {
    const changed = locked !== this.locked;
    this.locked = locked;
    this.show(this.lockedOut, changed);
    if (!locked) this.outbox()?.reopen(this.boardId);
  }
}
