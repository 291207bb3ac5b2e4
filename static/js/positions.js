// Where a card goes on the board: the cards grouped by zone, and the fractional sort key of a card
// dropped at some index of a zone (docs/protocol.md: cards sort by `position`, then `created_at`,
// then `id`, comparing plain code units — never localeCompare).
//
// Pure and DOM-free (node --test). Keys come from the npm package `fractional-indexing`
// (`generateKeyBetween`), vendored by static/build-vendor.mjs.
//
// Cards made before keys existed have an empty `position`: it sorts before every key, so a card
// dropped among them gets a key from the nearest neighbours that have one.

import { generateKeyBetween } from '../vendor/fractional-indexing.js';

export const INBOX = 'inbox';
export const MAX_POSITION = 64; // the protocol's limit

const validity = new Map();

/** True when `key` is a key `generateKeyBetween` accepts (the server may send others). */
export function isKey(key) {
  if (typeof key !== 'string' || !key) return false;
  let ok = validity.get(key);
  if (ok === undefined) {
    try {
      generateKeyBetween(key, null);
      ok = true;
    } catch {
      ok = false;
    }
    if (validity.size > 5000) validity.clear();
    validity.set(key, ok);
  }
  return ok;
}

/** A key strictly between `before` and `after` (either may be null); never throws. */
export function keyBetween(before, after) {
  const lo = isKey(before) ? before : null;
  let hi = isKey(after) ? after : null;
  if (lo !== null && hi !== null && hi <= lo) hi = null;
  try {
    return generateKeyBetween(lo, hi);
  } catch {
    return generateKeyBetween(lo, null);
  }
}

/**
 * The key for a card put at `index` of a zone whose other cards have the keys `keys`, in display
 * order (the moved card left out). Looks past neighbours without a usable key, and past equal keys
 * (two clients once chose the same one): the card then lands after the cards sharing that key.
 */
export function keyAt(keys, index) {
  const at = Math.max(0, Math.min(index, keys.length));
  let lo = null;
  for (let i = at - 1; i >= 0; i -= 1) {
    if (isKey(keys[i])) {
      lo = keys[i];
      break;
    }
  }
  let hi = null;
  for (let i = at; i < keys.length; i += 1) {
    if (isKey(keys[i]) && (lo === null || keys[i] > lo)) {
      hi = keys[i];
      break;
    }
  }
  return keyBetween(lo, hi);
}

/** The key after every card of `cards` (a note added at the end of a zone). */
export function keyAfter(cards) {
  let last = null;
  for (const card of cards) if (isKey(card.position) && (last === null || card.position > last)) last = card.position;
  return keyBetween(last, null);
}

/**
 * The cards grouped by zone: Map zoneId -> cards (in the order given, which is display order).
 * Every zone of `zones` has an entry; a card whose zone is unknown (removed meanwhile) shows in
 * the inbox, as the server will put it there.
 */
export function groupByZone(cards, zones) {
  const groups = new Map();
  for (const zone of zones) groups.set(zone.id, []);
  if (!groups.has(INBOX)) groups.set(INBOX, []);
  for (const card of cards) {
    const list = groups.get(card.zone) || groups.get(INBOX);
    list.push(card);
  }
  return groups;
}

/**
 * The move that puts the card `id` at `index` among `zoneCards` (the zone's cards in display order,
 * possibly including the card itself): `{zone, position}`, or null when nothing would change.
 */
export function moveTo(id, zone, zoneCards, index) {
  const from = zoneCards.findIndex((c) => c.id === id);
  const others = zoneCards.filter((c) => c.id !== id);
  if (from !== -1 && from === Math.max(0, Math.min(index, others.length))) return null;
  const position = keyAt(others.map((c) => c.position || ''), index);
  return { zone, position };
}
