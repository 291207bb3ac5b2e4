// The pure parts of themes: the synthesis toolbar's edits, drafts, the merge box's start, the
// "… is editing" wording, and the editing indicators' bookkeeping (with a fake socket).

import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';

import { mergeStart } from './conflict-dialog.js';
import { createEditing, editingLabel } from './editing.js';
import { applyFormat, synthesisDrafts } from './theme-editor.js';

const words = { heading: 'Titre', item: 'élément', bold: 'texte en gras', link: 'texte du lien' };
const pick = (r) => r.value.slice(r.start, r.end);

describe('synthesis toolbar', () => {
  it('makes a heading of the current line, and undoes it', () => {
    const r = applyFormat('heading', 'Constat\nsuite', 3, 3, words);
    assert.equal(r.value, '## Constat\nsuite');
    assert.equal(applyFormat('heading', r.value, 4, 4, words).value, 'Constat\nsuite');
  });

  it('starts an empty heading with a selected placeholder', () => {
    const r = applyFormat('heading', 'a\n', 2, 2, words);
    assert.equal(r.value, 'a\n## Titre');
    assert.equal(pick(r), 'Titre');
  });

  it('bolds the selection, or a selected placeholder, and unbolds', () => {
    const r = applyFormat('bold', 'un mot clé', 3, 6, words);
    assert.equal(r.value, 'un **mot** clé');
    assert.equal(pick(r), 'mot');
    assert.equal(applyFormat('bold', r.value, 3, 10, words).value, 'un mot clé');
    const empty = applyFormat('bold', 'x ', 2, 2, words);
    assert.equal(empty.value, 'x **texte en gras**');
    assert.equal(pick(empty), 'texte en gras');
  });

  it('turns the selected lines into a list, skipping blank ones, and back', () => {
    const r = applyFormat('list', 'a\n\nb\nc', 0, 6, words);
    assert.equal(r.value, '- a\n\n- b\n- c');
    assert.equal(applyFormat('list', r.value, 0, r.value.length, words).value, 'a\n\nb\nc');
  });

  it('makes a link of the selection with the address selected, or of a selected address', () => {
    const r = applyFormat('link', 'voir le site', 8, 12, words);
    assert.equal(r.value, 'voir le [site](https://)');
    assert.equal(pick(r), 'https://');
    const url = applyFormat('link', 'https://exemple.fr', 0, 18, words);
    assert.equal(url.value, '[texte du lien](https://exemple.fr)');
    assert.equal(pick(url), 'texte du lien');
  });
});

describe('synthesis drafts', () => {
  it('keeps text and base per theme, and forgets them', () => {
    const data = new Map();
    const storage = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k) };
    const drafts = synthesisDrafts('p', storage);
    assert.equal(drafts.get('t1'), null);
    drafts.set('t1', 'mon texte', 'la base');
    assert.deepEqual(drafts.get('t1'), { text: 'mon texte', base: 'la base' });
    data.set('p:t2', '{broken');
    assert.equal(drafts.get('t2'), null);
    drafts.clear('t1');
    assert.equal(drafts.get('t1'), null);
  });
});

describe('conflict merge box', () => {
  it('holds theirs then mine, once when one contains the other', () => {
    assert.equal(mergeStart('mine', 'theirs'), 'theirs\n\nmine');
    assert.equal(mergeStart('a b c', 'b'), 'a b c');
    assert.equal(mergeStart('b', 'a b c'), 'a b c');
    assert.equal(mergeStart('mine', ''), 'mine');
  });
});

describe('editing indicators', () => {
  const t = { editing_one: '{name} modifie…', editing_many: '{names} et {last} modifient…' };

  it('words one or several people', () => {
    assert.equal(editingLabel([], t), '');
    assert.equal(editingLabel(['Marie'], t), 'Marie modifie…');
    assert.equal(editingLabel(['Ana', 'Bo', 'Marie'], t), 'Ana, Bo et Marie modifient…');
  });

  function fakeSocket() {
    const handlers = {};
    const sent = [];
    return {
      connected: true,
      sent,
      on: (name, fn) => { handlers[name] = fn; },
      fire: (name, data) => handlers[name](data),
      timeout: () => ({ emit: (name, data, ack) => { sent.push(data.target); ack(null, { ok: true }); } }),
    };
  }

  it('says what this page edits, the newest open editor first, and null at the end', () => {
    const socket = fakeSocket();
    const editing = createEditing({ connection: { socket }, boardId: 'b', me: { id: 'me' } });
    editing.start('card:1');
    editing.start('theme:2');
    editing.stop('theme:2');
    editing.stop('card:1');
    assert.deepEqual(socket.sent, ['card:1', 'theme:2', 'card:1', null]);
  });

  it('shows the others, replaces a person’s target, and forgets who left', () => {
    const socket = fakeSocket();
    const changes = [];
    const editing = createEditing({ connection: { socket }, boardId: 'b', me: { id: 'me' }, onChange: (s) => changes.push([...s]) });
    editing.attach();
    socket.fire('editing', { board_id: 'b', participant_id: 'p1', name: 'Marie', target: 'card:1' });
    socket.fire('editing', { board_id: 'other', participant_id: 'p2', name: 'Paul', target: 'card:1' });
    socket.fire('editing', { board_id: 'b', participant_id: 'me', name: 'Moi', target: 'card:1' });
    assert.deepEqual(editing.who('card:1'), ['Marie']);
    socket.fire('editing', { board_id: 'b', participant_id: 'p1', name: 'Marie', target: 'theme:9' });
    assert.deepEqual(editing.who('card:1'), []);
    assert.deepEqual(editing.who('theme:9'), ['Marie']);
    editing.presence([{ id: 'me' }]);
    assert.deepEqual(editing.who('theme:9'), []);
    assert.deepEqual(changes, [['card:1'], ['card:1', 'theme:9'], ['theme:9']]);
  });

  it('forgets an indicator 25 s after its last refresh, and refreshes its own every 10 s', () => {
    mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'] });
    try {
      const socket = fakeSocket();
      const editing = createEditing({ connection: { socket }, boardId: 'b', me: { id: 'me' } });
      editing.attach();
      socket.fire('editing', { board_id: 'b', participant_id: 'p1', name: 'Marie', target: 'theme:1' });
      mock.timers.tick(20000);
      socket.fire('editing', { board_id: 'b', participant_id: 'p1', name: 'Marie', target: 'theme:1' }); // refreshed
      mock.timers.tick(20000);
      assert.deepEqual(editing.who('theme:1'), ['Marie']);
      mock.timers.tick(10000);
      assert.deepEqual(editing.who('theme:1'), []);
      editing.start('card:7');
      mock.timers.tick(25000);
      assert.deepEqual(socket.sent, ['card:7', 'card:7', 'card:7']);
      editing.stop('card:7');
      mock.timers.tick(25000);
      assert.deepEqual(socket.sent, ['card:7', 'card:7', 'card:7', null]);
    } finally {
      mock.timers.reset();
    }
  });
});
