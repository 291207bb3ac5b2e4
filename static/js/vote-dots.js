// The dot vote on each card (the vote itself is run from vote-panel.js): the card's count when the
// counts can be seen (a live vote, or a hidden one once revealed or closed, SYNC-14), my dots on it,
// a button to put one more and one to take one back. Plus the pure parts of a vote (wording, totals,
// what a card allows, the "sort by votes" order), node-tested in vote.test.js.

import { plural } from './plural.js';
import { format } from './sync.js';
import { h } from './ui.js';

export const DOTS = Object.freeze({ min: 1, max: 20, initial: 5 });
const DRAWN = 8; // dots drawn one by one; more show as "●×12"

/** `strings[key_one]` or `strings[key_other]` for `count` in `locale`, with {count} filled in. */
export function counted(strings, key, count, locale = 'fr') {
  return plural(strings, key, count, locale);
}

/** A whole number of dots per person within the protocol's limits, or null. */
export function dotsValue(raw) {
  const n = Number(String(raw).trim());
  return Number.isInteger(n) && n >= DOTS.min && n <= DOTS.max ? n : null;
}

/**
 * The vote as a whole: {points, voters} (dots placed, people who placed some), my pending dots
 * included. `view` is AnalysisState.voteView(pending); `usedBy` the vote's {participant id: dots}.
 */
export function voteTotals(view, usedBy = {}, selfId = null) {
  if (!view) return { points: 0, voters: 0 };
  let points = view.used;
  let voters = view.used > 0 ? 1 : 0;
  for (const [id, used] of Object.entries(usedBy || {})) {
    if (id === selfId || !(used > 0)) continue;
    points += used;
    voters += 1;
  }
  return { points, voters };
}

/**
 * What a card shows and allows: {mine, count (null when the counts are hidden), canAdd, canRemove,
 * active (the vote is open and this person may vote)}.
 */
export function cardVote(view, cardId, { canVote = true } = {}) {
  if (!view) return null;
  const mine = view.mine[cardId] || 0;
  const active = view.open && canVote;
  return {
    mine,
    count: view.visible ? view.tally[cardId] || 0 : null,
    active,
    canAdd: active && view.left > 0,
    canRemove: active && mine > 0,
  };
}

/** Most dots first; cards with as many dots keep their order (Array.sort is stable). */
export function byVotes(tally) {
  return (a, b) => (tally[b.id] || 0) - (tally[a.id] || 0);
}

/** The dots as text for the eye: "●●●" or "●×12". */
export function drawnDots(count) {
  if (count <= 0) return '';
  return count <= DRAWN ? '●'.repeat(count) : `●×${count}`;
}

/**
 * The card decorator. `current()` gives {view, canVote} as last rendered (vote-panel.js);
 * `onDot(card, delta, button)` sends a dot. Strings: the i18n-vote block.
 */
export function voteDecorator({ t, locale, current, onDot }) {
  const boxes = new WeakMap(); // card element -> its dots (only while a vote shows on it)
  // One listener for every card's buttons (in any view of the board).
  document.addEventListener('click', (event) => {
    const button = event.target.closest?.('.card-vote__button');
    const cardId = button && !button.disabled && button.closest('.card')?.dataset.id;
    if (cardId) onDot(cardId, button.classList.contains('card-vote__add') ? 1 : -1, button);
  });
  return (card, root) => {
    if (!card) return;
    const { view, canVote, hiddenResults } = current();
    let box = boxes.get(root);
    if (!view && !box) return; // no vote: nothing to do, fast (2,000 cards)
    const state = view && !hiddenResults ? cardVote(view, card.id, { canVote }) : null;
    if (!state || (!state.active && !state.mine && !state.count)) {
      box?.remove();
      boxes.delete(root);
      return;
    }
    if (!box) {
      const extras = root.querySelector('.card__extras');
      if (!extras) return;
      box = build(extras);
      boxes.set(root, box);
    }
    const name = card.author_name || '';
    const sig = [state.mine, state.count, state.active, state.canAdd, view.vote.status, name].join('|');
    if (box.dataset.sig === sig) return;
    box.dataset.sig = sig;
    const { count, countNumber, mine, add, remove } = box._refs;
    box.classList.toggle('card-vote--closed', !view.open);
    box.classList.toggle('card-vote--mine', state.mine > 0);
    count.hidden = state.count === null;
    countNumber.textContent = state.count === null ? '' : String(state.count);
    count.title = state.count === null ? '' : counted(t, 'card_total', state.count, locale);
    mine.hidden = state.mine === 0;
    mine.textContent = drawnDots(state.mine);
    mine.title = counted(t, 'card_mine', state.mine, locale);
    const parts = [];
    if (state.count !== null) parts.push(counted(t, 'card_total', state.count, locale));
    parts.push(counted(t, 'card_mine', state.mine, locale));
    box.setAttribute('aria-label', format(t.card_vote_label, { counts: parts.join(', ') }));
    const focused = document.activeElement;
    add.hidden = !state.active;
    remove.hidden = !state.active || state.mine === 0;
    add.disabled = !state.canAdd;
    add.setAttribute('aria-label', format(t.add_label, { name }));
    add.title = state.canAdd ? t.add : t.no_dots;
    remove.setAttribute('aria-label', format(t.remove_label, { name }));
    remove.title = t.remove;
    // Keep the keyboard where it was when a button goes away under it.
    if (focused === add && (add.disabled || add.hidden) && !remove.hidden) remove.focus();
    else if (focused === remove && remove.hidden && !add.hidden && !add.disabled) add.focus();
  };
}

let template = null;

function build(extras) {
  if (!template) {
    template = h('div', 'card-vote');
    template.setAttribute('role', 'group');
    const count = h('span', 'card-vote__count');
    count.append(h('span', 'card-vote__dot'), h('span', 'card-vote__number'));
    count.setAttribute('aria-hidden', 'true');
    const mine = h('span', 'card-vote__mine');
    mine.setAttribute('aria-hidden', 'true');
    const remove = h('button', 'button button--ghost card-vote__button card-vote__remove', '−');
    remove.type = 'button';
    const add = h('button', 'button button--ghost card-vote__button card-vote__add');
    add.type = 'button';
    add.append(h('span', 'card-vote__plus', '+'), h('span', 'card-vote__dot'));
    template.append(count, mine, remove, add);
  }
  const box = template.cloneNode(true);
  const [count, mine, remove, add] = box.children;
  box._refs = { count, countNumber: count.lastChild, mine, add, remove };
  extras.prepend(box);
  return box;
}
