import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MAX_EM, MIN_EM, centreOrder, colourOf, layout, ratingShare, wordSize } from './cloud-layout.js';

const w = (key, count, hidden = false) => ({ key, word: key, count, hidden });

describe('word cloud layout', () => {
  it('sizes words on a log scale between the smallest and the largest', () => {
    assert.equal(wordSize(1, 1), MIN_EM);
    assert.equal(wordSize(1, 2), MIN_EM);
    assert.equal(wordSize(2, 2), MAX_EM);
    assert.equal(wordSize(10, 10), MAX_EM);
    const mid = wordSize(3, 9);
    assert.ok(mid > MIN_EM && mid < MAX_EM);
    assert.ok(Math.abs(mid - (MIN_EM + MAX_EM) / 2) < 0.02, 'sqrt of the top is half-way');
    assert.ok(wordSize(5, 10) > wordSize(4, 10));
  });

  it('puts the biggest word in the middle', () => {
    const order = centreOrder([w('a', 1), w('b', 5), w('c', 3), w('d', 2), w('e', 1)]).map((x) => x.key);
    assert.equal(order[2], 'b');
    assert.deepEqual(order.slice().sort(), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(centreOrder([]), []);
  });

  it('leaves hidden words out and scales to the biggest shown', () => {
    const shown = layout([w('friche', 2), w('coopération', 1), w('bruit', 9, true)]);
    assert.deepEqual(shown.map((x) => x.key).sort(), ['coopération', 'friche']);
    const size = Object.fromEntries(shown.map((x) => [x.key, x.size]));
    assert.ok(size.friche > size['coopération']);
    assert.equal(size.friche, MAX_EM);
  });

  it('gives a word the same colour every time', () => {
    assert.equal(colourOf('friche'), colourOf('friche'));
    for (const key of ['a', 'territoire', 'coopération', 'ß']) assert.ok(colourOf(key) >= 0 && colourOf(key) < 6);
  });

  it('turns an average out of 5 into a bar share', () => {
    assert.equal(ratingShare(5), 100);
    assert.equal(ratingShare(2.5), 50);
    assert.equal(ratingShare(null), 0);
    assert.equal(ratingShare(7), 100);
  });
});
