// Quick reactions on each card (docs/protocol.md, `card.react`): the five reactions in a compact row,
// with their counts, mine pressed (aria-pressed) and who reacted in the tooltip. A press sends
// `card.react` through the page's outbox; BoardState shows it at once (a pending overlay), and
// everyone else sees it live with the card's event. A reaction is stored as its emoji (collab/sync/
// fields.py) but drawn as an icon, never as the emoji glyph (a projector laptop may have no emoji
// font): each element with `data-reaction` shows its `.reaction__icon` (board-analysis.css says which
// icon of board-icons.js each reaction takes).

import { plural } from './plural.js';
import { h, readJson } from './ui.js';

export const REACTIONS = Object.freeze(['👍', '❤️', '💡', '❓', '⚠️']);
const KEYS = { '👍': 'agree', '❤️': 'love', '💡': 'idea', '❓': 'question', '⚠️': 'caution' };
const MAX_NAMES = 8;

/** The drawing of the reaction named by the nearest `data-reaction` (hidden: the words are elsewhere). */
export function reactionIcon() {
  const glyph = h('span', 'reaction__icon');
  glyph.setAttribute('aria-hidden', 'true');
  return glyph;
}

/** A card's reactions in the protocol's order: [{emoji, ids, count, mine}]. */
export function reactionsOf(card, selfId) {
  const all = (card && card.reactions) || {};
  return REACTIONS.map((emoji) => {
    const ids = Array.isArray(all[emoji]) ? [...new Set(all[emoji])] : [];
    return { emoji, ids, count: ids.length, mine: selfId != null && ids.includes(selfId) };
  });
}

/** "you, Camille and Noa", "Camille, Noa … and 3 others": who gave one reaction. */
export function whoReacted(ids, { nameOf, selfId, t, locale = 'fr' }) {
  const names = [];
  let unknown = 0;
  for (const id of ids) {
    if (id === selfId) names.unshift(t.you);
    else if (nameOf(id)) names.push(nameOf(id));
    else unknown += 1;
  }
  const shown = names.slice(0, MAX_NAMES);
  const others = names.length - shown.length + unknown;
  if (others > 0) shown.push(plural(t, 'others', others, locale));
  if (!shown.length) return '';
  return typeof Intl.ListFormat === 'function' ? new Intl.ListFormat(locale, { type: 'conjunction' }).format(shown) : shown.join(', ');
}

/**
 * Wires the reactions of the cards. `page`: board.js's page object. Returns {nameOf, describe(card)}
 * (the comments panel shows who reacted on phones, where tooltips do not exist).
 */
export function createReactions(page) {
  const { state, view, me, writable, enqueue } = page;
  const t = readJson('i18n-reactions');
  const locale = document.documentElement.lang || 'fr';
  const names = new Map([[me.id, me.name]]);
  const latest = new Map(); // id -> the card as last rendered (a pending reaction does not redraw it)
  const sigs = new Map();
  let namesVersion = 0;

  const learn = (id, name) => {
    if (id && name && names.get(id) !== name) {
      names.set(id, name);
      namesVersion += 1;
    }
  };
  const nameOf = (id) => names.get(id) || null;
  page.onPresence?.((people) => {
    const before = namesVersion;
    for (const p of people || []) if (p) learn(p.id, p.name);
    if (namesVersion !== before) page.scheduleRender();
  });

  function learnFromBoard() {
    for (const card of state.cards.values()) learn(card.author_id, card.author_name);
    for (const comment of state.analysis.comments.values()) learn(comment.author_id, comment.author_name);
  }

  const label = (emoji) => (t.names && t.names[KEYS[emoji]]) || emoji;

  function describe(card) {
    return reactionsOf(card, me.id).filter((r) => r.count > 0)
      .map((r) => ({ ...r, label: label(r.emoji), who: whoReacted(r.ids, { nameOf, selfId: me.id, t, locale }) }));
  }

  // 2,000 cards: each row is a clone of one prepared row (static words), listens to nothing (one
  // listener on the document), and is touched again only when its card's reactions change.
  const rows = new WeakMap(); // card element -> its row
  let template = null;

  /** What a row shows, as a short key: '' for "nobody reacted, may react" (the prepared row). */
  function keyOf(card, canReact) {
    const all = card.reactions || {};
    let key = canReact ? '' : 'ro';
    for (const emoji of REACTIONS) if (all[emoji] && all[emoji].length) key += `|${emoji}${all[emoji].join(',')}`;
    return key.length > 2 ? `${key}|${namesVersion}` : key;
  }

  function decorate(given, root) {
    if (!given) return;
    let row = rows.get(root);
    if (!row) {
      const extras = root.querySelector('.card__extras');
      if (!extras) return;
      row = (template || (template = prepare())).cloneNode(true);
      row.dataset.key = '';
      extras.append(row);
      rows.set(root, row);
    }
    const newer = latest.get(given.id);
    const card = newer && (newer.version || 0) >= (given.version || 0) ? newer : given;
    const canReact = writable();
    const key = keyOf(card, canReact);
    if (row.dataset.key === key) return;
    row.dataset.key = key;
    reactionsOf(card, me.id).forEach((r, i) => {
      const button = row.children[i];
      const who = r.count ? whoReacted(r.ids, { nameOf, selfId: me.id, t, locale }) : '';
      const text = r.count ? plural(t, 'line', r.count, locale, { reaction: label(r.emoji), who }) : label(r.emoji);
      button.setAttribute('aria-pressed', r.mine ? 'true' : 'false');
      button.classList.toggle('reaction--zero', r.count === 0);
      button.lastChild.textContent = r.count ? String(r.count) : '';
      button.setAttribute('aria-label', text);
      button.title = canReact ? `${text}\n${r.mine ? t.take_back : t.react}` : text;
      if (canReact) button.removeAttribute('aria-disabled');
      else button.setAttribute('aria-disabled', 'true');
    });
  }

  function prepare() {
    const row = h('div', 'card-reactions');
    row.setAttribute('role', 'group');
    row.setAttribute('aria-label', t.row_label || '');
    for (const emoji of REACTIONS) {
      const button = h('button', 'reaction reaction--zero');
      button.type = 'button';
      button.dataset.reaction = emoji;
      button.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-label', label(emoji));
      button.title = `${label(emoji)}\n${t.react}`;
      const glyph = reactionIcon();
      const count = h('span', 'reaction__count');
      count.setAttribute('aria-hidden', 'true');
      button.append(glyph, count);
      row.append(button);
    }
    return row;
  }

  document.addEventListener('click', (event) => {
    const button = event.target.closest?.('.card-reactions .reaction');
    const cardId = button && button.closest('.card')?.dataset.id;
    if (!cardId || !writable() || button.getAttribute('aria-disabled') === 'true') return;
    const on = button.getAttribute('aria-pressed') !== 'true';
    enqueue('card.react', { id: cardId, reaction: button.dataset.reaction, on });
  });

  view.addDecorator(decorate);

  let scannedAt = -1; // the board's seq when names were last looked for in its cards and comments
  page.onRender((cards) => {
    let unknown = false;
    const w = writable();
    for (const card of cards) {
      latest.set(card.id, card);
      const reactions = card.reactions || {};
      let sig = '';
      for (const emoji of REACTIONS) {
        const ids = reactions[emoji];
        if (!ids || !ids.length) continue;
        sig += `|${emoji}:${ids.join(',')}`;
        if (!unknown) unknown = ids.some((id) => !names.has(id));
      }
      sig = sig ? `${w}${sig}|${namesVersion}` : `${w}`; // names only matter where someone reacted
      if (sigs.get(card.id) !== sig) {
        const known = sigs.has(card.id);
        sigs.set(card.id, sig);
        if (known) view.redecorate(card.id);
      }
    }
    if (latest.size > cards.length * 2) {
      const live = new Set(cards.map((c) => c.id));
      for (const id of latest.keys()) if (!live.has(id)) latest.delete(id) && sigs.delete(id);
    }
    if (unknown && scannedAt !== state.lastSeq) {
      scannedAt = state.lastSeq;
      const before = namesVersion;
      learnFromBoard();
      if (namesVersion !== before) page.scheduleRender();
    }
  });

  return { nameOf, describe };
}
