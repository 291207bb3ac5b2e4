// node --test static/js/ — the outbox's order, retries, states and persistence, without a browser.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDBFactory } from 'fake-indexeddb';

import { FAILED, HELD, Outbox, SENDING, SENT, WAITING, journal, waitingCount } from './outbox.js';
import { MemoryStore, openIdbStore, tokenKey } from './outbox-store.js';

const BOARD = 'b0a1d000-0000-4000-8000-000000000001';
const ME = 'participant-1';
let counter = 0;
const op = (type, data) => ({ board_id: BOARD, op_id: `op-${(counter += 1).toString().padStart(6, '0')}`, type, data });
const create = (id, text, extra = {}) => op('card.create', { id, text, ...extra });

/** A server with SYNC-4 de-duplication; `script` decides the fate of each call. */
function fakeServer() {
  const server = {
    applied: new Map(), // op_id -> result
    cards: new Map(),
    media: new Map(),
    calls: [],
    uploads: [],
    seq: 0,
    next: [], // queued outcomes: 'ok' | 'lose-ack' | {error} ; default 'ok'
    mediaNext: [],
    online: true,
  };
  const apply = (o) => {
    if (server.applied.has(o.op_id)) return server.applied.get(o.op_id);
    const card = { ...(server.cards.get(o.data.id) || {}), ...o.data };
    if (o.type === 'card.delete') card.deleted = true;
    server.cards.set(o.data.id, card);
    server.seq += 1;
    const result = { ok: true, seq: server.seq, event: { seq: server.seq, op_id: o.op_id, type: o.type, data: { card } } };
    server.applied.set(o.op_id, result);
    return result;
  };
  server.transport = {
    isOnline: () => server.online,
    async send(o) {
      server.calls.push(structuredClone(o));
      const fate = server.next.shift() || 'ok';
      if (fate === 'ok') return apply(o);
      if (fate === 'lose-ack') {
        apply(o);
        return { ok: false, error: { code: 'network' } };
      }
      if (fate === 'throw') throw new Error('socket gone');
      return { ok: false, ...fate };
    },
    async upload(media) {
      server.uploads.push(media.id);
      const fate = server.mediaNext.shift() || 'ok';
      if (fate !== 'ok' && fate !== 'lose-ack') return { ok: false, ...fate };
      if (!server.media.has(media.id)) server.media.set(media.id, media.data.byteLength);
      if (fate === 'lose-ack') return { ok: false, error: { code: 'timeout' } };
      return { ok: true, media: { id: media.id } };
    },
  };
  return server;
}

/** Timers run only when the test says so. */
function manualTimers() {
  const timers = {
    pending: new Map(),
    id: 0,
    setTimeout(fn, ms) {
      timers.id += 1;
      timers.pending.set(timers.id, { fn, ms });
      return timers.id;
    },
    clearTimeout(id) {
      timers.pending.delete(id);
    },
    async fire() {
      const entries = [...timers.pending.entries()];
      timers.pending.clear();
      for (const [, { fn }] of entries) fn();
      await settle();
    },
    delays() {
      return [...timers.pending.values()].map((t) => t.ms);
    },
  };
  return timers;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function makeOutbox(server, options = {}) {
  const timers = options.timers || manualTimers();
  const store = options.store || new MemoryStore();
  const events = { acks: [], fails: [], signedOut: 0, changes: 0 };
  const outbox = new Outbox({
    store,
    owner: ME,
    transport: server.transport,
    timers,
    random: () => 0.5,
    auth: options.auth || null,
    onAck: (item, result) => events.acks.push([item.op.op_id, result.seq]),
    onFail: (item, error) => events.fails.push([item.op.op_id, error.code]),
    onSignedOut: () => (events.signedOut += 1),
    onChange: () => (events.changes += 1),
  });
  return { outbox, store, timers, events };
}

describe('Outbox: order and delivery', () => {
  it('stores each op before sending it, and sends them one at a time, in order', async () => {
    const server = fakeServer();
    server.online = false;
    const { outbox, store } = makeOutbox(server);
    await outbox.open();
    const ops = [create('c1', 'un'), create('c2', 'deux'), op('card.update', { id: 'c1', text: 'un bis' })];
    for (const o of ops) await outbox.add({ op: o });
    assert.equal(server.calls.length, 0, 'offline: nothing sent');
    assert.deepEqual((await store.list(ME)).map((i) => [i.op.op_id, i.state]), ops.map((o) => [o.op_id, WAITING]));
    server.online = true;
    await outbox.kick();
    assert.deepEqual(server.calls.map((o) => o.op_id), ops.map((o) => o.op_id));
    assert.equal(server.cards.get('c1').text, 'un bis');
    assert.deepEqual(await store.list(ME), [], 'sent items that are not kept are gone');
  });

  it('retries with the same op_id after a lost answer; the server applies it once', async () => {
    const server = fakeServer();
    const { outbox, timers, events } = makeOutbox(server);
    await outbox.open();
    server.next.push('lose-ack', { error: { code: 'timeout' } });
    const o = create('c1', 'réseau faible');
    await outbox.add({ op: o });
    await settle();
    assert.equal(outbox.items[0].state, WAITING);
    assert.equal(outbox.items[0].attempts, 1);
    assert.equal(outbox.isStalled('c1'), true);
    assert.deepEqual(timers.delays(), [1000], 'first retry after about a second');
    await timers.fire();
    assert.deepEqual(timers.delays(), [2000], 'then backs off');
    await timers.fire();
    assert.deepEqual(server.calls.map((c) => c.op_id), [o.op_id, o.op_id, o.op_id]);
    assert.equal(server.applied.size, 1);
    assert.equal(server.seq, 1, 'one card, one event');
    assert.deepEqual(events.acks, [[o.op_id, 1]]);
    assert.equal(outbox.items.length, 0);
  });

  it('honours Retry-After and kick() sends at once', async () => {
    const server = fakeServer();
    const { outbox, timers } = makeOutbox(server);
    await outbox.open();
    server.next.push({ error: { code: 'rate_limited' }, retryAfter: 30 });
    await outbox.add({ op: create('c1', 'vite') });
    await settle();
    assert.deepEqual(timers.delays(), [30000]);
    await outbox.kick();
    assert.equal(timers.pending.size, 0);
    assert.equal(server.applied.size, 1);
  });

  it('waits out a server whose database is away (unavailable), as long as it takes', async () => {
    const server = fakeServer();
    const { outbox, timers } = makeOutbox(server);
    await outbox.open();
    for (let i = 0; i < 8; i += 1) server.next.push({ error: { code: 'unavailable' }, retryAfter: 5 });
    await outbox.add({ op: create('c1', 'patiente') });
    await settle();
    for (let i = 0; i < 8; i += 1) {
      assert.equal(outbox.items[0].state, WAITING, 'still waiting, never failed');
      assert.ok(timers.delays()[0] >= 5000, 'after Retry-After');
      await timers.fire();
    }
    assert.equal(outbox.items.length, 0);
    assert.equal(server.applied.size, 1);
  });

  it('a thrown transport error counts as a network error', async () => {
    const server = fakeServer();
    const { outbox, timers } = makeOutbox(server);
    await outbox.open();
    server.next.push('throw');
    await outbox.add({ op: create('c1', 'x') });
    await settle();
    assert.equal(outbox.items[0].error.code, 'network');
    await timers.fire();
    assert.equal(outbox.items.length, 0);
  });

  it('gives up on a refused op, keeps it as failed and holds back the later ops of that card only', async () => {
    const server = fakeServer();
    const { outbox, events } = makeOutbox(server);
    await outbox.open();
    server.next.push({ error: { code: 'forbidden', message: 'interdit' } });
    const first = create('c1', 'refusée');
    await outbox.add({ op: first, keep: true });
    await outbox.add({ op: op('card.update', { id: 'c1', text: 'bis' }) });
    await outbox.add({ op: create('c2', 'autre'), keep: true });
    await settle();
    assert.deepEqual(events.fails, [[first.op_id, 'forbidden']]);
    assert.deepEqual(outbox.items.map((i) => [i.op.data.id, i.op.type, i.state]), [
      ['c1', 'card.create', FAILED],
      ['c1', 'card.update', WAITING],
      ['c2', 'card.create', SENT],
    ]);
    // Retrying sends the card, then its edit.
    await outbox.retry(outbox.items[0].seq);
    await settle();
    assert.equal(server.cards.get('c1').text, 'bis');
    assert.deepEqual(journal(outbox.items, BOARD).map((n) => [n.id, n.state]), [['c2', SENT], ['c1', SENT]]);
  });

  it('gives up on repeated server faults after five retries', async () => {
    const server = fakeServer();
    const { outbox, timers, events } = makeOutbox(server);
    await outbox.open();
    for (let i = 0; i < 6; i += 1) server.next.push({ error: { code: 'internal' } });
    await outbox.add({ op: create('c1', 'x'), keep: true });
    await settle();
    for (let i = 0; i < 5; i += 1) await timers.fire();
    assert.equal(outbox.items[0].state, FAILED);
    assert.equal(events.fails.length, 1);
  });
});

describe('Outbox: photos', () => {
  it('uploads the photo first with its own id, then the note; a retried upload reuses the id', async () => {
    const server = fakeServer();
    const { outbox, timers } = makeOutbox(server);
    await outbox.open();
    server.mediaNext.push('lose-ack');
    const media = { id: 'm1', data: new Uint8Array([1, 2, 3]).buffer, type: 'image/jpeg', name: 'photo.jpg' };
    await outbox.add({ op: create('c1', 'avec photo', { media_id: 'm1' }), media, keep: true });
    await settle();
    assert.equal(server.calls.length, 0, 'no note before its photo');
    assert.equal(outbox.items[0].tried, false, 'the note itself never went out');
    await timers.fire();
    assert.deepEqual(server.uploads, ['m1', 'm1']);
    assert.equal(server.media.size, 1);
    assert.equal(server.cards.get('c1').media_id, 'm1');
    assert.equal(outbox.items[0].state, SENT);
    assert.equal(outbox.items[0].media.data, null, 'the photo leaves the phone once sent');
  });

  it('a refused photo fails the note, which can go without it', async () => {
    const server = fakeServer();
    const { outbox } = makeOutbox(server);
    await outbox.open();
    server.mediaNext.push({ error: { code: 'invalid' } });
    const media = { id: 'm1', data: new ArrayBuffer(4), type: 'image/heic', name: 'x.heic' };
    await outbox.add({ op: create('c1', 'photo illisible', { media_id: 'm1' }), media, keep: true });
    await settle();
    const [note] = journal(outbox.items, BOARD);
    assert.equal(note.state, FAILED);
    assert.equal(note.error.stage, 'media');
    await outbox.dropMedia(note.failedSeq);
    await settle();
    assert.equal(server.cards.get('c1').text, 'photo illisible');
    assert.equal('media_id' in server.cards.get('c1'), false);
  });
});

describe('Outbox: edits and deletions of queued notes', () => {
  it('rewrites a create that never went out', async () => {
    const server = fakeServer();
    server.online = false;
    const { outbox } = makeOutbox(server);
    await outbox.open();
    await outbox.add({ op: create('c1', 'brouillon', { kind: 'idea' }), keep: true });
    assert.equal(await outbox.edit('c1', { text: 'propre', actor: 'Maire', bogus: 1 }), 'rewritten');
    assert.equal(outbox.items.length, 1);
    server.online = true;
    await outbox.kick();
    assert.equal(server.calls.length, 1);
    assert.deepEqual(server.calls[0].data, { id: 'c1', text: 'propre', kind: 'idea', actor: 'Maire' });
  });

  it('queues an update after a create the server may already have', async () => {
    const server = fakeServer();
    const { outbox, timers } = makeOutbox(server);
    await outbox.open();
    server.next.push('lose-ack');
    await outbox.add({ op: create('c1', 'v1'), keep: true });
    await settle();
    assert.equal(await outbox.edit('c1', { text: 'v2' }), 'queued');
    assert.deepEqual(journal(outbox.items, BOARD)[0].note.text, 'v2', 'the journal shows the new text');
    await timers.fire();
    assert.deepEqual(server.calls.map((c) => [c.type, c.data.text]), [
      ['card.create', 'v1'],
      ['card.create', 'v1'],
      ['card.update', 'v2'],
    ]);
    assert.equal(server.cards.get('c1').text, 'v2');
  });

  it('drops a note that never went out, with its queued edits; queues a delete otherwise', async () => {
    const server = fakeServer();
    server.online = false;
    const { outbox } = makeOutbox(server);
    await outbox.open();
    await outbox.add({ op: create('c1', 'oups'), keep: true });
    await outbox.add({ op: create('c2', 'garde'), keep: true });
    assert.equal(await outbox.remove('c1'), 'dropped');
    server.online = true;
    await outbox.kick();
    assert.deepEqual(server.calls.map((c) => c.data.id), ['c2']);
    assert.equal(await outbox.remove('c2'), 'queued');
    await outbox.pump();
    assert.equal(server.cards.get('c2').deleted, true);
    assert.deepEqual(journal(outbox.items, BOARD), [], 'deleted notes leave the journal');
  });

  it('a sent note deleted offline leaves the journal at once (its delete waits for the network)', async () => {
    const server = fakeServer();
    const { outbox } = makeOutbox(server);
    await outbox.open();
    await outbox.add({ op: create('c1', 'envoyée'), keep: true });
    await settle();
    server.online = false;
    assert.equal(await outbox.remove('c1'), 'queued');
    assert.deepEqual(journal(outbox.items, BOARD), [], 'hidden before the delete is sent');
    server.online = true;
    await outbox.kick();
    assert.equal(server.cards.get('c1').deleted, true);
  });
});

describe('Outbox: sessions', () => {
  it('renews an expired session with the token, then sends', async () => {
    const server = fakeServer();
    let refreshed = 0;
    const auth = { refresh: async () => ((refreshed += 1), 'ok') };
    const { outbox } = makeOutbox(server, { auth });
    await outbox.open();
    server.next.push({ error: { code: 'unauthorized' } });
    await outbox.add({ op: create('c1', 'après expiration') });
    await settle();
    assert.equal(refreshed, 1);
    assert.equal(server.applied.size, 1);
  });

  it('keeps everything when the session cannot be renewed, and resumes later', async () => {
    const server = fakeServer();
    const auth = { refresh: async () => 'denied' };
    const { outbox, events, store } = makeOutbox(server, { auth });
    await outbox.open();
    server.next.push({ error: { code: 'unauthorized' } });
    await outbox.add({ op: create('c1', 'un'), keep: true });
    await outbox.add({ op: create('c2', 'deux'), keep: true });
    await settle();
    assert.equal(events.signedOut, 1);
    assert.equal(outbox.signedOut, true);
    assert.deepEqual((await store.list(ME)).map((i) => i.state), [WAITING, WAITING], 'nothing dropped');
    await outbox.resume();
    assert.equal(server.applied.size, 2);
  });

  it('a renewal that cannot reach the server is retried later', async () => {
    const server = fakeServer();
    const auth = { refresh: async () => 'network' };
    const { outbox, timers } = makeOutbox(server, { auth });
    await outbox.open();
    server.next.push({ error: { code: 'unauthorized' } });
    await outbox.add({ op: create('c1', 'x') });
    await settle();
    assert.equal(outbox.signedOut, false);
    assert.equal(timers.pending.size, 1);
  });
});

describe('Outbox: durability', () => {
  it('resumes after the tab was killed mid-send, in the original order', async () => {
    const server = fakeServer();
    const store = new MemoryStore();
    server.online = false;
    const first = makeOutbox(server, { store });
    await first.outbox.open();
    await first.outbox.add({ op: create('c1', 'un'), keep: true });
    await first.outbox.add({ op: create('c2', 'deux'), keep: true });
    // Killed while the first was in flight.
    await store.update(first.outbox.items[0].seq, (i) => ({ ...i, state: SENDING, tried: true }));
    server.online = true;
    const second = makeOutbox(server, { store });
    await second.outbox.open();
    assert.deepEqual(second.outbox.items.map((i) => i.state), [WAITING, WAITING]);
    await second.outbox.kick();
    assert.deepEqual(server.calls.map((c) => c.data.id), ['c1', 'c2']);
    assert.equal(waitingCount(second.outbox.items, BOARD), 0);
  });

  it('a visit removed from the agenda meanwhile does not lose the note', async () => {
    const server = fakeServer();
    const { outbox } = makeOutbox(server);
    await outbox.open();
    server.next.push({ error: { code: 'invalid' } });
    const first = create('c1', 'visite annulée', { visit_id: 'v1' });
    await outbox.add({ op: first, keep: true });
    await settle();
    assert.equal(server.calls.length, 2);
    assert.notEqual(server.calls[1].op_id, first.op_id);
    assert.equal(server.cards.get('c1').visit_id, undefined);
    assert.equal(journal(outbox.items, BOARD)[0].note.visit_id, null);
  });

  it('imports ops queued in localStorage by older pages once', async () => {
    const server = fakeServer();
    server.online = false;
    const { outbox } = makeOutbox(server);
    await outbox.open();
    const legacy = [{ op: { op_id: 'legacy-0001', type: 'card.create', data: { id: 'c9', text: 'ancienne' } }, meta: { author_name: 'A' } }];
    assert.equal(await outbox.importLegacy(legacy, BOARD), 1);
    assert.equal(await outbox.importLegacy(legacy, BOARD), 0);
    assert.equal(outbox.items[0].tried, true, 'it may have been sent already');
    assert.equal(outbox.items[0].op.board_id, BOARD);
    assert.equal(await outbox.edit('c9', { text: 'nouvelle' }), 'queued');
  });

  it('counts waiting notes per card, and shows the worst state of a card', async () => {
    const items = [
      { seq: 1, board_id: BOARD, keep: true, state: SENT, op: create('a', 'x'), note: { id: 'a', text: 'x' } },
      { seq: 2, board_id: BOARD, keep: false, state: WAITING, op: op('card.update', { id: 'a', text: 'y' }) },
      { seq: 3, board_id: BOARD, keep: true, state: SENDING, op: create('b', 'z') },
      { seq: 4, board_id: 'other', keep: true, state: WAITING, op: create('c', 'w') },
    ];
    assert.equal(waitingCount(items, BOARD), 2);
    assert.equal(waitingCount(items), 3);
    assert.deepEqual(journal(items, BOARD).map((n) => [n.id, n.state]), [['b', SENDING], ['a', WAITING]]);
  });
});

describe('IdbStore (fake-indexeddb)', () => {
  it('keeps items in order with their photo bytes, updates atomically, and holds the token', async () => {
    const indexedDB = new IDBFactory();
    const store = await openIdbStore({ indexedDB });
    const a = await store.add({ owner: ME, n: 1, media: { data: new Uint8Array([9, 8, 7]).buffer } });
    const b = await store.add({ owner: ME, n: 2 });
    await store.add({ owner: 'someone-else', n: 3 });
    assert.ok(b > a);
    let items = await store.list(ME);
    assert.deepEqual(items.map((i) => i.n), [1, 2]);
    assert.deepEqual([...new Uint8Array(items[0].media.data)], [9, 8, 7]);
    assert.equal((await store.update(b, (i) => ({ ...i, n: 20 }))).n, 20);
    assert.equal((await store.update(b, () => undefined)).n, 20);
    assert.equal(await store.update(a, () => null), null);
    assert.equal(await store.update(999, () => ({ n: 0 })), null);
    await assert.rejects(store.update(b, () => { throw new Error('boom'); }), /boom/);
    items = await store.list(ME);
    assert.deepEqual(items.map((i) => [i.seq, i.n]), [[b, 20]]);
    await store.kvSet(tokenKey(ME), { token: 'secret' });
    assert.deepEqual(await store.kvGet(tokenKey(ME)), { token: 'secret' });
    store.close();
    // Another page (or a reboot) opens the same database: it is all still there.
    const again = await openIdbStore({ indexedDB });
    assert.deepEqual((await again.list(ME)).map((i) => i.n), [20]);
    assert.deepEqual(await again.kvGet(tokenKey(ME)), { token: 'secret' });
    again.close();
  });

  it('runs the outbox end to end', async () => {
    const server = fakeServer();
    const store = await openIdbStore({ indexedDB: new IDBFactory() });
    const { outbox } = makeOutbox(server, { store });
    await outbox.open();
    server.next.push('lose-ack');
    await outbox.add({ op: create('c1', 'idb'), keep: true, media: { id: 'm1', data: new ArrayBuffer(8), type: 'image/jpeg', name: 'p.jpg' } });
    await outbox.idle();
    assert.equal(outbox.items[0].state, WAITING);
    await outbox.kick();
    assert.equal(server.applied.size, 1);
    const [note] = journal(await store.list(ME), BOARD);
    assert.equal(note.state, SENT);
    assert.ok(note.sent_at);
    store.close();
  });
});

describe('Outbox: the network comes back during an attempt', () => {
  it('kick() while a doomed attempt is in flight sends at once, not after the backoff', async () => {
    const server = fakeServer();
    const { outbox, timers } = makeOutbox(server);
    await outbox.open();
    let release;
    const slow = new Promise((resolve) => {
      release = resolve;
    });
    const send = server.transport.send;
    let first = true;
    server.transport.send = async (o) => {
      if (!first) return send(o);
      first = false;
      await slow; // the request hangs, then fails…
      return { ok: false, error: { code: 'network' } };
    };
    await outbox.add({ op: create('c1', 'tunnel') });
    const kicked = outbox.kick(); // …while the 'online' event arrives
    release();
    await kicked;
    await outbox.idle();
    assert.equal(timers.pending.size, 0, 'no backoff left waiting');
    assert.equal(server.applied.size, 1);
  });
});

describe('Outbox: a locked board', () => {
  /** A server whose board refuses every op with `locked` while `server.locked` (after de-duplication, SYNC-4). */
  function lockingServer() {
    const server = fakeServer();
    server.locked = true;
    const send = server.transport.send;
    server.transport.send = async (o) => {
      if (server.locked && !server.applied.has(o.op_id)) {
        server.calls.push(structuredClone(o));
        return { ok: false, error: { code: 'locked', message: 'verrouillé' } };
      }
      return send(o);
    };
    return server;
  }

  it('holds a note refused with locked (waiting for the board to reopen), never failed', async () => {
    const server = lockingServer();
    const { outbox, timers, events } = makeOutbox(server);
    await outbox.open();
    await outbox.add({ op: create('c1', 'écrite pendant le verrou'), keep: true });
    await outbox.idle();
    assert.deepEqual(events.fails, [], 'no failure for the page to show');
    assert.equal(outbox.items[0].state, HELD);
    assert.deepEqual(journal(outbox.items, BOARD).map((n) => [n.id, n.state, n.error]), [['c1', HELD, null]]);
    assert.equal(waitingCount(outbox.items, BOARD), 1, 'counted as waiting');
    assert.equal(timers.pending.size, 0, 'no retry timer: it waits for the unlock');
    await outbox.kick();
    assert.equal(server.calls.length, 1, 'not sent again while the board is locked');
  });

  it('sends held notes again after the unlock, in order and exactly once, even when the unlock comes twice', async () => {
    const server = lockingServer();
    const { outbox, events } = makeOutbox(server);
    await outbox.open();
    server.online = false;
    const first = create('c1', 'hors ligne');
    const edit = op('card.update', { id: 'c1', text: 'hors ligne, corrigée' });
    const second = create('c2', 'deuxième');
    await outbox.add({ op: first, keep: true });
    await outbox.edit('c1', { text: 'hors ligne, bis' }); // never sent: rewritten in place
    await outbox.add({ op: second, keep: true });
    server.online = true;
    await outbox.kick();
    await outbox.add({ op: edit }); // an edit of a held note waits behind it
    await outbox.idle();
    assert.deepEqual(outbox.items.map((i) => [i.op.type, i.state]), [['card.create', HELD], ['card.create', HELD], ['card.update', WAITING]]);
    assert.deepEqual(server.calls.map((c) => c.op_id), [first.op_id, second.op_id], 'the edit is held back behind its card');
    server.locked = false;
    server.calls.length = 0;
    const [moved, again] = await Promise.all([outbox.reopen(BOARD), outbox.reopen(BOARD)]);
    assert.equal(moved + again, 2, 'each held note moved once');
    assert.equal(await outbox.reopen(BOARD), 0, 'a third unlock finds nothing held');
    await outbox.idle();
    await settle();
    assert.deepEqual(server.calls.map((c) => c.op_id), [first.op_id, second.op_id, edit.op_id], 'each sent once, in order');
    assert.equal(server.applied.size, 3);
    assert.equal(server.cards.get('c1').text, 'hors ligne, corrigée');
    assert.deepEqual(journal(outbox.items, BOARD).map((n) => [n.id, n.state]), [['c2', SENT], ['c1', SENT]]);
    assert.deepEqual(events.fails, []);
  });

  it('reopens only the board that was unlocked', async () => {
    const server = lockingServer();
    const { outbox } = makeOutbox(server);
    await outbox.open();
    await outbox.add({ op: { ...create('c1', 'ici'), board_id: 'other-board' }, keep: true });
    await outbox.idle();
    server.locked = false;
    assert.equal(await outbox.reopen(BOARD), 0);
    assert.equal(outbox.items[0].state, HELD);
    assert.equal(await outbox.reopen('other-board'), 1);
    await outbox.idle();
    await settle();
    assert.equal(outbox.items[0].state, SENT);
  });

  it('keeps other refusals failed (retry by hand), and the board page\'s own ops still fail on locked', async () => {
    const server = fakeServer();
    const { outbox, events } = makeOutbox(server);
    await outbox.open();
    server.next.push({ error: { code: 'invalid', message: 'non' } }, { error: { code: 'locked', message: 'verrouillé' } });
    const refused = create('c1', 'refusée');
    const moved = op('card.move', { id: 'c9', zone: 'inbox' });
    await outbox.add({ op: refused, keep: true });
    await outbox.add({ op: moved });
    await outbox.idle();
    assert.deepEqual(events.fails, [[refused.op_id, 'invalid'], [moved.op_id, 'locked']]);
    assert.deepEqual(outbox.items.map((i) => i.state), [FAILED, FAILED]);
    assert.equal(await outbox.reopen(BOARD), 0, 'an unlock does not resend refused ops');
    assert.equal(journal(outbox.items, BOARD)[0].state, FAILED);
  });

  it('a held note survives a reload of the page (IndexedDB) and is sent on the next unlock', async () => {
    const indexedDB = new IDBFactory();
    const server = lockingServer();
    const first = makeOutbox(server, { store: await openIdbStore({ indexedDB, name: 'held' }) });
    await first.outbox.open();
    await first.outbox.add({ op: create('c1', 'gardée'), keep: true });
    await first.outbox.idle();
    first.store.close();
    const second = makeOutbox(server, { store: await openIdbStore({ indexedDB, name: 'held' }) });
    await second.outbox.open();
    assert.equal(second.outbox.items[0].state, HELD);
    server.locked = false;
    await second.outbox.reopen(BOARD);
    await second.outbox.idle();
    await settle();
    assert.equal(second.outbox.items[0].state, SENT);
    assert.equal(server.applied.size, 1);
    second.store.close();
  });
});
