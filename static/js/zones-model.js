// The zones of a board as this page shows them: the confirmed list (board.zones, kept up to date
// by sync.js from zone events) with this page's pending zone ops applied on top, the way the server
// will apply them (collab/sync/zones.py): the inbox stays first, a removed zone's cards go to the
// inbox. Pure and DOM-free (node --test).

import { INBOX } from './positions.js';

export const MAX_ZONES = 24; // collab/sync/zones.py
export const MAX_TITLE = 80;

const clampIndex = (index, length) => Math.max(1, Math.min(index, length));

/** Applies one zone op's data to `zones` (a new array; unknown ids change nothing). */
export function applyZoneOp(zones, type, data = {}) {
  const list = zones.map((z) => ({ ...z }));
  const at = list.findIndex((z) => z.id === data.id);
  switch (type) {
    case 'zone.add': {
      if (!data.title || (data.id && at !== -1)) return list;
      const zone = { id: data.id, title: String(data.title).trim(), pending: true };
      list.splice(data.index == null ? list.length : clampIndex(data.index, list.length), 0, zone);
      return list;
    }
    case 'zone.rename':
      if (at !== -1 && data.title) list[at] = { ...list[at], title: String(data.title).trim(), pending: true };
      return list;
    case 'zone.move': {
      if (at === -1 || data.id === INBOX) return list;
      const [zone] = list.splice(at, 1);
      list.splice(clampIndex(data.index, list.length), 0, { ...zone, pending: true });
      return list;
    }
    case 'zone.remove':
      if (at !== -1 && data.id !== INBOX) list.splice(at, 1);
      return list;
    default:
      return list;
  }
}

/**
 * The zones to show: `board.zones` (or just the inbox before the first snapshot) with the pending
 * zone ops of `pending` (BoardState.pending: op_id -> {op}) applied in the order they were made.
 */
export function visibleZones(board, pending, inboxTitle = 'Inbox') {
  let zones = board && Array.isArray(board.zones) && board.zones.length ? board.zones : [{ id: INBOX, title: inboxTitle }];
  for (const { op } of pending.values()) {
    if (op.type && op.type.startsWith('zone.')) zones = applyZoneOp(zones, op.type, op.data || {});
  }
  if (!zones.some((z) => z.id === INBOX)) zones = [{ id: INBOX, title: inboxTitle }, ...zones];
  return zones;
}

/** A fresh zone id (the protocol allows A–Z a–z 0–9 _ -, 1–64). */
export function newZoneId(random = Math.random) {
  let id = 'z';
  for (let i = 0; i < 11; i += 1) id += Math.floor(random() * 36).toString(36);
  return id;
}
