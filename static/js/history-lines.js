// What the activity feed says about each event, and when. Pure and DOM-free (node --test).
//
// LINES maps an event type to the key (or a function of the event's data giving the key) of its sentence in the page's translations (`lines` of the
// i18n-history block, e.g. "{name} moved {card} to {zone}") and the values it needs. A type that is
// not in the table, or an event that lacks a value its sentence needs, gets the generic sentence
// (`lines.other`, "{name} made a change"). To word a new op, add one line here and one string.

import { formatTime, sameWorkshopDay } from './time.js';

const MAX_SNIPPET = 48;

/** A card's text cut to a short one-line quote ("Les friches industrielles de…"). */
export function snippet(text, max = MAX_SNIPPET) {
  const flat = String(text || '').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.!?-]+$/, '')}…`;
}

const cardOf = (data, ctx, id) => (data && data.card) || (id && ctx.card ? ctx.card(id) : null);
const card = (data, ctx) => {
  const found = cardOf(data, ctx, data && data.comment && data.comment.card_id);
  return found && found.text ? snippet(found.text) : null;
};
const zone = (data, ctx) => {
  const id = data && data.card && data.card.zone;
  return id ? ctx.zoneTitle(id, data.zones) : null;
};
const theme = (data) => (data && data.theme && data.theme.title ? snippet(data.theme.title) : null);
const title = (data) => (data && data.board && data.board.title ? snippet(data.board.title) : null);

export const LINES = {
  'card.create': ['card_create', { card }],
  'card.update': ['card_update', { card }],
  'card.move': ['card_move', { card, zone }],
  'card.delete': ['card_delete', { card }],
  'card.restore': ['card_restore', { card }],
  'card.react': ['card_react', { card }],
  'zone.add': ['zone_add', {}],
  'zone.rename': ['zone_rename', {}],
  'zone.move': ['zone_move', {}],
  'zone.remove': ['zone_remove', {}],
  'theme.create': ['theme_create', { theme }],
  'theme.update': ['theme_update', { theme }],
  'theme.delete': ['theme_delete', { theme }],
  'theme.restore': ['theme_restore', { theme }],
  'comment.add': ['comment_add', { card }],
  'comment.delete': ['comment_delete', {}],
  'vote.open': ['vote_open', {}],
  'vote.reveal': ['vote_reveal', {}],
  'vote.close': ['vote_close', {}],
  'vote.dot': ['vote_dot', {}], // never which card: the votes may still be hidden
  'board.lock': [(data) => (data.board && data.board.locked === false ? 'board_unlock' : 'board_lock'), {}],
  'board.rename': ['board_rename', { title }],
  'board.colour': ['board_colour', {}],
  'board.template': ['board_template', {}],
};

/**
 * The sentence for `event`: {key, values}. `ctx`: {name(event) -> who, zoneTitle(id, zones) -> title
 * or null, card(id) -> the card as known now (for events that only name it)}; `known(key)` tells
 * whether the page has a sentence for that key (else the generic one is used).
 */
export function describe(event, ctx, known = () => true) {
  const values = { name: ctx.name(event) };
  const entry = LINES[event.type];
  const key = entry && (typeof entry[0] === 'function' ? entry[0](event.data || {}) : entry[0]);
  if (entry && known(key)) {
    const needs = entry[1];
    let complete = true;
    for (const [field, get] of Object.entries(needs)) {
      const value = get(event.data || {}, ctx);
      if (value == null || value === '') complete = false;
      values[field] = value;
    }
    if (complete) return { key, values };
  }
  return { key: 'other', values: { name: values.name } };
}

/**
 * Splits a sentence into parts to render: [{text}, {field, text}], so that the name and the quoted
 * card can be styled (and every part still goes in with textContent).
 */
export function sentenceParts(template, values) {
  const parts = [];
  const pattern = /\{(\w+)\}/g;
  let last = 0;
  for (const match of String(template).matchAll(pattern)) {
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    const field = match[1];
    parts.push(Object.prototype.hasOwnProperty.call(values, field) ? { field, text: String(values[field]) } : { text: match[0] });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  return parts;
}

/**
 * "just now", "il y a 5 min", "il y a 3 h", then the day and time ("jeu. 10:42"). `justNow` is the
 * page's translation of "just now".
 */
export function relativeTime(iso, { now = Date.now(), locale = 'fr', justNow = 'just now' } = {}) {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const seconds = Math.max(0, Math.round((now - time) / 1000));
  if (seconds < 45) return justNow;
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'short' });
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 6) return relative.format(-hours, 'hour');
  const date = new Date(time);
  const options = sameWorkshopDay(now, date) ? { hour: '2-digit', minute: '2-digit' } : { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return formatTime(date, options, locale);
}

/** The full date and time, for a tooltip. */
export function fullTime(iso, locale = 'fr') {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  return formatTime(new Date(time), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }, locale);
}

// What the Undo button and its toast name ("Undo moving “Les friches…”"): keys of `actions`.
const ACTIONS = {
  'card.create': 'card_create',
  'card.update': 'card_update',
  'card.move': 'card_move',
  'card.delete': 'card_delete',
  'card.restore': 'card_restore',
  'card.react': 'card_react',
  'comment.add': 'comment_add',
  'theme.create': 'theme_create',
  'theme.update': 'theme_update',
  'theme.delete': 'theme_delete',
  'theme.restore': 'theme_restore',
  'zone.add': 'zones',
  'zone.rename': 'zones',
  'zone.move': 'zones',
};

/**
 * {key, values} naming one's own change `op`; `before` and `after` are what undo.js keeps of its
 * target ({card} or {theme}) before the op and in its event.
 */
export function actionOf(op, before = {}, after = {}) {
  const key = ACTIONS[op.type];
  const pick = (field, name) => ((after || {})[field] && after[field][name]) || ((before || {})[field] && before[field][name]);
  const data = op.data || {};
  if (key && (key.startsWith('card_') || key === 'comment_add')) {
    const text = pick('card', 'text') || data.text;
    return text ? { key, values: { card: snippet(text) } } : { key: 'other', values: {} };
  }
  if (key && key.startsWith('theme_')) {
    const title = pick('theme', 'title') || data.title;
    return title ? { key, values: { theme: snippet(title) } } : { key: 'other', values: {} };
  }
  return { key: key || 'other', values: {} };
}
