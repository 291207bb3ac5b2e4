// node --test static/js/ — the capture screen follows its board's lock without keeping its cards.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CaptureLock, LockFollower } from './capture-lock.js';

const BOARD = { id: 'b1', seq: 4, locked: false };
const lock = (seq, locked, id = 'b1') => ({ board_id: id, seq, type: 'board.lock', data: { board: { id, locked } } });
const card = (seq) => ({ board_id: 'b1', seq, type: 'card.create', data: { card: { id: `c${seq}`, text: 'x' } } });

function follow(board = BOARD) {
  const seen = [];
  const gaps = [];
  const follower = new LockFollower({ board, onLock: (locked) => seen.push(locked), onGap: (gap) => gaps.push(gap) });
  return { follower, seen, gaps };
}

describe('LockFollower', () => {
  it('starts from the rendered seq: ready, nothing to load', () => {
    const { follower, seen } = follow();
    assert.equal(follower.ready, true);
    assert.equal(follower.lastSeq, 4);
    assert.equal(follower.locked, false);
    assert.deepEqual(seen, []);
  });

  it('learns a lock and an unlock from board.lock events, in seq order', () => {
    const { follower, seen, gaps } = follow();
    follower.receive(card(5));
    follower.receive(lock(7, false)); // early: waits for 6
    assert.deepEqual(gaps, [{ since: 5, until: 7 }]);
    follower.receive(lock(6, true));
    assert.deepEqual(seen, [true, false]);
    assert.equal(follower.locked, false);
    follower.receive(lock(6, true)); // a replay changes nothing
    assert.deepEqual(seen, [true, false]);
  });

  it('ignores another board\'s lock', () => {
    const { follower, seen } = follow();
    follower.receive(lock(5, true, 'b2'));
    assert.deepEqual(seen, []);
    assert.equal(follower.lastSeq, 5);
  });

  it('takes the lock from a snapshot and a catch-up', () => {
    const { follower, seen } = follow();
    assert.equal(follower.applySnapshot({ board: { id: 'b1', locked: true }, seq: 9, cards: [] }), true);
    assert.equal(follower.locked, true);
    assert.equal(follower.applySnapshot({ board: { id: 'b1', locked: false }, seq: 3 }), false, 'older: ignored');
    assert.equal(follower.applyCatchUp({ events: [card(10), lock(11, false)], seq: 11 }), true);
    assert.equal(follower.applyCatchUp({ events: [], seq: 13 }), false, 'behind: more to fetch');
    assert.deepEqual(seen, [true, false]);
  });
});

describe('CaptureLock', () => {
  function page({ locked = false, rights = { write: true, while_locked: false } } = {}) {
    const reopened = [];
    const shown = [];
    const timers = { due: [], setTimeout(fn) { this.due.push(fn); return this.due.length; } };
    const outbox = { reopen: (boardId) => reopened.push(boardId) };
    const capture = new CaptureLock({
      board: { id: 'b1', seq: 2, locked },
      rights,
      outbox: () => outbox,
      show: (lockedOut, changed) => shown.push([lockedOut, changed]),
      timers,
    });
    return { capture, reopened, shown, timers };
  }

  it('applies only the live lock to the server\'s rights', () => {
    assert.equal(page({ locked: true }).capture.lockedOut, true);
    assert.equal(page({ locked: false }).capture.lockedOut, false);
    assert.equal(page({ locked: true, rights: { write: true, while_locked: true } }).capture.lockedOut, false, 'a facilitator');
    assert.equal(page({ locked: true, rights: { write: false, while_locked: false } }).capture.lockedOut, false, 'another group');
  });

  it('shows a lock heard live and reopens the held notes on each unlock it hears', () => {
    const { capture, reopened, shown } = page();
    capture.follower.receive(lock(3, true));
    assert.deepEqual(shown, [[true, true]]);
    assert.deepEqual(reopened, []);
    capture.follower.receive(lock(4, false));
    capture.follower.receive(lock(5, false)); // heard twice: the outbox sends held notes once (outbox.test.js)
    assert.deepEqual(shown, [[true, true], [false, true], [false, false]]);
    assert.deepEqual(reopened, ['b1', 'b1']);
  });

  it('reopens what an earlier visit held when the page opens on an open board, not on a locked one', () => {
    const open = page();
    open.capture.opened();
    assert.deepEqual(open.reopened, ['b1']);
    const closed = page({ locked: true });
    closed.capture.opened();
    assert.deepEqual(closed.reopened, []);
  });

  it('looks again soon at a note held just as the board reopened', () => {
    const { capture, reopened, timers } = page();
    capture.notesChanged([{ state: 'sent' }]);
    assert.equal(timers.due.length, 0);
    capture.notesChanged([{ state: 'held' }]);
    capture.notesChanged([{ state: 'held' }]);
    assert.equal(timers.due.length, 1, 'one check at a time');
    timers.due[0]();
    assert.deepEqual(reopened, ['b1']);
  });
});
