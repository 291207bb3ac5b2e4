// One slide as DOM (collab/present/slides.py gives the data): the group's title slide, a theme
// (title, synthesis, evidence notes with photo and votes), the conclusions. User text goes in with
// textContent; the only markup inserted is the server's sanitised `synthesis_html` (see `synthesis`).

import { fill, plural } from './present-keys.js';
import { h } from './ui.js';
import { setSafeHtml } from './safe-html.js';

const COLOUR = /^[a-z]+$/;

function accent(node, colour, variable = '--slide-accent') {
  if (typeof colour !== 'string') return;
  if (colour.startsWith('#') && /^#[0-9a-fA-F]{3,8}$/.test(colour)) node.style.setProperty(variable, colour);
  else if (COLOUR.test(colour)) node.style.setProperty(variable, `var(--card-${colour}-edge)`);
}

function synthesis(html, emptyText) {
  const box = h('div', 'slide__synthesis');
  if (html) {
    setSafeHtml(box, html); // rendered and sanitised by the server (collab/markdown.py)
  } else if (emptyText) {
    box.append(h('p', 'slide__empty', emptyText));
  }
  return box;
}

function evidence(card, ctx) {
  const item = h('li', `evidence evidence--${COLOUR.test(card.colour || '') ? card.colour : 'yellow'}`);
  if (card.media_id) {
    const img = h('img', 'evidence__photo');
    img.alt = ctx.t.photo || '';
    img.loading = 'eager';
    img.decoding = 'async';
    img.src = ctx.thumbUrl(card.media_id);
    item.append(img);
    item.classList.add('evidence--photo');
  }
  item.append(h('p', 'evidence__text', card.text));
  const meta = h('p', 'evidence__meta');
  const who = [card.author_name, card.actor].filter(Boolean).join(' · ');
  if (who) meta.append(h('span', 'evidence__author', who));
  if (typeof card.votes === 'number') {
    const votes = h('span', `evidence__votes${card.votes ? '' : ' evidence__votes--none'}`, plural(ctx.t, 'votes', card.votes));
    meta.append(votes);
  }
  item.append(meta);
  return item;
}

function cardsBlock(slide, ctx, emptyText) {
  const wrap = h('div', 'slide__evidence');
  const cards = slide.cards || [];
  if (!cards.length) {
    if (emptyText) wrap.append(h('p', 'slide__empty', emptyText));
    return wrap;
  }
  const list = h('ul', `slide__cards slide__cards--${Math.min(cards.length, 6)}`);
  for (const card of cards) list.append(evidence(card, ctx));
  wrap.append(list);
  if (slide.more_cards) wrap.append(h('p', 'slide__more', plural(ctx.t, 'more_notes', slide.more_cards)));
  return wrap;
}

function head(kicker, title, ctx) {
  const header = h('header', 'slide__head');
  if (kicker) header.append(h('p', 'slide__kicker', kicker));
  const heading = h('h2', 'slide__title', title);
  heading.id = ctx.titleId;
  header.append(heading);
  return header;
}

function titleSlide(slide, deck, ctx) {
  const node = h('article', 'slide slide--title');
  accent(node, slide.colour);
  node.append(h('div', 'slide__band'));
  node.append(h('p', 'slide__kicker', slide.workshop));
  const heading = h('h2', 'slide__title', slide.title);
  heading.id = ctx.titleId;
  node.append(heading);
  node.append(h('p', 'slide__counts',
    `${plural(ctx.t, 'themes', slide.themes || 0)} · ${plural(ctx.t, 'notes', slide.cards || 0)}`));
  return node;
}

function themeSlide(slide, deck, ctx) {
  const node = h('article', 'slide slide--theme');
  accent(node, slide.colour);
  accent(node, deck.group && deck.group.colour, '--group-colour');
  node.append(head(deck.group && deck.group.name, slide.title, ctx));
  const body = h('div', 'slide__body');
  body.append(synthesis(slide.synthesis_html, ctx.t.no_synthesis), cardsBlock(slide, ctx, ctx.t.no_notes));
  node.append(body);
  return node;
}

function conclusionsSlide(slide, deck, ctx) {
  const node = h('article', 'slide slide--conclusions');
  accent(node, deck.group && deck.group.colour);
  node.append(head(deck.group && deck.group.name, slide.title || ctx.t.conclusions_title, ctx));
  const body = h('div', 'slide__body');
  const hasText = Boolean(slide.synthesis_html);
  const hasCards = Boolean(slide.cards && slide.cards.length);
  if (slide.source === 'votes') body.append(h('p', 'slide__source', ctx.t.conclusions_votes));
  if (slide.source === 'zone' && slide.zone && hasCards) {
    body.append(h('p', 'slide__source', fill(ctx.t.conclusions_zone, { zone: slide.zone })));
  }
  if (hasText) body.append(synthesis(slide.synthesis_html));
  if (hasCards || !hasText) body.append(cardsBlock(slide, ctx, hasText ? '' : ctx.t.no_conclusions));
  node.classList.toggle('slide--text-only', hasText && !hasCards);
  node.classList.toggle('slide--cards-only', hasCards && !hasText);
  node.append(body);
  return node;
}

const RENDER = { title: titleSlide, theme: themeSlide, conclusions: conclusionsSlide };

/** The slide's element. ctx: {t, thumbUrl(id), titleId}. */
export function renderSlide(slide, deck, ctx) {
  return (RENDER[slide && slide.kind] || titleSlide)(slide || {}, deck, ctx);
}

/** The slide's title as read out and counted (the title slide's is the group's name). */
export function slideTitle(slide, t) {
  if (!slide) return '';
  return slide.kind === 'conclusions' ? slide.title || t.conclusions_title : slide.title || '';
}

/** Each note's text keeps to the whole lines its card has room for, the last one ending in "…". */
function fitNotes(node) {
  const texts = [...node.querySelectorAll('.evidence__text')];
  for (const text of texts) text.style.removeProperty('--lines');
  const heights = texts.map((text) => [text.clientHeight, parseFloat(getComputedStyle(text).lineHeight) || 20]);
  texts.forEach((text, i) => {
    const [height, line] = heights[i];
    text.style.setProperty('--lines', String(Math.max(1, Math.floor((height + 1) / line))));
  });
}

/** A long synthesis shrinks a little, then is cut with "…" (the slide never scrolls). */
export function fitSlide(node) {
  fitNotes(node);
  const box = node.querySelector('.slide__synthesis');
  if (!box) return;
  box.classList.remove('slide__synthesis--clipped');
  let scale = 1;
  box.style.setProperty('--fit', '1');
  while (box.scrollHeight > box.clientHeight + 1 && scale > 0.72) {
    scale -= 0.04;
    box.style.setProperty('--fit', scale.toFixed(2));
  }
  if (box.scrollHeight > box.clientHeight + 1) box.classList.add('slide__synthesis--clipped');
}
