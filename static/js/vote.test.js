// Unit tests for the pure parts of the dot vote, comments and reactions — `node --test static/js/`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AnalysisState } from './analysis-state.js';
import { commentCounts } from './comments-card.js';
import { canDelete, relativeTime } from './comments.js';
import { reactionsOf, whoReacted } from './reactions.js';
import { byVotes, cardVote, counted, dotsValue, drawnDots, voteTotals } from './vote-dots.js';
import { closeVote, describeVote, openVote, revealVote } from './vote-panel.js';

const T = {
  heading_open: 'Vote en cours', heading_closed: 'Vote terminé', heading_none: 'Vote par points', none: 'Aucun vote',
  per_person_one: '{count} point par personne', per_person_other: '{count} points par personne',
  mode_hidden: 'résultats masqués', mode_live: 'résultats en direct', mode_revealed: 'résultats révélés', mode_final: 'résultats définitifs',
  points_one: '{count} point', points_other: '{count} points', people_one: '{count} personne', people_other: '{count} personnes',
  placed_one: '{points} posé par {people}', placed_other: '{points} posés par {people}', placed_none: 'Aucun point posé',
};
const vote = (extra = {}) => ({ id: 'v1', dots: 3, hidden: false, revealed: false, status: 'open', ...extra });
const pending = (type, data, extra = {}) => ({ op: { op_id: `p-${Math.random()}`, type, data }, meta: {}, ackedSeq: null, ...extra });

function analysisWith(voteState, selfId = 'me') {
  const a = new AnalysisState(selfId);
  a.applySnapshot({ vote: voteState });
  return a;
}

describe('dot vote', () => {
  it('words counts with the plural rules of the page', () => {
    assert.equal(counted(T, 'points', 0, 'fr'), '0 point');
    assert.equal(counted(T, 'points', 1, 'fr'), '1 point');
    assert.equal(counted(T, 'points', 12, 'fr'), '12 points');
    assert.equal(counted({ points_one: '{count} dot', points_other: '{count} dots' }, 'points', 0, 'en'), '0 dots');
  });

  it('accepts 1 to 20 whole dots', () => {
    assert.deepEqual(['3', ' 20 ', '0', '21', '2.5', 'x', ''].map(dotsValue), [3, 20, null, null, null, null, null]);
  });

  it('describes an open hidden vote, then its totals with my pending dot', () => {
    const a = analysisWith({ vote: vote({ hidden: true }), tally: {}, mine: { c1: 1 }, used_by: { me: 1, p2: 3, p3: 0 } });
    const view = a.voteView([pending('vote.dot', { vote_id: 'v1', card_id: 'c2', delta: 1 })]);
    const totals = voteTotals(view, a.vote.used_by, 'me');
    assert.deepEqual(totals, { points: 5, voters: 2 });
    assert.deepEqual(describeVote(view, totals, T, 'fr'), {
      heading: 'Vote en cours', status: '3 points par personne — résultats masqués', totals: '5 points posés par 2 personnes',
    });
    assert.equal(view.left, 1);
    assert.equal(describeVote(null, { points: 0, voters: 0 }, T).heading, 'Vote par points');
    const closed = analysisWith({ vote: vote({ status: 'closed', dots: 1 }), tally: { c1: 1 }, mine: {}, used_by: { p2: 1 } });
    assert.deepEqual(describeVote(closed.voteView(), voteTotals(closed.voteView(), closed.vote.used_by, 'me'), T, 'fr'), {
      heading: 'Vote terminé', status: '1 point par personne — résultats définitifs', totals: '1 point posé par 1 personne',
    });
  });

  it('says what a card allows: add while dots are left, take back only my own', () => {
    const a = analysisWith({ vote: vote(), tally: { x: 3, y: 1 }, mine: { x: 2, y: 1 }, used_by: { me: 3 } });
    const view = a.voteView();
    assert.deepEqual(cardVote(view, 'x'), { mine: 2, count: 3, active: true, canAdd: false, canRemove: true });
    assert.deepEqual(cardVote(view, 'z'), { mine: 0, count: 0, active: true, canAdd: false, canRemove: false });
    const back = a.voteView([pending('vote.dot', { vote_id: 'v1', card_id: 'x', delta: -1 })]);
    assert.equal(cardVote(back, 'z').canAdd, true);
    assert.equal(cardVote(back, 'x', { canVote: false }).canAdd, false); // read-only board
    const hidden = analysisWith({ vote: vote({ hidden: true }), tally: {}, mine: { x: 1 }, used_by: {} }).voteView();
    assert.equal(cardVote(hidden, 'x').count, null); // the counts are not shown
  });

  it('sorts by votes, keeping the order of equal cards', () => {
    const cards = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
    assert.deepEqual(cards.sort(byVotes({ c: 2, d: 5, b: 2 })).map((c) => c.id), ['d', 'b', 'c', 'a']);
  });

  it('draws dots', () => {
    assert.deepEqual([drawnDots(0), drawnDots(3), drawnDots(12)], ['', '●●●', '●×12']);
  });

  it('sends open, reveal and close through any send()', () => {
    const sent = [];
    const send = (type, data) => sent.push([type, data]);
    openVote(send, { dots: '4', hidden: true, id: 'v9' });
    revealVote(send, 'v9');
    closeVote(send, 'v9');
    assert.deepEqual(sent, [['vote.open', { id: 'v9', dots: 4, hidden: true }], ['vote.reveal', { id: 'v9' }], ['vote.close', { id: 'v9' }]]);
    assert.throws(() => openVote(send, { dots: 0 }), RangeError);
    openVote(send);
    assert.equal(sent[3][1].dots, 5);
    assert.match(sent[3][1].id, /^[0-9a-f-]{36}$/);
  });
});

describe('comments and reactions', () => {
  it('counts live comments with my pending adds and deletes', () => {
    const a = new AnalysisState('me');
    const c = (id, extra) => ({ id, card_id: 'c1', parent_id: null, author_id: 'p2', author_name: 'Noa', text: 't', deleted: false, created_at: '1', ...extra });
    a.applySnapshot({ comments: [c('k1'), c('k2', { deleted: true }), c('k3', { card_id: 'c2' })] });
    const counts = commentCounts(a, [pending('comment.add', { id: 'k9', card_id: 'c1', text: 'x' }), pending('comment.delete', { id: 'k3' })]);
    assert.deepEqual([...counts], [['c1', 2], ['c2', 0]]);
  });

  it('lets authors delete their comments and facilitators any', () => {
    const comment = { author_id: 'p2', deleted: false };
    assert.equal(canDelete(comment, { id: 'p2' }, false), true);
    assert.equal(canDelete(comment, { id: 'me' }, false), false);
    assert.equal(canDelete(comment, { id: 'me' }, true), true);
    assert.equal(canDelete({ ...comment, deleted: true }, { id: 'p2' }, true), false);
    assert.equal(canDelete({ ...comment, pending: true }, { id: 'p2' }, false), false);
  });

  it('says how long ago a comment was written', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    assert.equal(relativeTime('2026-11-26T09:59:40Z', now, 'fr', 'à l’instant'), 'à l’instant');
    assert.equal(relativeTime('2026-11-26T09:55:00Z', now, 'fr'), 'il y a 5 minutes');
    assert.equal(relativeTime('2026-11-26T08:00:00Z', now, 'en'), '2 hours ago');
    assert.equal(relativeTime('', now), '');
    assert.ok(relativeTime('2026-11-24T08:00:00Z', now, 'fr').length > 5);
  });

  it('lists reactions in order, with mine and who reacted', () => {
    const card = { reactions: { '💡': ['p2'], '👍': ['p2', 'me', 'me'] } };
    assert.deepEqual(reactionsOf(card, 'me').map((r) => [r.emoji, r.count, r.mine]),
      [['👍', 2, true], ['❤️', 0, false], ['💡', 1, false], ['❓', 0, false], ['⚠️', 0, false]]);
    const t = { you: 'vous', others_one: '{count} autre', others_other: '{count} autres' };
    const names = new Map([['p2', 'Noa'], ['p3', 'Lou']]);
    const nameOf = (id) => names.get(id);
    assert.equal(whoReacted(['p2', 'me', 'p3'], { nameOf, selfId: 'me', t, locale: 'fr' }), 'vous, Noa et Lou');
    assert.equal(whoReacted(['p2', 'zz'], { nameOf, selfId: 'me', t, locale: 'fr' }), 'Noa et 1 autre');
  });
});
