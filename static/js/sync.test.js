// Unit tests for sync.js — run with `node --test static/js/` (or `npm test`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  BoardState,
  EventOrderer,
  backoff,
  compareCards,
  format,
  uuid4,
} from './sync.js';

const BOARD = { id: 'b1', title: 'Groupe 1', workshop_id: 'w1', group_id: 'g1', locked: false, seq: 0 };

function card(id, extra = {}) {
  return {
    id,
    board_id: 'b1',
    author_id: 'p1',
    author_name: 'Camille',
    text: `text ${id}`,
    kind: 'note',
    colour: 'yellow',
    zone: 'inbox',
    position: '',
    version: 1,
    deleted: false,
    created_at: `2024-05-01T09:00:0${id.slice(-1)}.000000+00:00`,
    updated_at: '',
    ...extra,
  };
}

function ev(seq, type, c, opId = `op-${seq}-xxxx`) {
  return { board_id: 'b1', seq, op_id: opId, type, actor_id: 'p1', data: { card: c }, ts: '' };
}

const ids = (state) => state.visibleCards().map((c) => c.id);

describe('EventOrderer', () => {
  it('applies in order, ignores duplicates and old events', () => {
    const applied = [];
    const o = new EventOrderer({ apply: (e) => applied.push(e.seq) });
    o.reset(5);
    o.receive({ seq: 6 });
    o.receive({ seq: 6 });
    o.receive({ seq: 3 });
    o.receive({ seq: 5 });
    o.receive({ seq: 7 });
    assert.deepEqual(applied, [6, 7]);
    assert.equal(o.lastSeq, 7);
    assert.equal(o.hasGap(), false);
  });

  it('buffers out-of-order events, reports the gap once and drains when it closes', () => {
    const applied = [];
    const gaps = [];
    let closed = 0;
    const o = new EventOrderer({
      apply: (e) => applied.push(e.seq),
      onGap: (g) => gaps.push(g),
      onGapClosed: () => { closed += 1; },
    });
    o.reset(10);
    assert.deepEqual(o.receive({ seq: 13 }), []);
    assert.deepEqual(gaps, [{ since: 10, until: 13 }]);
    o.receive({ seq: 12 });
    assert.deepEqual(gaps, [{ since: 10, until: 13 }], 'reported once while the gap stays open');
    assert.equal(o.hasGap(), true);
    assert.deepEqual(o.gap(), { since: 10, until: 12 });
    assert.equal(o.buffered, 2);
    const out = o.receive({ seq: 11 });
    assert.deepEqual(out.map((e) => e.seq), [11, 12, 13]);
    assert.deepEqual(applied, [11, 12, 13]);
    assert.equal(closed, 1);
    assert.equal(o.hasGap(), false);
    assert.equal(o.gap(), null);
  });

  it('reports a new gap after an earlier one closed', () => {
    const gaps = [];
    const o = new EventOrderer({ onGap: (g) => gaps.push(g) });
    o.reset(0);
    o.receive({ seq: 2 });
    o.receive({ seq: 1 });
    o.receive({ seq: 5 });
    assert.deepEqual(gaps, [{ since: 0, until: 2 }, { since: 2, until: 5 }]);
  });

  it('buffers silently before the first snapshot and keeps what the snapshot does not cover', () => {
    const applied = [];
    const gaps = [];
    const o = new EventOrderer({ apply: (e) => applied.push(e.seq), onGap: (g) => gaps.push(g) });
    o.receive({ seq: 41 });
    o.receive({ seq: 43 });
    o.receive({ seq: 44 });
    assert.deepEqual(gaps, []);
    assert.equal(o.hasGap(), false);
    o.reset(42);
    assert.deepEqual(applied, [43, 44]);
    assert.equal(o.lastSeq, 44);
    assert.deepEqual(gaps, []);
  });

  it('ignores malformed events', () => {
    const o = new EventOrderer();
    o.reset(0);
    for (const bad of [null, undefined, {}, { seq: '1' }, { seq: 0 }, { seq: -1 }, { seq: 1.5 }]) {
      assert.deepEqual(o.receive(bad), []);
    }
    assert.equal(o.lastSeq, 0);
    assert.equal(o.buffered, 0);
  });
});

describe('BoardState', () => {
  it('applies a snapshot and card events', () => {
    let changes = 0;
    const s = new BoardState({ onChange: () => { changes += 1; } });
    s.applySnapshot({ board: BOARD, cards: [card('c1'), card('c2')], seq: 2 });
    assert.equal(s.ready, true);
    assert.equal(s.lastSeq, 2);
    assert.deepEqual(ids(s), ['c1', 'c2']);

    s.receive(ev(3, 'card.create', card('c3')));
    s.receive(ev(4, 'card.update', card('c1', { text: 'edited', version: 2 })));
    assert.deepEqual(ids(s), ['c1', 'c2', 'c3']);
    assert.equal(s.cards.get('c1').text, 'edited');
    assert.equal(s.board.seq, 4);
    assert.ok(changes >= 3);
  });

  it('applies zone events: the new zone list and the cards they moved', () => {
    const s = new BoardState();
    const zones = [{ id: 'inbox', title: 'Boîte de réception' }, { id: 'actors', title: 'Acteurs' }];
    s.applySnapshot({ board: { ...BOARD, zones }, cards: [card('c1', { zone: 'actors' })], seq: 1 });
    s.receive({
      board_id: 'b1', seq: 2, op_id: 'op-2-zone', type: 'zone.remove', actor_id: 'f1', ts: '',
      data: { zones: [zones[0]], cards: [card('c1', { zone: 'inbox', version: 2 })] },
    });
    assert.deepEqual(s.board.zones, [zones[0]]);
    assert.equal(s.cards.get('c1').zone, 'inbox');
    assert.equal(s.lastSeq, 2);
  });

  it('removes deleted cards and brings restored ones back', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [card('c1'), card('c2')], seq: 2 });
    s.receive(ev(3, 'card.delete', card('c1', { deleted: true, version: 2 })));
    assert.deepEqual(ids(s), ['c2']);
    assert.equal(s.deleted.get('c1').version, 2);
    s.receive(ev(4, 'card.restore', card('c1', { deleted: false, version: 3 })));
    assert.deepEqual(ids(s), ['c1', 'c2']);
    assert.equal(s.deleted.has('c1'), false);
  });

  it('orders events by seq whatever order they arrive in', () => {
    const gaps = [];
    const s = new BoardState({ onGap: (g) => gaps.push(g) });
    s.applySnapshot({ board: BOARD, cards: [], seq: 0 });
    s.receive(ev(2, 'card.update', card('c1', { text: 'second', version: 2 })));
    assert.deepEqual(ids(s), []);
    assert.deepEqual(gaps, [{ since: 0, until: 2 }]);
    s.receive(ev(1, 'card.create', card('c1', { text: 'first' })));
    assert.equal(s.cards.get('c1').text, 'second');
    assert.equal(s.lastSeq, 2);
    assert.equal(s.hasGap(), false);
  });

  it('fills a gap from a catch-up answer', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [], seq: 0 });
    s.receive(ev(3, 'card.create', card('c3')));
    assert.equal(s.hasGap(), true);
    const complete = s.applyCatchUp({
      events: [ev(1, 'card.create', card('c1')), ev(2, 'card.create', card('c2')), ev(3, 'card.create', card('c3'))],
      seq: 3,
    });
    assert.equal(complete, true);
    assert.deepEqual(ids(s), ['c1', 'c2', 'c3']);
    assert.equal(s.hasGap(), false);
    assert.equal(s.applyCatchUp({ events: [], seq: 5 }), false);
  });

  it('takes a newer snapshot over buffered events and ignores an older one', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [card('c1')], seq: 1 });
    s.receive(ev(5, 'card.create', card('c5')));
    s.receive(ev(7, 'card.create', card('c7')));
    s.applySnapshot({ board: BOARD, cards: [card('c1'), card('c5'), card('c6')], seq: 6 });
    assert.deepEqual(ids(s), ['c1', 'c5', 'c6', 'c7']);
    assert.equal(s.lastSeq, 7);
    assert.equal(s.applySnapshot({ board: BOARD, cards: [], seq: 3 }), false);
    assert.deepEqual(ids(s), ['c1', 'c5', 'c6', 'c7']);
  });

  it('takes an older snapshot when forced (the board is behind us) and forgets buffered events', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [card('c1'), card('c2')], seq: 10 });
    s.receive(ev(12, 'card.create', card('c3')));
    assert.equal(s.applySnapshot({ board: BOARD, cards: [card('c1')], seq: 4 }, { force: true }), true);
    assert.equal(s.lastSeq, 4);
    assert.equal(s.hasGap(), false);
    assert.deepEqual(ids(s), ['c1']);
    s.receive(ev(5, 'card.create', card('c5')));
    assert.deepEqual(ids(s), ['c1', 'c5']);
  });

  it('shows a pending create until its ack is applied', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [card('c1')], seq: 1 });
    const op = { board_id: 'b1', op_id: 'op-local-1', type: 'card.create', data: { id: 'c9', text: '  hello  ', colour: 'blue' } };
    s.addPending(op, { author_id: 'p1', author_name: 'Camille' });
    assert.equal('author_name' in op, false, 'meta is not put on the op that is sent');
    const pendingCard = s.visibleCards().find((c) => c.id === 'c9');
    assert.equal(pendingCard.pending, true);
    assert.equal(pendingCard.author_name, 'Camille');
    assert.equal(pendingCard.text, 'hello');
    assert.equal(pendingCard.colour, 'blue');
    assert.deepEqual(ids(s), ['c1', 'c9']);

    s.ack('op-local-1', { ok: true, seq: 2, event: ev(2, 'card.create', card('c9', { text: 'hello', colour: 'blue' }), 'op-local-1') });
    assert.equal(s.hasPending(), false);
    const confirmed = s.visibleCards().find((c) => c.id === 'c9');
    assert.equal(confirmed.pending, undefined);
  });

  it('keeps an acked op pending while a gap hides its event', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [], seq: 1 });
    const op = { board_id: 'b1', op_id: 'op-local-2', type: 'card.create', data: { id: 'c9', text: 'mine' } };
    s.addPending(op);
    s.ack('op-local-2', { ok: true, seq: 3, event: ev(3, 'card.create', card('c9', { text: 'mine' }), 'op-local-2') });
    assert.equal(s.hasPending(), true);
    assert.deepEqual(ids(s), ['c9']);
    assert.equal(s.visibleCards()[0].pending, true);
    s.receive(ev(2, 'card.create', card('c2')));
    assert.equal(s.hasPending(), false);
    assert.deepEqual(ids(s), ['c2', 'c9']);
  });

  it('settles a pending op when a snapshot covers its seq', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [], seq: 1 });
    s.addPending({ board_id: 'b1', op_id: 'op-local-3', type: 'card.create', data: { id: 'c9', text: 'x' } });
    s.ack('op-local-3', { ok: true, seq: 4, event: ev(4, 'card.create', card('c9'), 'op-local-3') });
    assert.equal(s.hasPending(), true);
    s.applySnapshot({ board: BOARD, cards: [card('c9')], seq: 5 });
    assert.equal(s.hasPending(), false);
  });

  it('settles a pending op when its event arrives by catch-up (REST fallback, replay)', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [], seq: 0 });
    s.addPending({ board_id: 'b1', op_id: 'op-local-4', type: 'card.create', data: { id: 'c9', text: 'x' } });
    s.applyCatchUp({ events: [ev(1, 'card.create', card('c9'), 'op-local-4')], seq: 1 });
    assert.equal(s.hasPending(), false);
    assert.deepEqual(ids(s), ['c9']);
  });

  it('a replayed ack (same op_id, old seq) changes nothing', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [], seq: 0 });
    const result = { ok: true, seq: 1, event: ev(1, 'card.create', card('c1'), 'op-a') };
    s.addPending({ board_id: 'b1', op_id: 'op-a', type: 'card.create', data: { id: 'c1', text: 'x' } });
    s.ack('op-a', result);
    s.receive(ev(2, 'card.update', card('c1', { text: 'newer', version: 2 })));
    s.ack('op-a', result);
    assert.equal(s.cards.get('c1').text, 'newer');
    assert.equal(s.lastSeq, 2);
  });

  it('overlays pending update, delete and restore', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [card('c1'), card('c2')], seq: 2 });
    s.addPending({ board_id: 'b1', op_id: 'op-u', type: 'card.update', data: { id: 'c1', text: 'new', kind: 'idea' } });
    s.addPending({ board_id: 'b1', op_id: 'op-d', type: 'card.delete', data: { id: 'c2' } });
    let view = s.visibleCards();
    assert.deepEqual(view.map((c) => c.id), ['c1']);
    assert.equal(view[0].text, 'new');
    assert.equal(view[0].kind, 'idea');
    assert.equal(view[0].pending, true);
    // The update failed for good: back to the confirmed text.
    s.dropPending('op-u');
    assert.equal(s.visibleCards()[0].text, 'text c1');
    // The delete lands, then a restore is pending: the card shows again as pending.
    s.ack('op-d', { ok: true, seq: 3, event: ev(3, 'card.delete', card('c2', { deleted: true }), 'op-d') });
    assert.deepEqual(ids(s), ['c1']);
    s.addPending({ board_id: 'b1', op_id: 'op-r', type: 'card.restore', data: { id: 'c2' } });
    view = s.visibleCards();
    assert.deepEqual(view.map((c) => c.id), ['c1', 'c2']);
    assert.equal(view[1].pending, true);
  });

  it('an error ack leaves the op pending for the caller to retry or drop', () => {
    const s = new BoardState();
    s.applySnapshot({ board: BOARD, cards: [], seq: 0 });
    s.addPending({ board_id: 'b1', op_id: 'op-e', type: 'card.create', data: { id: 'c1', text: 'x' } });
    s.ack('op-e', { ok: false, error: { code: 'rate_limited', message: '' } });
    assert.equal(s.hasPending(), true);
    s.dropPending('op-e');
    assert.equal(s.hasPending(), false);
    assert.deepEqual(ids(s), []);
  });
});

describe('helpers', () => {
  it('sorts by position, then created_at, pending last', () => {
    const a = { id: 'a', position: '', created_at: '2024-01-01T10:00:00' };
    const b = { id: 'b', position: '', created_at: '2024-01-01T09:00:00' };
    const c = { id: 'c', position: '', created_at: '' };
    const d = { id: 'd', position: 'a0', created_at: '2024-01-01T08:00:00' };
    assert.deepEqual([a, c, d, b].sort(compareCards).map((x) => x.id), ['b', 'a', 'c', 'd']);
  });

  it('makes UUID v4 with and without randomUUID', () => {
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const insecure = { getRandomValues: (arr) => globalThis.crypto.getRandomValues(arr) };
    const seen = new Set();
    for (let i = 0; i < 200; i += 1) {
      const id = uuid4(insecure);
      assert.match(id, re);
      seen.add(id);
    }
    assert.equal(seen.size, 200);
    assert.match(uuid4(), re);
    assert.match(uuid4({ randomUUID: () => { throw new Error('insecure'); }, getRandomValues: insecure.getRandomValues }), re);
    assert.match(uuid4(null), re);
  });

  it('formats placeholders and leaves unknown ones', () => {
    assert.equal(format('{name} a écrit {n} notes {x}', { name: 'Camille', n: 3 }), 'Camille a écrit 3 notes {x}');
  });

  it('backs off exponentially with a cap', () => {
    assert.equal(backoff(0, () => 0.5), 1000);
    assert.equal(backoff(1, () => 0.5), 2000);
    assert.equal(backoff(10, () => 0.5), 15000);
    assert.ok(backoff(0, () => 0) >= 750);
  });
});
