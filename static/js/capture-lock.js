// The capture screen follows its board's lock: it joins the board (board:join, from the seq the page
// was rendered at) as the board page does, but keeps only the sequence and the `locked` flag, never
// the cards. Connection (connection.js) drives it as it drives a BoardState: the join's missed events
// or snapshot, live `event`s in seq order, catch-up over REST (…/events?since=) when a gap stays
// open or the socket is down. DOM-free: node:test covers it (capture-lock.test.js).

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
