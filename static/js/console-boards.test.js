import assert from 'node:assert/strict';
import { test } from 'node:test';

import { watchBoards } from './console-boards.js';

const board = (id, locked = false) => ({ id, locked, zones: [{ id: 'inbox', title: 'Boîte' }] });
const card = (id, text, extra = {}) => ({ id, text, zone: 'inbox', position: 'a0', created_at: '2026-01-01T10:00:00Z', ...extra });

/** A Connection stand-in: a socket whose board:join answers from `snapshots`, listeners, send(). */
function fakeConnection(snapshots) {
  const listeners = new Map();
  const joins = [];
  const sent = [];
  const connection = {
    connected: true,
    listen: (name, fn) => listeners.set(name, fn),
    emit: (name, message) => listeners.get(name)(message),
    joins,
    sent,
    socket: {
      timeout: () => ({
        emit: (name, payload, ack) => {
          joins.push(payload.board_id);
          const snapshot = snapshots[payload.board_id];
          ack(null, snapshot ? { ok: true, ...snapshot() } : { ok: false, error: { code: 'not_found' } });
        },
      }),
    },
    send: async (op) => {
      sent.push(op);
      return { ok: true, seq: 9, event: { board_id: op.board_id, seq: 9, type: op.type, data: { board: { id: op.board_id, locked: op.data.locked } } } };
    },
  };
  return connection;
}

const api = { getJson: async () => ({ ok: true, body: { events: [{ seq: 1, ts: new Date().toISOString() }] } }) };

test('joins every board, follows events and presence, and rejoins a board left behind', async () => {
  let seqA = 3;
  const connection = fakeConnection({
    a: () => ({ board: board('a'), cards: [card('c1', 'un')], seq: seqA }),
    b: () => ({ board: board('b', true), cards: [], seq: 1 }),
  });
  const changed = [];
  const watcher = watchBoards({ connection, api, boardIds: ['a', 'b', 'gone'], selfId: 'me', onChange: (id) => changed.push(id) });
  watcher.online();
  const a = watcher.boards.get('a');
  assert.equal(a.status, 'ready');
  assert.equal(a.state.cards.size, 1);
  assert.equal(watcher.boards.get('b').state.board.locked, true);
  assert.deepEqual([watcher.boards.get('gone').status, watcher.boards.get('gone').error], ['error', 'not_found']);

  connection.emit('event', { board_id: 'a', seq: 4, type: 'card.create', ts: new Date().toISOString(), data: { card: card('c2', 'deux') } });
  assert.equal(a.state.cards.size, 2);
  assert.ok(a.activity.count() >= 1);
  connection.emit('presence', { board_id: 'a', participants: [{ id: 'p1', name: 'Camille' }] });
  assert.equal(a.presence.length, 1);
  assert.ok(changed.includes('a'));

  // An event far ahead opens a gap: after a short grace the board is joined again for a snapshot.
  seqA = 10;
  const before = connection.joins.length;
  connection.emit('event', { board_id: 'a', seq: 8, type: 'card.create', data: { card: card('c9', 'neuf') } });
  await new Promise((resolve) => setTimeout(resolve, 1700));
  assert.equal(connection.joins.length, before + 1);
  assert.equal(a.state.lastSeq, 10);
});

test('send applies the op result to the board at once', async () => {
  const connection = fakeConnection({ b: () => ({ board: board('b'), cards: [], seq: 8 }) });
  const watcher = watchBoards({ connection, api, boardIds: ['b'], selfId: 'me' });
  watcher.online();
  const result = await watcher.send('b', 'board.lock', { locked: true });
  assert.equal(result.ok, true);
  assert.equal(connection.sent[0].type, 'board.lock');
  assert.match(connection.sent[0].op_id, /^[0-9a-f-]{36}$/);
  assert.equal(watcher.boards.get('b').state.board.locked, true);
});
