import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ActivityLog, latestCards, onlinePeople, voteSummary, zoneCounts } from './console-stats.js';

const board = { zones: [{ id: 'inbox', title: 'Boîte' }, { id: 'actors', title: 'Acteurs' }] };

test('zoneCounts counts cards per zone, unknown zones in the first', () => {
  const cards = [{ zone: 'inbox' }, { zone: 'actors' }, { zone: 'actors' }, { zone: 'gone' }];
  assert.deepEqual(zoneCounts(board, cards).map((z) => [z.id, z.count]), [['inbox', 2], ['actors', 2]]);
  assert.deepEqual(zoneCounts(null, cards), []);
});

test('latestCards gives the newest first', () => {
  const cards = [
    { id: 'a', created_at: '2026-01-01T10:00:00Z' },
    { id: 'b', created_at: '2026-01-01T12:00:00Z' },
    { id: 'c', created_at: '2026-01-01T11:00:00Z' },
    { id: 'd', created_at: '2026-01-01T09:00:00Z' },
  ];
  assert.deepEqual(latestCards(cards).map((c) => c.id), ['b', 'c', 'a']);
});

test('ActivityLog counts each event once within the window', () => {
  const log = new ActivityLog(60000);
  const now = Date.parse('2026-01-01T12:00:00Z');
  log.add({ seq: 1, ts: '2026-01-01T11:58:00Z' }, now);
  log.add({ seq: 2, ts: '2026-01-01T11:59:30Z' }, now);
  log.add({ seq: 2, ts: '2026-01-01T11:59:30Z' }, now);
  log.add({ seq: 3 }, now);
  log.add({}, now);
  assert.equal(log.count(now), 2);
  assert.equal(log.count(now + 61000), 0);
});

test('voteSummary says what can be done', () => {
  assert.equal(voteSummary(null), null);
  const hidden = voteSummary({ vote: { id: 'v', status: 'open', hidden: true, revealed: false, dots: 5 }, voters: 2 });
  assert.deepEqual([hidden.canReveal, hidden.canClose, hidden.voters], [true, true, 2]);
  const closed = voteSummary({ vote: { id: 'v', status: 'closed', hidden: true, revealed: true, dots: 5 } });
  assert.deepEqual([closed.status, closed.canReveal, closed.canClose], ['closed', false, false]);
});

test('onlinePeople leaves out oneself and duplicates', () => {
  const people = [{ id: '2', name: 'Zoé' }, { id: '1', name: 'Me' }, { id: '3', name: 'Ali' }, { id: '2', name: 'Zoé' }];
  assert.deepEqual(onlinePeople(people, '1').map((p) => p.name), ['Ali', 'Zoé']);
});

test('onlinePeople leaves out facilitators watching from their console (SYNC-11), not those on the board', () => {
  const people = [
    { id: '2', name: 'Zoé', mode: 'capture' },
    { id: '4', name: 'Anne', role: 'facilitator', mode: 'watch' },
    { id: '5', name: 'Bruno', role: 'facilitator', mode: 'board' },
  ];
  assert.deepEqual(onlinePeople(people, '1').map((p) => p.name), ['Bruno', 'Zoé']);
});
