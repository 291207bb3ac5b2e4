// The pure parts of the zones board: sort keys (positions.js), zones with pending ops
// (zones-model.js), tags (tags.js) and the minimal DOM reordering (reorder.js).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { groupByZone, isKey, keyAfter, keyAt, keyBetween, moveTo } from './positions.js';
import { longestIncreasing, placeInOrder } from './reorder.js';
import { compareCards } from './sync.js';
import { addTag, cleanTag, dimClass, dimensionOf, orderTags, removeTag, sameTags, splitTags, tagLabel, toggleTag } from './tags.js';
import { applyZoneOp, newZoneId, visibleZones } from './zones-model.js';

const codeUnitSorted = (keys) => keys.every((k, i) => i === 0 || keys[i - 1] < k);

describe('positions', () => {
  it('makes keys between neighbours, in code-unit order', () => {
    const a = keyBetween(null, null);
    const b = keyBetween(a, null);
    const mid = keyBetween(a, b);
    const first = keyBetween(null, a);
    assert.ok(codeUnitSorted([first, a, mid, b]), [first, a, mid, b].join(' '));
  });

  it('never throws on keys it cannot use', () => {
    assert.equal(isKey(''), false);
    assert.equal(isKey('not a key!'), false);
    const key = keyBetween('not a key!', '');
    assert.ok(isKey(key));
    // Equal neighbours (two clients once chose the same key): a key after them.
    const a = keyBetween(null, null);
    assert.ok(keyBetween(a, a) > a);
  });

  it('places a card at an index, looking past cards without a key', () => {
    const a = keyBetween(null, null);
    const b = keyBetween(a, null);
    const c = keyBetween(b, null);
    const keys = [a, b, c];
    for (let i = 0; i <= keys.length; i += 1) {
      const k = keyAt(keys, i);
      const order = [...keys.slice(0, i), k, ...keys.slice(i)];
      assert.ok(codeUnitSorted(order), `index ${i}: ${order.join(' ')}`);
    }
    // Old cards have '' (before every key): a card dropped among them goes before the keyed ones.
    const k = keyAt(['', '', a, b], 1);
    assert.ok(k < a && k > '');
    // Equal keys: the card lands after the run of equal keys, before the next one.
    const e = keyAt([a, a, b], 1);
    assert.ok(e > a && e < b);
  });

  it('keeps hundreds of inserts at one spot sorted and short enough', () => {
    const lo = keyBetween(null, null);
    let hi = keyBetween(lo, null);
    for (let i = 0; i < 200; i += 1) {
      const k = keyBetween(lo, hi);
      assert.ok(lo < k && k < hi);
      hi = k;
    }
    assert.ok(hi.length <= 64, hi);
  });

  it('gives the key after the last card, and a move that sorts where it was dropped', () => {
    const cards = [];
    for (let i = 0; i < 5; i += 1) cards.push({ id: `c${i}`, zone: 'z', position: keyAfter(cards), created_at: '2017', text: '' });
    assert.ok(codeUnitSorted(cards.map((c) => c.position)));
    // Move c4 to index 1 (among the others): it sorts second.
    const move = moveTo('c4', 'z', cards, 1);
    const moved = cards.map((c) => (c.id === 'c4' ? { ...c, ...move } : c)).sort(compareCards);
    assert.deepEqual(moved.map((c) => c.id), ['c0', 'c4', 'c1', 'c2', 'c3']);
    // Dropped where it already is: nothing to send.
    assert.equal(moveTo('c2', 'z', cards, 2), null);
    // Into another zone: a move, even at the same index.
    assert.equal(moveTo('c2', 'y', [], 0).zone, 'y');
  });

  it('groups cards by zone, unknown zones in the inbox', () => {
    const zones = [{ id: 'inbox' }, { id: 'actors' }];
    const groups = groupByZone([{ id: 1, zone: 'actors' }, { id: 2, zone: 'gone' }, { id: 3, zone: 'inbox' }], zones);
    assert.deepEqual(groups.get('actors').map((c) => c.id), [1]);
    assert.deepEqual(groups.get('inbox').map((c) => c.id), [2, 3]);
  });
});

describe('zones with pending ops', () => {
  const zones = [{ id: 'inbox', title: 'Boîte' }, { id: 'a', title: 'A' }, { id: 'b', title: 'B' }];
  const pending = (...ops) => new Map(ops.map((op, i) => [`op${i}`, { op }]));

  it('applies add, rename, move and remove like the server', () => {
    assert.deepEqual(applyZoneOp(zones, 'zone.add', { id: 'c', title: ' C ' }).map((z) => z.id), ['inbox', 'a', 'b', 'c']);
    assert.deepEqual(applyZoneOp(zones, 'zone.add', { id: 'c', title: 'C', index: 0 }).map((z) => z.id), ['inbox', 'c', 'a', 'b']);
    assert.equal(applyZoneOp(zones, 'zone.rename', { id: 'a', title: 'Acteurs' })[1].title, 'Acteurs');
    assert.deepEqual(applyZoneOp(zones, 'zone.move', { id: 'b', index: 0 }).map((z) => z.id), ['inbox', 'b', 'a']);
    assert.deepEqual(applyZoneOp(zones, 'zone.move', { id: 'inbox', index: 2 }).map((z) => z.id), ['inbox', 'a', 'b']);
    assert.deepEqual(applyZoneOp(zones, 'zone.remove', { id: 'a' }).map((z) => z.id), ['inbox', 'b']);
    assert.deepEqual(applyZoneOp(zones, 'zone.remove', { id: 'inbox' }).map((z) => z.id), ['inbox', 'a', 'b']);
    assert.equal(zones[1].title, 'A'); // never changed in place
  });

  it('overlays pending zone ops in order, ignoring card ops', () => {
    const shown = visibleZones({ zones }, pending(
      { type: 'zone.add', data: { id: 'c', title: 'C' } },
      { type: 'card.move', data: { id: 'x', zone: 'c' } },
      { type: 'zone.rename', data: { id: 'c', title: 'Cé' } },
    ));
    assert.deepEqual(shown.map((z) => z.title), ['Boîte', 'A', 'B', 'Cé']);
    assert.equal(shown[3].pending, true);
    assert.deepEqual(visibleZones(null, new Map(), 'Inbox'), [{ id: 'inbox', title: 'Inbox' }]);
  });

  it('makes zone ids the protocol accepts', () => {
    const id = newZoneId();
    assert.match(id, /^[A-Za-z0-9_-]{1,64}$/);
    assert.notEqual(id, newZoneId());
  });
});

describe('tags', () => {
  it('cleans, adds once whatever the case, removes and toggles', () => {
    assert.equal(cleanTag('  #port   de   commerce '), 'port de commerce');
    assert.equal(cleanTag('x'.repeat(50)).length, 40);
    let tags = addTag([], 'Port');
    tags = addTag(tags, 'port');
    assert.deepEqual(tags, ['Port']);
    assert.deepEqual(addTag(tags, 'Économique'), ['Port', 'économique']); // dimensions stored in lowercase
    assert.deepEqual(removeTag(['Port', 'économique'], 'PORT'), ['économique']);
    assert.deepEqual(toggleTag(toggleTag([], 'sociale'), 'sociale'), []);
    const full = Array.from({ length: 12 }, (_, i) => `t${i}`);
    assert.equal(addTag(full, 'one more').length, 12);
    assert.deepEqual(splitTags('port, emploi;; ,  '), ['port', 'emploi']);
  });

  it('shows dimensions first, translated, and compares sets', () => {
    assert.equal(dimensionOf('Politique'), 'politique');
    assert.equal(dimensionOf('port'), null);
    assert.deepEqual(orderTags(['port', 'sociale', 'politique']), ['politique', 'sociale', 'port']);
    assert.equal(tagLabel('économique', { dimensions: { économique: 'Economic' } }), 'Economic');
    assert.equal(tagLabel('port', {}), 'port');
    assert.equal(dimClass('économique'), 'economique');
    assert.ok(sameTags(['A', 'b'], ['B', 'a']));
    assert.ok(!sameTags(['a'], ['a', 'b']));
  });
});

describe('reorder', () => {
  it('finds a longest increasing subsequence', () => {
    assert.deepEqual([...longestIncreasing([1, 2, 3, 4, 0])].sort(), [1, 2, 3, 4]);
    assert.equal(longestIncreasing([3, 0, 1, 2]).size, 3);
    assert.equal(longestIncreasing([]).size, 0);
  });

  /** A tiny stand-in for a DOM list: enough for placeInOrder. */
  function fakeList(names) {
    const list = {
      items: [],
      get firstElementChild() {
        return this.items[0] || null;
      },
      insertBefore(el, ref) {
        const from = this.items.indexOf(el);
        if (from !== -1) this.items.splice(from, 1);
        this.moves += 1;
        const at = ref ? this.items.indexOf(ref) : this.items.length;
        this.items.splice(at, 0, el);
      },
      moves: 0,
    };
    for (const name of names) {
      const el = { name, contains: () => false };
      Object.defineProperty(el, 'nextElementSibling', { get: () => list.items[list.items.indexOf(el) + 1] || null });
      list.items.push(el);
    }
    return list;
  }

  it('moves one element when one card moved, none when nothing did', () => {
    const names = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const list = fakeList(names);
    const byName = new Map(list.items.map((el) => [el.name, el]));
    const wanted = [...names.slice(1), names[0]].map((n) => byName.get(n)); // the first card to the bottom
    assert.equal(placeInOrder(list, wanted), 1);
    assert.deepEqual(list.items.map((el) => el.name), wanted.map((el) => el.name));
    assert.equal(placeInOrder(list, wanted), 0);
  });
});
