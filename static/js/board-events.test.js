// The board ops' events (docs/sync-spec.md SYNC-16) as BoardState applies them — run with `node --test static/js/`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { BoardState } from './sync.js';

const ZONES = [{ id: 'inbox', title: 'Boîte de réception' }, { id: 'actors', title: 'Acteurs' }];
const BOARD = { id: 'b1', title: 'Groupe 1', group_id: 'g1', locked: false, template: 'territory', zones: ZONES };

function card(id, zone, position) {
  return { id, board_id: 'b1', text: id, zone, position, version: 1, deleted: false, created_at: 'x', updated_at: 'x' };
}

function event(seq, type, data) {
  return { board_id: 'b1', seq, op_id: `op-${seq}-board`, type, actor_id: 'f1', data, ts: '' };
}

function started() {
  const seen = [];
  const state = new BoardState({ onEvent: (e) => seen.push(e.type) });
  state.applySnapshot({ board: { ...BOARD }, cards: [card('c1', 'actors', 'a0')], seq: 3 });
  return { state, seen };
}

describe('board ops in the board state', () => {
  it('board.rename and board.colour merge into the board', () => {
    const { state, seen } = started();
    state.receive(event(4, 'board.rename', { board: { id: 'b1', title: 'Morvan nord' } }));
    state.receive(event(5, 'board.colour', { board: { id: 'b1', colour: '#123abc' } }));
    assert.equal(state.board.title, 'Morvan nord');
    assert.equal(state.board.colour, '#123abc');
    assert.equal(state.board.locked, false);
    assert.equal(state.lastSeq, 5);
    assert.deepEqual(seen, ['board.rename', 'board.colour']);
  });

  it('board.template replaces the zones and moves the cards it carries', () => {
    const { state } = started();
    const zones = [{ id: 'inbox', title: 'Boîte de réception' }, { id: 'strengths', title: 'Forces' }];
    state.receive(event(4, 'board.template', {
      board: { id: 'b1', template: 'swot' }, zones, cards: [card('c1', 'inbox', 'a1')],
    }));
    assert.deepEqual(state.board.zones, zones);
    assert.equal(state.board.template, 'swot');
    assert.equal(state.cards.get('c1').zone, 'inbox');
  });

  it('board.delete marks the board deleted; another board\'s event changes nothing', () => {
    const { state } = started();
    state.receive(event(4, 'board.rename', { board: { id: 'b2', title: 'Autre' } }));
    assert.equal(state.board.title, 'Groupe 1');
    state.receive(event(5, 'board.delete', { board: { id: 'b1', deleted: true } }));
    assert.equal(state.board.deleted, true);
  });
});
