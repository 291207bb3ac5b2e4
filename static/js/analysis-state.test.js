// Unit tests for analysis-state.js and its use by BoardState — `node --test static/js/`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AnalysisState, compareThemes } from './analysis-state.js';
import { BoardState } from './sync.js';

const BOARD = { id: 'b1', title: 'Groupe 1', zones: [{ id: 'inbox', title: 'Boîte' }], seq: 0 };
const theme = (id, extra = {}) => ({ id, title: `Thème ${id}`, synthesis: '', synthesis_html: '', colour: 'blue',
  position: 'a0', version: 1, deleted: false, created_at: '2026-11-26T10:00:00+00:00', ...extra });
const comment = (id, extra = {}) => ({ id, card_id: 'c1', parent_id: null, author_id: 'p1', author_name: 'Ana',
  text: `commentaire ${id}`, deleted: false, created_at: `2026-11-26T10:00:0${id.slice(-1)}+00:00`, ...extra });
const vote = (extra = {}) => ({ id: 'v1', dots: 3, hidden: false, revealed: false, status: 'open', ...extra });
const ev = (seq, type, data, actor = 'p2') => ({ board_id: 'b1', seq, op_id: `op-${seq}-xxxx`, type, actor_id: actor, data });
const pending = (type, data, extra = {}) => ({ op: { op_id: `p-${Math.random()}`, type, data }, meta: {}, ackedSeq: null, ...extra });

describe('AnalysisState', () => {
  it('themes sort by position and follow create, update, delete and restore events', () => {
    const s = new BoardState({ selfId: 'p1' });
    s.applySnapshot({ board: BOARD, cards: [], themes: [theme('t2', { position: 'a1' }), theme('t1')], comments: [], vote: null, seq: 0 });
    assert.deepEqual(s.analysis.visibleThemes().map((t) => t.id), ['t1', 't2']);
    s.receive(ev(1, 'theme.update', { theme: theme('t1', { position: 'a2', title: 'Emploi' }) }));
    assert.deepEqual(s.analysis.visibleThemes().map((t) => [t.id, t.title]), [['t2', 'Thème t2'], ['t1', 'Emploi']]);
    s.receive(ev(2, 'theme.delete', { theme: theme('t2', { deleted: true }) }));
    assert.deepEqual(s.analysis.visibleThemes().map((t) => t.id), ['t1']);
    s.receive(ev(3, 'theme.restore', { theme: theme('t2', { position: 'a1' }) }));
    assert.equal(s.analysis.themes.size, 2);
  });

  it('overlays pending theme ops until they are confirmed', () => {
    const a = new AnalysisState('p1');
    a.applySnapshot({ themes: [theme('t1')] });
    const shown = a.visibleThemes([
      pending('theme.create', { id: 't9', title: 'Nouveau' }),
      pending('theme.update', { id: 't1', synthesis: 'brouillon' }),
    ]);
    assert.deepEqual(shown.map((t) => [t.id, t.pending === true]), [['t1', true], ['t9', true]]);
    assert.equal(shown[0].synthesis, 'brouillon');
    assert.deepEqual(a.visibleThemes([pending('theme.delete', { id: 't1' })]), []);
  });

  it('threads comments one level deep, keeps a deleted first comment while it has replies', () => {
    const a = new AnalysisState('p1');
    a.applySnapshot({ comments: [comment('k1'), comment('k2', { parent_id: 'k1' }), comment('k3', { card_id: 'c2' })] });
    a.applyEvent(ev(1, 'comment.delete', { comment: comment('k1', { deleted: true, text: '' }) }));
    const threads = a.threads('c1', [pending('comment.add', { id: 'k4', card_id: 'c1', text: 'moi aussi' })], { author_name: 'Moi' });
    assert.deepEqual(threads.map((t) => [t.comment.id, t.comment.deleted, t.replies.map((r) => r.id)]),
      [['k1', true, ['k2']], ['k4', false, []]]);
    assert.equal(threads[1].comment.author_name, 'Moi');
    assert.deepEqual([...a.commentCounts()], [['c1', 1], ['c2', 1]]);
  });

  it('counts dots of a live vote, with my pending dots overlaid', () => {
    const s = new BoardState({ selfId: 'p1' });
    s.applySnapshot({ board: BOARD, cards: [], seq: 0, vote: null });
    s.receive(ev(1, 'vote.open', { vote: vote(), tally: {} }, 'fac'));
    s.receive(ev(2, 'vote.dot', { vote_id: 'v1', card_id: 'c1', voter_id: 'p2', mine: 1, used: 1, count: 1, hidden: false }));
    s.receive(ev(3, 'vote.dot', { vote_id: 'v1', card_id: 'c1', voter_id: 'p1', mine: 1, used: 1, count: 2, hidden: false }, 'p1'));
    let view = s.analysis.voteView([pending('vote.dot', { vote_id: 'v1', card_id: 'c2', delta: 1 })]);
    assert.deepEqual([view.tally, view.mine, view.used, view.left, view.voters, view.visible],
      [{ c1: 2, c2: 1 }, { c1: 1, c2: 1 }, 2, 1, 2, true]);
    s.receive(ev(4, 'vote.close', { vote: vote({ status: 'closed' }), tally: { c1: 2 } }, 'fac'));
    view = s.analysis.voteView();
    assert.equal(view.open, false);
    assert.deepEqual(view.mine, { c1: 1 });
  });

  it('a hidden vote shows only my dots until the reveal carries the tally', () => {
    const a = new AnalysisState('p1');
    a.applySnapshot({ vote: { vote: vote({ hidden: true }), tally: {}, mine: {}, used_by: {} } });
    a.applyEvent(ev(1, 'vote.dot', { vote_id: 'v1', voter_id: 'p2', used: 2, hidden: true }));
    a.applyEvent(ev(2, 'vote.dot', { vote_id: 'v1', card_id: 'c1', voter_id: 'p1', mine: 1, used: 1, hidden: true }, 'p1'));
    let view = a.voteView();
    assert.deepEqual([view.visible, view.tally, view.mine, view.voters], [false, {}, { c1: 1 }, 2]);
    a.applyEvent(ev(3, 'vote.reveal', { vote: vote({ hidden: true, revealed: true }), tally: { c1: 2, c5: 1 } }, 'fac'));
    view = a.voteView();
    assert.deepEqual([view.visible, view.tally, view.mine], [true, { c1: 2, c5: 1 }, { c1: 1 }]);
  });

  it('a new vote starts from zero', () => {
    const a = new AnalysisState('p1');
    a.applySnapshot({ vote: { vote: vote({ status: 'closed' }), tally: { c1: 3 }, mine: { c1: 1 }, used_by: { p1: 1 } } });
    a.applyEvent(ev(1, 'vote.open', { vote: vote({ id: 'v2' }), tally: {} }, 'fac'));
    assert.deepEqual([a.voteView().tally, a.voteView().mine, a.voteView().used], [{}, {}, 0]);
  });

  it('compareThemes breaks ties by creation then id', () => {
    const list = [theme('b', { created_at: '2' }), theme('a', { created_at: '2' }), theme('c', { created_at: '1' })];
    assert.deepEqual(list.sort(compareThemes).map((t) => t.id), ['c', 'a', 'b']);
  });
});

describe('BoardState overlays for card ops of the analysis', () => {
  it('shows my pending reaction and a pending theme or tag change', () => {
    const s = new BoardState({ selfId: 'p1' });
    const card = { id: 'c1', zone: 'inbox', position: 'a0', text: 't', reactions: { '👍': ['p2'] }, tags: [] };
    s.applySnapshot({ board: BOARD, cards: [card], seq: 0 });
    s.addPending({ op_id: 'r1-xxxxxx', type: 'card.react', data: { id: 'c1', reaction: '👍', on: true } }, { author_id: 'p1' });
    s.addPending({ op_id: 'u1-xxxxxx', type: 'card.update', data: { id: 'c1', theme_id: 't1', tags: ['sociale'] } });
    const [shown] = s.visibleCards();
    assert.deepEqual([shown.reactions['👍'], shown.theme_id, shown.tags], [['p2', 'p1'], 't1', ['sociale']]);
  });
});
