// Unit tests for undo.js — run with `node --test static/js/` (or `npm test`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { BoardState } from './sync.js';
import { UNDO_LIMIT, UndoStack, beforeOf, blockerOf, cardAsShown, inverseOf } from './undo.js';

const ZONES = [{ id: 'inbox', title: 'Boîte de réception' }, { id: 'actors', title: 'Acteurs' }, { id: 'res', title: 'Ressources' }];

function card(id, extra = {}) {
  return {
    id, board_id: 'b1', author_id: 'p1', author_name: 'Marie', text: `texte ${id}`, kind: 'note', colour: 'yellow',
    zone: 'inbox', position: 'a0', visit_id: null, actor: '', media_id: null, tags: [], theme_id: null, version: 1,
    deleted: false, created_at: '2017-11-16T09:00:00+00:00', updated_at: '2017-11-16T09:00:00+00:00', ...extra,
  };
}

function boardWith(...cards) {
  const state = new BoardState();
  state.applySnapshot({ board: { id: 'b1', zones: ZONES, seq: 10 }, cards, seq: 10 });
  return state;
}

let n = 0;
const op = (type, data) => ({ board_id: 'b1', op_id: `op-${(n += 1)}`, type, data });
const ack = (o, after) => ({ ok: true, seq: 11, event: { seq: 11, op_id: o.op_id, type: o.type, data: after } });

describe('inverseOf', () => {
  it('deletes what was created, restores what was deleted, deletes what was restored', () => {
    assert.deepEqual(inverseOf(op('card.create', { id: 'c1', text: 'x' }), {}), { type: 'card.delete', data: { id: 'c1' } });
    assert.deepEqual(inverseOf(op('card.delete', { id: 'c1' }), {}), { type: 'card.restore', data: { id: 'c1' } });
    assert.deepEqual(inverseOf(op('card.restore', { id: 'c1' }), {}), { type: 'card.delete', data: { id: 'c1' } });
  });

  it('moves a card back to its old zone and position', () => {
    const before = { card: card('c1', { zone: 'actors', position: 'a5' }) };
    assert.deepEqual(inverseOf(op('card.move', { id: 'c1', zone: 'res', position: 'b0' }), before),
      { type: 'card.move', data: { id: 'c1', zone: 'actors', position: 'a5' } });
  });

  it('puts back the old values of the changed fields only, with the text it set as base_text', () => {
    const before = { card: card('c1', { text: 'Les friches', colour: 'yellow', tags: ['port'] }) };
    const update = op('card.update', { id: 'c1', text: '  Les friches industrielles ', colour: 'blue', kind: 'note' });
    const after = { card: card('c1', { text: 'Les friches industrielles', colour: 'blue', version: 2 }) };
    assert.deepEqual(inverseOf(update, before, after), {
      type: 'card.update',
      data: { id: 'c1', text: 'Les friches', colour: 'yellow', base_text: 'Les friches industrielles' },
    });
    const tags = inverseOf(op('card.update', { id: 'c1', tags: ['port', 'économique'] }), before, after);
    assert.deepEqual(tags, { type: 'card.update', data: { id: 'c1', tags: ['port'] } }); // no text: no base_text
  });

  it('uses the defaults for fields the card never had, and null where null is allowed', () => {
    const before = { card: { id: 'c1', text: 'x' } };
    assert.deepEqual(inverseOf(op('card.update', { id: 'c1', actor: 'Le maire', tags: ['a'], theme_id: 't1' }), before).data,
      { id: 'c1', actor: '', tags: [], theme_id: null });
  });

  it('has nothing to undo when nothing changed or the card was unknown', () => {
    const before = { card: card('c1') };
    assert.equal(inverseOf(op('card.update', { id: 'c1', kind: 'note' }), before), null);
    assert.equal(inverseOf(op('card.update', { id: 'c1', text: 'x' }), { card: null }), null);
    assert.equal(inverseOf(op('card.move', { id: 'c1', zone: 'actors' }), {}), null);
    assert.equal(inverseOf(op('vote.dot', { card_id: 'c1' }), {}), null);
    assert.equal(inverseOf(op('zone.remove', { id: 'actors' }), { zones: ZONES }), null);
  });

  it('undoes theme changes and reactions', () => {
    const theme = { id: 't1', title: 'Mobilités', synthesis: '# Avant', colour: 'blue', position: 'a0' };
    const after = { theme: { ...theme, id: 't1', synthesis: '# Après' } };
    assert.deepEqual(inverseOf(op('theme.create', { title: 'Mobilités' }), { theme: null }, { theme: { id: 't1' } }),
      { type: 'theme.delete', data: { id: 't1' } });
    assert.deepEqual(inverseOf(op('theme.delete', { id: 't1' }), { theme }), { type: 'theme.restore', data: { id: 't1' } });
    assert.deepEqual(inverseOf(op('theme.update', { id: 't1', synthesis: '# Après ' }), { theme }, after),
      { type: 'theme.update', data: { id: 't1', synthesis: '# Avant', base_synthesis: '# Après' } });
    const react = op('card.react', { id: 'c1', reaction: 'like', on: true });
    assert.deepEqual(inverseOf(react, { card: card('c1', { reactions: {} }) }, { card: card('c1', { reactions: { like: ['p1'] } }) }),
      { type: 'card.react', data: { id: 'c1', reaction: 'like', on: false } });
    // Reacting again with a reaction one already had changed nothing: nothing to undo.
    const had = { card: card('c1', { reactions: { like: ['p1'] } }) };
    assert.equal(inverseOf(react, had, had), null);
  });

  it('deletes a comment one added', () => {
    const add = op('comment.add', { card_id: 'c1', text: 'Oui' });
    assert.deepEqual(inverseOf(add, {}, { comment: { id: 'm1', card_id: 'c1' } }), { type: 'comment.delete', data: { id: 'm1' } });
    assert.equal(inverseOf(op('comment.delete', { id: 'm1' }), {}), null);
    const state = boardWith(card('c1'));
    assert.equal(beforeOf(state, add).card.id, 'c1');
    state.analysis.applySnapshot({ comments: [{ id: 'm1', card_id: 'c1', deleted: true }] });
    assert.equal(blockerOf({ type: 'comment.delete', data: { id: 'm1' } }, {}, state), 'gone');
  });

  it('never puts null back into a field that cannot be null', () => {
    assert.equal(inverseOf(op('theme.update', { id: 't1', title: 'Nouveau' }), { theme: { id: 't1' } }), null);
  });

  it('undoes zone changes: add, rename, move', () => {
    const before = { zones: ZONES };
    const added = { zones: [...ZONES, { id: 'z9', title: 'Chronologie' }], cards: [] };
    assert.deepEqual(inverseOf(op('zone.add', { title: 'Chronologie' }), before, added), { type: 'zone.remove', data: { id: 'z9' } });
    assert.deepEqual(inverseOf(op('zone.rename', { id: 'actors', title: 'Les acteurs' }), before),
      { type: 'zone.rename', data: { id: 'actors', title: 'Acteurs' } });
    assert.deepEqual(inverseOf(op('zone.move', { id: 'actors', index: 2 }), before), { type: 'zone.move', data: { id: 'actors', index: 1 } });
  });
});

describe('cardAsShown and beforeOf', () => {
  it('overlays this client’s queued ops on the server’s card, in order', () => {
    const state = boardWith(card('c1', { text: 'Avant' }));
    state.addPending(op('card.update', { id: 'c1', text: 'Pendant' }));
    state.addPending(op('card.move', { id: 'c1', zone: 'actors', position: 'b1' }));
    const shown = cardAsShown(state, 'c1');
    assert.equal(shown.text, 'Pendant');
    assert.equal(shown.zone, 'actors');
    assert.equal(state.cards.get('c1').text, 'Avant'); // the state itself is untouched
    const before = beforeOf(state, op('card.update', { id: 'c1', text: 'Après' }));
    assert.equal(before.card.text, 'Pendant');
    state.addPending(op('card.delete', { id: 'c1' }));
    assert.equal(cardAsShown(state, 'c1').deleted, true);
  });

  it('knows a card still being created, and the zones before a zone op', () => {
    const state = boardWith();
    state.addPending(op('card.create', { id: 'c2', text: 'Nouvelle' }));
    assert.equal(cardAsShown(state, 'c2').zone, 'inbox');
    assert.equal(cardAsShown(state, 'nope'), null);
    assert.deepEqual(beforeOf(state, op('zone.rename', { id: 'actors', title: 'x' })).zones, ZONES);
    assert.deepEqual(beforeOf(state, op('vote.open', { dots: 3 })), {});
  });
});

describe('blockerOf', () => {
  const moved = { after: { card: card('c1', { zone: 'res', position: 'b0' }) } };

  it('refuses to move back a card someone moved or deleted since', () => {
    const inverse = { type: 'card.move', data: { id: 'c1', zone: 'inbox', position: 'a0' } };
    assert.equal(blockerOf(inverse, moved, boardWith(card('c1', { zone: 'res', position: 'b0' }))), null);
    assert.equal(blockerOf(inverse, moved, boardWith(card('c1', { zone: 'actors', position: 'b0' }))), 'changed');
    assert.equal(blockerOf(inverse, moved, boardWith(card('c1', { zone: 'res', position: 'b0', deleted: true }))), 'gone');
  });

  it('refuses to put back a field someone changed since', () => {
    const record = { after: { card: card('c1', { text: 'Mien', colour: 'blue' }) } };
    const inverse = { type: 'card.update', data: { id: 'c1', text: 'Ancien', base_text: 'Mien' } };
    assert.equal(blockerOf(inverse, record, boardWith(card('c1', { text: 'Mien', colour: 'green' }))), null);
    assert.equal(blockerOf(inverse, record, boardWith(card('c1', { text: 'Le leur' }))), 'changed');
  });

  it('checks themes too', () => {
    const state = boardWith();
    state.analysis.applySnapshot({ themes: [{ id: 't1', title: 'Mobilités', synthesis: 'Le leur' }] });
    const record = { after: { theme: { id: 't1', title: 'Mobilités', synthesis: 'Le mien' } } };
    const back = { type: 'theme.update', data: { id: 't1', synthesis: 'Avant', base_synthesis: 'Le mien' } };
    assert.equal(blockerOf(back, record, state), 'changed');
    assert.equal(blockerOf({ type: 'theme.delete', data: { id: 't1' } }, {}, state), null);
    assert.equal(blockerOf({ type: 'theme.restore', data: { id: 't1' } }, {}, state), 'already');
    assert.equal(blockerOf({ type: 'theme.restore', data: { id: 't9' } }, {}, state), 'gone');
  });

  it('says when a delete or restore has nothing left to do', () => {
    const del = { type: 'card.delete', data: { id: 'c1' } };
    const restore = { type: 'card.restore', data: { id: 'c1' } };
    assert.equal(blockerOf(del, {}, boardWith(card('c1'))), null);
    assert.equal(blockerOf(del, {}, boardWith(card('c1', { deleted: true }))), 'gone');
    assert.equal(blockerOf(restore, {}, boardWith(card('c1', { deleted: true }))), null);
    assert.equal(blockerOf(restore, {}, boardWith(card('c1'))), 'already');
    assert.equal(blockerOf(restore, {}, boardWith()), 'gone');
    assert.equal(blockerOf({ type: 'zone.rename', data: { id: 'x', title: 'y' } }, {}, boardWith()), null);
  });
});

describe('UndoStack', () => {
  it('records an op only once the server applied it, and never one it refused', () => {
    const stack = new UndoStack();
    const create = op('card.create', { id: 'c1', text: 'x' });
    stack.track(create, {});
    assert.equal(stack.canUndo, false);
    const record = stack.acked(create, ack(create, { card: card('c1') }));
    assert.equal(stack.canUndo, true);
    assert.deepEqual(record.inverse, { type: 'card.delete', data: { id: 'c1' } });
    const refused = op('card.delete', { id: 'c1' });
    stack.track(refused, {});
    assert.equal(stack.failed(refused), 'do');
    assert.equal(stack.acked(refused, ack(refused, {})), null);
    assert.equal(stack.undos.length, 1);
    // Ops it did not see queued (another tab, the capture screen) are not this page's to undo.
    assert.equal(stack.acked(op('card.delete', { id: 'c9' }), { ok: true }), null);
  });

  it('undoes newest first; an undo goes to the redo stack, a redo back to the undo stack', () => {
    const stack = new UndoStack();
    const first = op('card.delete', { id: 'c1' });
    const second = op('card.delete', { id: 'c2' });
    for (const o of [first, second]) {
      stack.track(o, {}, 'do', `label ${o.data.id}`);
      stack.acked(o, ack(o, { card: card(o.data.id, { deleted: true }) }));
    }
    const undone = stack.takeUndo();
    assert.equal(undone.op, second);
    const undoOp = op(undone.inverse.type, undone.inverse.data);
    stack.track(undoOp, {}, 'undo', undone.label);
    stack.acked(undoOp, ack(undoOp, { card: card('c2') }));
    assert.equal(stack.undos.length, 1);
    assert.equal(stack.peekRedo().label, 'label c2');
    const redo = stack.takeRedo();
    assert.deepEqual(redo.inverse, { type: 'card.delete', data: { id: 'c2' } });
    const redoOp = op(redo.inverse.type, redo.inverse.data);
    stack.track(redoOp, {}, 'redo', redo.label);
    stack.acked(redoOp, ack(redoOp, { card: card('c2', { deleted: true }) }));
    assert.equal(stack.undos.length, 2);
    assert.equal(stack.peekUndo().label, 'label c2');
  });

  it('forgets what was undone once the user makes a new change', () => {
    const stack = new UndoStack();
    stack.redos.push({ op: op('card.restore', { id: 'c1' }) });
    const create = op('card.create', { id: 'c3', text: 'x' });
    stack.track(create, {});
    stack.acked(create, ack(create, { card: card('c3') }));
    assert.equal(stack.canRedo, false);
  });

  it('keeps the last UNDO_LIMIT changes', () => {
    const stack = new UndoStack();
    for (let i = 0; i < UNDO_LIMIT + 5; i += 1) {
      const o = op('card.delete', { id: `c${i}` });
      stack.track(o, {});
      stack.acked(o, ack(o, {}));
    }
    assert.equal(stack.undos.length, UNDO_LIMIT);
    assert.equal(stack.undos[0].op.data.id, 'c5');
  });

  it('takes one given change out of the stack, or undoes it as soon as it is acknowledged', () => {
    const stack = new UndoStack();
    const a = op('card.delete', { id: 'a' });
    const b = op('card.delete', { id: 'b' });
    for (const o of [a, b]) {
      stack.track(o, {});
      stack.acked(o, ack(o, {}));
    }
    assert.equal(stack.take(a.op_id).op, a);
    assert.deepEqual(stack.undos.map((r) => r.op), [b]);
    assert.equal(stack.take('unknown'), null);
    const c = op('card.delete', { id: 'c' });
    stack.track(c, {});
    assert.equal(stack.later(c.op_id), true);
    assert.equal(stack.later('unknown'), false);
    assert.equal(stack.acked(c, ack(c, {})).undoNow, true);
  });
});
