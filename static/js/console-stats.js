// What a live-console tile shows about one board, computed from its BoardState (sync.js) and the
// events seen: card counts per zone, the latest notes, recent activity, the vote's state. Pure and
// DOM-free so node tests it (console-stats.test.js).

export const ACTIVITY_WINDOW_MS = 10 * 60 * 1000;
export const LATEST = 3;

/** [{id, title, count}] for each zone of `board`, in board order (cards in unknown zones: the first zone). */
export function zoneCounts(board, cards) {
  const zones = (board && Array.isArray(board.zones) ? board.zones : []).map((z) => ({ id: z.id, title: z.title, count: 0 }));
  const byId = new Map(zones.map((z) => [z.id, z]));
  for (const card of cards) {
    const zone = byId.get(card.zone) || zones[0];
    if (zone) zone.count += 1;
  }
  return zones;
}

/** The `n` newest live cards (by created_at, then id), newest first. */
export function latestCards(cards, n = LATEST) {
  return [...cards]
    .sort((a, b) => {
      const x = a.created_at || '';
      const y = b.created_at || '';
      if (x !== y) return x < y ? 1 : -1;
      return a.id < b.id ? 1 : -1;
    })
    .slice(0, n);
}

/** Remembers when a board's events happened, to count those of the last minutes. */
export class ActivityLog {
  constructor(windowMs = ACTIVITY_WINDOW_MS) {
    this.windowMs = windowMs;
    this.seen = new Map(); // seq -> time (ms)
  }

  /** Records an event (its `ts`, else `now`); the same seq counts once. */
  add(event, now = Date.now()) {
    if (!event || typeof event.seq !== 'number' || this.seen.has(event.seq)) return;
    const at = Date.parse(event.ts || '');
    this.seen.set(event.seq, Number.isFinite(at) ? at : now);
  }

  /** Events in the window ending at `now` (older ones are forgotten). */
  count(now = Date.now()) {
    let n = 0;
    for (const [seq, at] of this.seen) {
      if (at < now - this.windowMs) this.seen.delete(seq);
      else n += 1;
    }
    return n;
  }
}

/**
 * The vote as the console shows it: null (no vote) or {id, status: 'open'|'closed', hidden, revealed,
 * dots, voters, canReveal, canClose}.
 */
export function voteSummary(view) {
  if (!view || !view.vote) return null;
  const { vote } = view;
  const open = vote.status === 'open';
  return {
    id: vote.id,
    status: open ? 'open' : 'closed',
    hidden: Boolean(vote.hidden),
    revealed: Boolean(vote.revealed),
    dots: vote.dots,
    voters: view.voters || 0,
    canReveal: open && Boolean(vote.hidden) && !vote.revealed,
    canClose: open,
  };
}

/** The people to show as online on a board: everyone but `selfId`, each person once, by name. */
export function onlinePeople(participants, selfId = null) {
  const seen = new Map();
  for (const p of participants || []) {
    // Facilitators watching from their console (mode 'watch', SYNC-11) are on every board: not online in it.
    if (p && p.id && p.id !== selfId && p.mode !== 'watch' && !seen.has(p.id)) seen.set(p.id, p);
  }
  return [...seen.values()].sort((a, b) => (a.name || '').localeCompare(b.name || ''));
}
