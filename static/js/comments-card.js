// The comment button on each card, with the card's number of comments (this client's pending ones
// included); a press opens the thread (comments.js). Made for 2,000 cards: each button is a clone of
// one prepared button, one listener on the document serves them all, and a card is decorated again
// only when its count changes.

import { drawIcon } from './board-icons.js';
import { format } from './sync.js';
import { h } from './ui.js';
import { counted } from './vote-dots.js';

/** Live comments per card, this client's pending adds and deletes included. */
export function commentCounts(analysis, pending = []) {
  const counts = analysis.commentCounts();
  for (const { op } of pending) {
    const data = op.data || {};
    if (op.type === 'comment.add' && data.card_id && !analysis.comments.has(data.id)) {
      counts.set(data.card_id, (counts.get(data.card_id) || 0) + 1);
    } else if (op.type === 'comment.delete') {
      const c = analysis.comments.get(data.id);
      if (c && !c.deleted) counts.set(c.card_id, Math.max(0, (counts.get(c.card_id) || 0) - 1));
    }
  }
  return counts;
}

/** Decorates the cards of `view` (CardsView); `onOpen(cardId, button)`. Returns {update(counts)}. */
export function commentButtons({ view, t, locale, onOpen }) {
  let counts = new Map();
  const drawn = new Map(); // card id -> count last decorated
  const buttons = new WeakMap(); // card element -> its button
  let template = null;

  view.addDecorator((card, root) => {
    if (!card) return;
    let button = buttons.get(root);
    if (!button) {
      const extras = root.querySelector('.card__extras');
      if (!extras) return;
      button = (template || (template = prepare())).cloneNode(true);
      extras.append(button);
      buttons.set(root, button);
    }
    const n = counts.get(card.id) || 0;
    const name = card.author_name || '';
    const key = `${n}|${name}`;
    if (button.dataset.key === key) return;
    button.dataset.key = key;
    button.lastChild.textContent = n ? String(n) : '';
    button.classList.toggle('card-comments--some', n > 0);
    button.setAttribute('aria-label', n ? format(counted(t, 'button', n, locale), { name }) : format(t.button_none, { name }));
  });

  function prepare() {
    const button = h('button', 'button button--ghost card-comments');
    button.type = 'button';
    button.setAttribute('aria-haspopup', 'dialog');
    button.title = t.title;
    const svg = drawIcon('comment', 'icon icon--small');
    const count = h('span', 'card-comments__count');
    count.setAttribute('aria-hidden', 'true');
    button.append(svg, count);
    return button;
  }

  document.addEventListener('click', (event) => {
    const button = event.target.closest?.('.card-comments');
    const cardId = button && button.closest('.card')?.dataset.id;
    if (cardId) onOpen(cardId, button);
  });

  return {
    update(next) {
      counts = next;
      // Only the cards that have or had comments (not all 2,000); view.redecorate reaches the
      // timeline and list views too.
      for (const id of new Set([...counts.keys(), ...drawn.keys()])) {
        const n = counts.get(id) || 0;
        if ((drawn.get(id) || 0) === n) continue;
        if (n) drawn.set(id, n);
        else drawn.delete(id);
        view.redecorate(id);
      }
    },
  };
}
