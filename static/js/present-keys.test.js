import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fill, keyAction, plural, step } from './present-keys.js';

const key = (k, extra = {}) => ({ key: k, target: { tagName: 'BODY' }, ...extra });

test('arrows, space and clicker keys move through the slides', () => {
  for (const k of ['ArrowRight', 'PageDown', ' ', 'ArrowDown']) assert.equal(keyAction(key(k)), 'next');
  for (const k of ['ArrowLeft', 'PageUp', 'ArrowUp']) assert.equal(keyAction(key(k)), 'prev');
  assert.equal(keyAction(key(' ', { shiftKey: true })), 'prev');
  assert.equal(keyAction(key('Home')), 'first');
  assert.equal(keyAction(key('End')), 'last');
  assert.equal(keyAction(key('f')), 'fullscreen');
  assert.equal(keyAction(key('Escape')), 'escape');
});

test('keys typed in a field or with a modifier are left alone', () => {
  assert.equal(keyAction(key('ArrowRight', { target: { tagName: 'INPUT' } })), null);
  assert.equal(keyAction(key('f', { ctrlKey: true })), null);
  assert.equal(keyAction(key(' ', { target: { tagName: 'BUTTON' } })), null);
  assert.equal(keyAction(key('ArrowRight', { target: { tagName: 'BUTTON' } })), 'next');
  assert.equal(keyAction(key('x')), null);
});

test('steps stay within the slides', () => {
  assert.equal(step(0, 5, 'prev'), 0);
  assert.equal(step(4, 5, 'next'), 4);
  assert.equal(step(2, 5, 'next'), 3);
  assert.equal(step(2, 5, 'last'), 4);
  assert.equal(step(9, 5, 'stay'), 4);
  assert.equal(step(3, 0, 'next'), 0);
});

test('plural and fill', () => {
  const t = { notes_one: '{n} note', notes_other: '{n} notes' };
  assert.equal(plural(t, 'notes', 1, 'fr'), '1 note');
  assert.equal(plural(t, 'notes', 0, 'fr'), '0 note');
  assert.equal(plural(t, 'notes', 4, 'fr'), '4 notes');
  assert.equal(fill('Diapositive {n} sur {total}', { n: 2, total: 7 }), 'Diapositive 2 sur 7');
});
