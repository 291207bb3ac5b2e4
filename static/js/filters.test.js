import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  activeCount, compileFilter, emptyFilter, filterOptions, filterSearch, fold, matches, parseFilter, resolveView,
  sameFilter, zoneOf,
} from './filters.js';

const card = (fields) => ({
  id: 'c1', text: 'Une note', kind: 'note', zone: 'inbox', author_id: 'a1', author_name: 'Camille',
  visit_id: null, actor: '', tags: [], ...fields,
});

test('parses every key of the URL, trims them, drops an unknown view', () => {
  const filter = parseFilter(new URLSearchParams('q=%20port%20&author=a1&visit=v1&kind=quote&tag=Politique&zone=actors&theme=t1&view=timeline&x=1'));
  assert.deepEqual(filter, { q: 'port', author: 'a1', visit: 'v1', kind: 'quote', tag: 'Politique', zone: 'actors', theme: 't1', view: 'timeline' });
  assert.equal(parseFilter('?view=grid').view, '');
  assert.deepEqual(parseFilter(''), emptyFilter());
  assert.equal(parseFilter(`q=${'x'.repeat(500)}`).q.length, 200);
});

test('serialises only the non-empty keys, in a stable order, keeping other parameters', () => {
  const filter = { ...emptyFilter(), view: 'list', tag: 'économique', q: 'le port' };
  assert.equal(filterSearch(filter), '?q=le+port&tag=%C3%A9conomique&view=list');
  assert.equal(filterSearch(emptyFilter()), '');
  assert.equal(filterSearch(emptyFilter(), '?board=b1&tag=old'), '?board=b1');
  assert.equal(filterSearch({ ...emptyFilter(), zone: 'actors' }, 'zone=inbox&debug=1'), '?debug=1&zone=actors');
  assert.equal(filterSearch({ ...emptyFilter(), q: '   ' }), '');
  assert.equal(filterSearch({ ...emptyFilter(), view: 'wall' }), '');
});

test('round trip: parse(serialise(f)) is f', () => {
  const filter = { q: 'Kodak « site »', author: 'a-2', visit: 'none', kind: 'idea', tag: 'port & docks', zone: 'resources', theme: 'none', view: 'board' };
  assert.deepEqual(parseFilter(filterSearch(filter)), filter);
  assert.ok(sameFilter(parseFilter(filterSearch(filter)), filter));
  assert.ok(!sameFilter(filter, { ...filter, view: '' }));
});

test('counts the active criteria, not the view', () => {
  assert.equal(activeCount(emptyFilter()), 0);
  assert.equal(activeCount({ ...emptyFilter(), view: 'list' }), 0);
  assert.equal(activeCount({ ...emptyFilter(), q: 'x', tag: 'y', theme: 'z' }), 3);
});

test('the view: the one asked for, else list on a narrow screen, board elsewhere', () => {
  assert.equal(resolveView(emptyFilter(), true), 'list');
  assert.equal(resolveView(emptyFilter(), false), 'board');
  assert.equal(resolveView({ ...emptyFilter(), view: 'board' }, true), 'board');
  assert.equal(resolveView({ ...emptyFilter(), view: 'timeline' }, false), 'timeline');
});

test('fold ignores case, accents, ligatures and curly apostrophes', () => {
  assert.equal(fold('Cœur d’Été — ÉCONOMIQUE'), "coeur d'ete — economique");
  assert.equal(fold('Straße\n\tà  Saint-Étienne'), 'strasse a saint-etienne');
  assert.equal(fold(null), '');
});

test('text search: every word, in text, actor, author or tags, case- and accent-insensitive', () => {
  const c = card({ text: 'Le site Kodak accueille 40 entreprises', actor: 'Directeur du site', author_name: 'Hélène', tags: ['Économique'] });
  const q = (text) => matches(c, { ...emptyFilter(), q: text });
  assert.ok(q('kodak'));
  assert.ok(q('KODAK entreprises'));
  assert.ok(q('directeur'));
  assert.ok(q('helene'));
  assert.ok(q('economique'));
  assert.ok(q('  accueille   40 '));
  assert.ok(!q('kodak usine'));
  assert.ok(!q('métropole'));
});

test('a card whose text changed is searched anew (the folded text is kept per card object)', () => {
  const filter = { ...emptyFilter(), q: 'usine' };
  const before = card({ text: 'Le site' });
  assert.ok(!matches(before, filter));
  assert.ok(matches({ ...before, text: "L'usine" }, filter));
});

test('author, visit, kind, zone and theme compare exactly; none means without', () => {
  const c = card({ author_id: 'a1', visit_id: 'v1', kind: 'quote', zone: 'actors', theme_id: 't1' });
  const m = (fields) => matches(c, { ...emptyFilter(), ...fields });
  assert.ok(m({ author: 'a1' }) && !m({ author: 'a2' }));
  assert.ok(m({ visit: 'v1' }) && !m({ visit: 'v2' }) && !m({ visit: 'none' }));
  assert.ok(matches(card({}), { ...emptyFilter(), visit: 'none' }));
  assert.ok(m({ kind: 'quote' }) && !m({ kind: 'idea' }));
  assert.ok(matches(card({ kind: undefined }), { ...emptyFilter(), kind: 'note' }));
  assert.ok(m({ zone: 'actors' }) && !m({ zone: 'inbox' }));
  assert.ok(m({ theme: 't1' }) && !m({ theme: 'none' }));
  assert.ok(matches(card({}), { ...emptyFilter(), theme: 'none' }));
  assert.ok(m({ author: 'a1', kind: 'quote', zone: 'actors' }));
  assert.ok(!m({ author: 'a1', kind: 'idea' }));
});

test('tags compare casefolded', () => {
  const c = card({ tags: ['Politique', 'port'] });
  assert.ok(matches(c, { ...emptyFilter(), tag: 'politique' }));
  assert.ok(matches(c, { ...emptyFilter(), tag: 'PORT' }));
  assert.ok(!matches(c, { ...emptyFilter(), tag: 'pol' }));
  assert.ok(!matches(card({ tags: undefined }), { ...emptyFilter(), tag: 'port' }));
});

test('a card of a deleted theme counts as without a theme', () => {
  const themeIds = new Set(['t1']);
  const gone = card({ theme_id: 't9' });
  assert.ok(matches(gone, { ...emptyFilter(), theme: 'none' }, { themeIds }));
  assert.ok(!matches(gone, { ...emptyFilter(), theme: 't9' }, { themeIds }));
  assert.ok(matches(card({ theme_id: 't1' }), { ...emptyFilter(), theme: 't1' }, { themeIds }));
  const options = filterOptions([gone], { themes: [{ id: 't1', title: 'Mobilités' }], none: { theme: 'Sans thème' } });
  assert.deepEqual(options.theme.map((o) => [o.value, o.count]), [['t1', 0], ['none', 1]]);
});

test('a card in a zone the board no longer has counts as in the inbox', () => {
  const zoneIds = new Set(['inbox', 'actors']);
  assert.equal(zoneOf(card({ zone: 'gone' }), zoneIds), 'inbox');
  assert.equal(zoneOf(card({ zone: 'actors' }), zoneIds), 'actors');
  assert.ok(matches(card({ zone: 'gone' }), { ...emptyFilter(), zone: 'inbox' }, { zoneIds }));
});

test('an empty filter compiles to null (nothing to test)', () => {
  assert.equal(compileFilter(emptyFilter()), null);
  assert.equal(compileFilter({ ...emptyFilter(), view: 'list', q: '  ' }), null);
  assert.ok(matches(card({}), emptyFilter()));
});

test('the lists offer what the cards hold, with counts; dimensions first among tags', () => {
  const cards = [
    card({ id: '1', author_id: 'a2', author_name: 'Zoé', visit_id: 'v2', kind: 'quote', tags: ['port', 'Politique'], zone: 'actors' }),
    card({ id: '2', author_id: 'a1', author_name: 'Élodie', visit_id: 'v1', tags: ['politique', 'économique'] }),
    card({ id: '3', author_id: 'a1', author_name: 'Élodie', theme_id: 't1', zone: 'gone' }),
  ];
  const visits = new Map([['v1', { id: 'v1', title: 'Le Creusot' }], ['v2', { id: 'v2', title: 'Autun' }], ['v3', { id: 'v3', title: 'Dijon' }]]);
  const options = filterOptions(cards, {
    visits,
    zones: [{ id: 'inbox', title: 'Boîte' }, { id: 'actors', title: 'Acteurs' }],
    themes: [{ id: 't1', title: 'Mobilités' }],
    kinds: { note: 'Note', quote: 'Citation', idea: 'Idée' },
    none: { visit: 'Sans visite', theme: 'Sans thème' },
  });
  assert.deepEqual(options.author.map((o) => [o.value, o.label, o.count]), [['a1', 'Élodie', 2], ['a2', 'Zoé', 1]]);
  assert.deepEqual(options.visit.map((o) => [o.value, o.count]), [['v1', 1], ['v2', 1], ['none', 1]]);
  assert.deepEqual(options.kind.map((o) => [o.value, o.label, o.count]), [['note', 'Note', 2], ['quote', 'Citation', 1]]);
  assert.deepEqual(options.tag.map((o) => [o.value, o.label, o.count]), [['politique', 'Politique', 2], ['économique', 'économique', 1], ['port', 'port', 1]]);
  assert.deepEqual(options.zone.map((o) => [o.value, o.count]), [['inbox', 2], ['actors', 1]]);
  assert.deepEqual(options.theme.map((o) => [o.value, o.label, o.count]), [['t1', 'Mobilités', 1], ['none', 'Sans thème', 2]]);
});

test('the chosen value is always offered, and no themes means no theme choices', () => {
  const options = filterOptions([], {
    current: { ...emptyFilter(), tag: 'Politique', author: 'a9', kind: 'quote', visit: 'v1' },
    kinds: { quote: 'Citation' },
    visits: new Map([['v1', { id: 'v1', title: 'Autun' }]]),
    none: { author: 'Quelqu’un' },
  });
  assert.deepEqual(options.tag, [{ value: 'politique', label: 'Politique', count: 0 }]);
  assert.deepEqual(options.author, [{ value: 'a9', label: 'Quelqu’un', count: 0 }]);
  assert.deepEqual(options.kind, [{ value: 'quote', label: 'Citation', count: 0 }]);
  assert.deepEqual(options.visit, [{ value: 'v1', label: 'Autun', count: 0 }]);
  assert.deepEqual(filterOptions([card({})]).theme, []);
});
