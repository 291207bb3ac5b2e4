import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { actorSuggestions, currentVisit, visitWhen } from './visits.js';

// The device in the workshop's zone (Paris, time.js's default outside a page), unless a test says otherwise.
process.env.TZ = 'Europe/Paris';

const at = (h, m = 0, day = 16) => new Date(2017, 10, day, h, m);
const visit = (id, from, to) => ({ id, title: id, starts_at: from.toISOString(), ends_at: to.toISOString() });

describe('currentVisit', () => {
  const morning = visit('creusot', at(9), at(12));
  const afternoon = visit('port', at(14), at(17));
  const tomorrow = visit('kodak', at(9, 0, 17), at(12, 0, 17));
  const visits = [tomorrow, afternoon, morning];

  it('picks the visit happening now', () => {
    assert.equal(currentVisit(visits, at(10)).id, 'creusot');
    assert.equal(currentVisit(visits, at(9)).id, 'creusot', 'from its start');
    assert.equal(currentVisit(visits, at(16, 59)).id, 'port');
  });

  it('else the next one today, else none', () => {
    assert.equal(currentVisit(visits, at(7)).id, 'creusot');
    assert.equal(currentVisit(visits, at(12)).id, 'port', 'a visit is over at its end');
    assert.equal(currentVisit(visits, at(18)), null, 'tomorrow is not today');
    assert.equal(currentVisit([], at(10)), null);
  });

  it('prefers the latest started of overlapping visits and skips broken dates', () => {
    const inner = visit('atelier', at(10), at(11));
    assert.equal(currentVisit([morning, inner, { id: 'x', starts_at: 'nope', ends_at: '' }], at(10, 30)).id, 'atelier');
  });
});

describe('visitWhen and actorSuggestions', () => {
  it('formats the time range, with the day when it is not today', () => {
    const v = visit('creusot', at(9), at(12));
    assert.equal(visitWhen(v, 'fr', at(8)), '09:00–12:00');
    assert.match(visitWhen(v, 'fr', at(8, 0, 18)), /16.*09:00–12:00/);
  });

  it('keeps the workshop clock on a device set to another zone, and names the zone', () => {
    const v = visit('creusot', at(9), at(12));
    process.env.TZ = 'America/New_York';
    try {
      assert.equal(visitWhen(v, 'fr', new Date(v.starts_at)), '09:00–12:00 UTC+1');
    } finally {
      process.env.TZ = 'Europe/Paris';
    }
  });

  it('lists actors once, most recent first', () => {
    const cards = [
      { actor: 'Directeur du site', updated_at: '2017-11-16T09:00:00Z' },
      { actor: '', updated_at: '2017-11-16T10:00:00Z' },
      { actor: 'Maire', updated_at: '2017-11-16T11:00:00Z' },
      { actor: 'directeur du site ', updated_at: '2017-11-16T12:00:00Z' },
    ];
    assert.deepEqual(actorSuggestions(cards), ['directeur du site', 'Maire']);
  });
});
