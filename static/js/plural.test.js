import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plural, pluralForm } from './plural.js';

const t = { notes_one: '{count} note', notes_other: '{count} notes', match_one: '{n} sur {total}', match_other: '{n} sur {total}s' };

test('French: 0 and 1 are singular, 1 000 000 (CLDR "many") takes the other form', () => {
  assert.equal(plural(t, 'notes', 0, 'fr'), '0 note');
  assert.equal(plural(t, 'notes', 1, 'fr'), '1 note');
  assert.equal(plural(t, 'notes', 2, 'fr'), '2 notes');
  assert.equal(plural(t, 'notes', 1000000, 'fr'), '1000000 notes');
});

test('English: only 1 is singular', () => {
  assert.equal(pluralForm(0, 'en'), 'other');
  assert.equal(plural(t, 'notes', 1, 'en'), '1 note');
  assert.equal(plural(t, 'match', 3, 'en', { total: 9 }), '3 sur 9s');
});
