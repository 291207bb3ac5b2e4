// The projected word cloud (templates/facilitator/prompt_screen.html): a flex-wrap list of words sized
// by how many people gave them (cloud-layout.js). Words keep their element as the cloud grows, so a new
// word pops in and the others slide to their new place (FLIP), unless the person prefers less motion.

import { layout } from './cloud-layout.js';
import { plural } from './plural.js';
import { h } from './ui.js';

const calm = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** `list`: the <ul>; `onToggle(word, hidden)`: a click on a word. Returns {update(words)}. */
export function createWordCloud(list, hiddenList, { t, onToggle }) {
  const items = new Map(); // key → {li, button, count}

  function make(word) {
    const li = h('li', 'word-cloud__item');
    const button = h('button', 'cloud-word');
    button.type = 'button';
    button.addEventListener('click', () => onToggle(button.dataset.word, true));
    li.append(button);
    return { li, button, count: 0 };
  }

  function update(words) {
    const shown = layout(words);
    const before = new Map();
    const animate = !calm() && items.size > 0;
    if (animate) for (const [key, item] of items) before.set(key, item.li.getBoundingClientRect());
    const keep = new Set(shown.map((w) => w.key));
    for (const [key, item] of items) {
      if (!keep.has(key)) {
        item.li.remove();
        items.delete(key);
      }
    }
    const fresh = [];
    for (const word of shown) {
      let item = items.get(word.key);
      if (!item) {
        item = make(word);
        items.set(word.key, item);
        fresh.push(item);
      }
      const { button } = item;
      button.textContent = word.word;
      button.dataset.word = word.word;
      button.dataset.key = word.key;
      button.dataset.count = String(word.count);
      button.className = `cloud-word cloud-word--c${word.colour}`;
      button.setAttribute('aria-label', plural(t, 'word_hide', word.count, undefined, { word: word.word }));
      button.title = button.getAttribute('aria-label');
      item.li.style.setProperty('--size', `${word.size}em`);
      if (item.count && word.count > item.count && !calm()) {
        button.animate([{ transform: 'scale(1.15)' }, { transform: 'scale(1)' }], { duration: 500, easing: 'ease-out' });
      }
      item.count = word.count;
      list.append(item.li); // in the cloud's order (moves the existing ones)
    }
    if (animate) {
      for (const [key, rect] of before) {
        const item = items.get(key);
        if (!item) continue;
        const now = item.li.getBoundingClientRect();
        const dx = rect.left - now.left;
        const dy = rect.top - now.top;
        if (dx || dy) {
          item.li.animate([{ transform: `translate(${dx}px, ${dy}px)` }, { transform: 'none' }], { duration: 450, easing: 'ease-out' });
        }
      }
      for (const item of fresh) {
        item.li.animate([{ opacity: 0, transform: 'scale(0.4)' }, { opacity: 1, transform: 'scale(1)' }], { duration: 500, easing: 'ease-out' });
      }
    }
    renderHidden(words.filter((w) => w.hidden));
  }

  function renderHidden(hidden) {
    if (!hiddenList) return;
    hiddenList.replaceChildren(...hidden.map((word) => {
      const button = h('button', 'hidden-words__word', word.word);
      button.type = 'button';
      button.dataset.word = word.word;
      button.setAttribute('aria-label', t.word_show.replace('{word}', word.word));
      button.append(h('span', 'hidden-words__count', ` (${word.count})`));
      button.addEventListener('click', () => onToggle(word.word, false));
      const li = h('li', 'hidden-words__item');
      li.append(button);
      return li;
    }));
  }

  return { update };
}
