import assert from 'node:assert/strict';
import { test } from 'node:test';

import { plural } from './card-groups.js';
import { zoneGroups } from './list-view.js';
import { agendaOrder, byCreated, timelineGroups, visitSpan } from './timeline-view.js';

const visit = (id, title, starts, ends) => ({ id, title, place: `${title} (lieu)`, starts_at: starts, ends_at: ends });
const card = (id, fields = {}) => ({ id, text: id, zone: 'inbox', position: '', created_at: null, visit_id: null, ...fields });

test('timeline: visits in agenda order, only those with notes, notes by time, no visit last', () => {
  const visits = new Map([
    ['v2', visit('v2', 'Autun', '2017-11-16T13:00:00Z', '2017-11-16T17:00:00Z')],
    ['v1', visit('v1', 'Le Creusot', '2017-11-16T07:00:00Z', '2017-11-16T11:00:00Z')],
    ['v3', visit('v3', 'Dijon', '2017-11-17T07:00:00Z', '2017-11-17T11:00:00Z')],
  ]);
  const cards = [
    card('a', { visit_id: 'v2', created_at: '2017-11-16T15:00:00Z' }),
    card('b', { visit_id: 'v1', created_at: '2017-11-16T10:00:00Z' }),
    card('c', { visit_id: 'v2', created_at: '2017-11-16T14:00:00Z' }),
    card('d', {}),
    card('e', { visit_id: 'gone', created_at: '2017-11-16T09:00:00Z' }),
    card('f', { visit_id: 'v1', created_at: '2017-11-16T08:00:00Z' }),
    card('g', { visit_id: 'v1', pending: true }),
  ];
  const groups = timelineGroups(cards, visits);
  assert.deepEqual(groups.map((g) => [g.key, g.cards.map((c) => c.id).join('')]), [['v1', 'fbg'], ['v2', 'ca'], ['none', 'ed']]);
  assert.equal(groups[0].visit.title, 'Le Creusot');
  assert.equal(groups[2].visit, null);
  assert.deepEqual(timelineGroups([], visits), []);
  assert.deepEqual(timelineGroups([card('x', { visit_id: 'v1' })], []).map((g) => g.key), ['none']);
});

test('agenda order: start, end, then title; undated visits last', () => {
  const list = [
    visit('b', 'B', '2017-11-16T07:00:00Z', '2017-11-16T12:00:00Z'),
    visit('x', 'X', null, null),
    visit('a', 'A', '2017-11-16T07:00:00Z', '2017-11-16T09:00:00Z'),
    visit('c', 'C', '2017-11-15T07:00:00Z', '2017-11-15T09:00:00Z'),
  ];
  assert.deepEqual(agendaOrder(list).map((v) => v.id), ['c', 'a', 'b', 'x']);
  assert.equal(byCreated(card('1', { created_at: '2017-11-16T07:00:00Z' }), card('2')), -1);
});

test('the span of a visit names its day', () => {
  const span = visitSpan(visit('v', 'V', '2017-11-16T07:00:00Z', '2017-11-16T11:00:00Z'), 'en-GB');
  assert.match(span, /Thursday 16 November, \d\d:\d\d–\d\d:\d\d/);
  assert.equal(visitSpan({ starts_at: 'nope' }, 'fr'), '');
});

test('list: by zone in the board order, unknown zones in the inbox, empty zones on demand', () => {
  const zones = [{ id: 'inbox', title: 'Boîte' }, { id: 'actors', title: 'Acteurs' }, { id: 'resources', title: 'Ressources' }];
  const cards = [
    card('a', { zone: 'actors', position: 'b' }),
    card('b', { zone: 'actors', position: 'a' }),
    card('c', { zone: 'gone' }),
    card('d', {}),
  ];
  assert.deepEqual(zoneGroups(cards, zones).map((g) => [g.key, g.cards.map((c) => c.id).join('')]), [['inbox', 'cd'], ['actors', 'ba']]);
  assert.deepEqual(zoneGroups(cards, zones, { withEmpty: true }).map((g) => g.key), ['inbox', 'actors', 'resources']);
  assert.deepEqual(zoneGroups(cards, []).map((g) => [g.key, g.cards.length]), [['inbox', 4]]);
  assert.deepEqual(zoneGroups(cards, [{ id: 'only', title: 'Libre' }]).map((g) => [g.key, g.cards.length]), [['only', 4]]);
});

test('plural picks the form of the language', () => {
  const t = { n_one: '{n} note', n_other: '{n} notes' };
  assert.equal(plural(t, 'n', 1, 'en'), '1 note');
  assert.equal(plural(t, 'n', 0, 'en'), '0 notes');
  assert.equal(plural(t, 'n', 0, 'fr'), '0 note');
  assert.equal(plural(t, 'n', 3, 'fr'), '3 notes');
  assert.equal(plural({ n_other: '{n} of {total}' }, 'n', 2, 'en', { total: 5 }), '2 of 5');
});
