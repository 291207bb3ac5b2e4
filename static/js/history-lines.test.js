// Unit tests for history-lines.js — run with `node --test static/js/` (or `npm test`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LINES, actionOf, describe as line, relativeTime, sentenceParts, snippet } from './history-lines.js';

const ZONES = { inbox: 'Boîte de réception', actors: 'Acteurs' };
const ctx = {
  name: (event) => event.actor_name || 'quelqu’un',
  zoneTitle: (id) => ZONES[id] || null,
  card: (id) => (id === 'c7' ? { id, text: 'La carte commentée' } : null),
};
const event = (type, data, extra = {}) => ({ seq: 1, type, actor_id: 'p1', actor_name: 'Marie', data, ts: '', ...extra });

describe('snippet', () => {
  it('keeps short texts and cuts long ones on a word, with an ellipsis', () => {
    assert.equal(snippet('  Les friches\n industrielles  '), 'Les friches industrielles');
    assert.equal(snippet('Les friches industrielles de la vallée de la Fensch, reconverties en tiers-lieux'),
      'Les friches industrielles de la vallée de la…');
    assert.equal(snippet('x'.repeat(60)), `${'x'.repeat(48)}…`);
  });
});

describe('describe', () => {
  it('words card events with the card and the zone', () => {
    const moved = line(event('card.move', { card: { id: 'c1', text: 'Les friches', zone: 'actors' } }), ctx);
    assert.deepEqual(moved, { key: 'card_move', values: { name: 'Marie', card: 'Les friches', zone: 'Acteurs' } });
    assert.equal(line(event('card.delete', { card: { id: 'c1', text: 'x' } }), ctx).key, 'card_delete');
    assert.equal(line(event('comment.add', { comment: { card_id: 'c7', text: 'Oui' } }), ctx).values.card, 'La carte commentée');
    assert.deepEqual(line(event('theme.create', { theme: { title: 'Mobilités' } }), ctx).values, { name: 'Marie', theme: 'Mobilités' });
  });

  it('falls back to the generic sentence for unknown types, missing values or missing strings', () => {
    assert.deepEqual(line(event('card.paint', { card: { text: 'x' } }), ctx), { key: 'other', values: { name: 'Marie' } });
    assert.equal(line(event('card.move', { card: { id: 'c1', text: 'x', zone: 'gone' } }), ctx).key, 'other');
    assert.equal(line(event('theme.create', {}), ctx).key, 'other');
    assert.equal(line(event('vote.open', {}), ctx, (key) => key !== 'vote_open').key, 'other');
    assert.equal(line(event('vote.dot', { card_id: 'c1' }), ctx).key, 'vote_dot');
    assert.equal(line(event('card.create', null, { actor_name: undefined }), ctx).values.name, 'quelqu’un');
    assert.equal(line(event('board.lock', { board: { locked: true } }), ctx).key, 'board_lock');
    assert.equal(line(event('board.lock', { board: { locked: false } }), ctx).key, 'board_unlock');
  });

  it('words the board ops of the facilitators (SYNC-16)', () => {
    const renamed = line(event('board.rename', { board: { id: 'b1', title: 'Morvan nord' } }), ctx);
    assert.deepEqual(renamed, { key: 'board_rename', values: { name: 'Marie', title: 'Morvan nord' } });
    assert.equal(line(event('board.colour', { board: { colour: '#123abc' } }), ctx).key, 'board_colour');
    assert.equal(line(event('board.template', { board: { template: 'swot' }, zones: [], cards: [] }), ctx).key,
      'board_template');
  });

  it('has a sentence key for every op type the board knows', () => {
    for (const type of ['card.create', 'card.update', 'card.move', 'card.delete', 'card.restore', 'zone.add',
      'zone.rename', 'zone.move', 'zone.remove']) {
      assert.ok(LINES[type], type);
    }
  });
});

describe('sentenceParts', () => {
  it('splits a sentence around its placeholders, leaving unknown ones as they are', () => {
    assert.deepEqual(sentenceParts('{name} a déplacé « {card} » vers {zone} {x}', { name: 'Marie', card: 'Les friches', zone: 'Acteurs' }), [
      { field: 'name', text: 'Marie' },
      { text: ' a déplacé « ' },
      { field: 'card', text: 'Les friches' },
      { text: ' » vers ' },
      { field: 'zone', text: 'Acteurs' },
      { text: ' ' },
      { text: '{x}' },
    ]);
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2017-11-16T15:00:00Z');
  it('says just now, minutes, hours, then the time', () => {
    assert.equal(relativeTime('2017-11-16T14:59:30Z', { now, justNow: 'à l’instant' }), 'à l’instant');
    assert.match(relativeTime('2017-11-16T14:55:00Z', { now, locale: 'fr' }), /5\s*min/);
    assert.match(relativeTime('2017-11-16T14:55:00Z', { now, locale: 'en' }), /5 min/);
    assert.match(relativeTime('2017-11-16T12:00:00Z', { now, locale: 'fr' }), /3\s*h/);
    assert.match(relativeTime('2017-11-14T08:00:00Z', { now, locale: 'fr' }), /14/);
    assert.equal(relativeTime('nonsense', { now }), '');
  });
});

describe('actionOf', () => {
  it('names one’s own change by the card it touched', () => {
    assert.deepEqual(actionOf({ type: 'card.move', data: { id: 'c1' } }, { card: { text: 'Les friches' } }),
      { key: 'card_move', values: { card: 'Les friches' } });
    assert.deepEqual(actionOf({ type: 'card.update', data: { id: 'c1', text: 'Nouveau' } }, { card: { text: 'Ancien' } }, { card: { text: 'Nouveau' } }),
      { key: 'card_update', values: { card: 'Nouveau' } });
    assert.deepEqual(actionOf({ type: 'card.create', data: { text: 'Nouvelle' } }), { key: 'card_create', values: { card: 'Nouvelle' } });
    assert.deepEqual(actionOf({ type: 'theme.create', data: { title: 'Mobilités' } }, { theme: null }, { theme: { title: 'Mobilités' } }),
      { key: 'theme_create', values: { theme: 'Mobilités' } });
    assert.equal(actionOf({ type: 'zone.rename', data: {} }).key, 'zones');
    assert.equal(actionOf({ type: 'theme.delete', data: { id: 't1' } }, { theme: null }).key, 'other');
    assert.equal(actionOf({ type: 'vote.open', data: {} }).key, 'other');
  });
});
