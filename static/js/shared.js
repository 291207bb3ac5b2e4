// Glue shared by the board page and the capture screen: building the outbox on top of the
// connection, keeping several tabs in step, the old localStorage queue, local photo previews.

import { isOffline } from './connection.js';
import { Outbox } from './outbox.js';
import { h } from './ui.js';

const CHANNEL = 'collab-outbox';

/**
 * The participant's outbox, sending through `connection` (socket or REST) and `api` (photos,
 * session renewal). Other tabs are told of every change and refresh their copy; Web Locks keep
 * one tab sending at a time where they exist (elsewhere the server's de-duplication covers it).
 */
export function createOutbox({ store, owner, connection, api, ...hooks }) {
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
  const locks = typeof navigator !== 'undefined' && navigator.locks;
  const outbox = new Outbox({
    store,
    owner,
    transport: {
      send: (op) => connection.send(op),
      upload: (media) => api.upload(media),
      isOnline: () => !isOffline() && !connection.signedOut,
    },
    auth: { refresh: () => api.renew() },
    lock: locks ? (fn) => locks.request(`${CHANNEL}:${owner}`, { ifAvailable: true }, (lock) => (lock ? fn() : false)) : null,
    notify: () => channel && channel.postMessage({ owner }),
    ...hooks,
  });
  if (channel) {
    channel.onmessage = (event) => {
      if (event.data && event.data.owner === owner) outbox.refresh();
    };
  }
  return outbox;
}

/** Moves what older pages queued in localStorage (`collab:outbox:<board>:<participant>`). */
export async function legacyOutbox(outbox, participantId) {
  let keys = [];
  try {
    keys = Object.keys(localStorage).filter((k) => k.startsWith('collab:outbox:') && k.endsWith(`:${participantId}`));
  } catch {
    return;
  }
  for (const key of keys) {
    const boardId = key.slice('collab:outbox:'.length, -(participantId.length + 1));
    let entries = [];
    try {
      entries = JSON.parse(localStorage.getItem(key) || '[]');
    } catch {
      entries = [];
    }
    try {
      await outbox.importLegacy(Array.isArray(entries) ? entries : [], boardId);
      localStorage.removeItem(key); // only once they are safe in IndexedDB
    } catch {
      // IndexedDB refused: leave them where they are for the next try.
    }
  }
}

/** Object URLs for photos still on the device (queued notes). */
export function localPhotos() {
  const urls = new Map();
  return {
    add(media) {
      if (!media || !media.id || !media.data || urls.has(media.id)) return;
      urls.set(media.id, URL.createObjectURL(new Blob([media.data], { type: media.type || 'image/jpeg' })));
    },
    url: (mediaId) => urls.get(mediaId) || null,
  };
}

const EXTRA = ['visit_id', 'actor', 'media_id', 'tags'];

/** The board's visible cards, with the visit, actor, photo and tags of pending ops overlaid too. */
export function withExtras(state) {
  const cards = state.visibleCards();
  const changes = new Map();
  for (const { op } of state.pending.values()) {
    const data = op.data || {};
    if (op.type !== 'card.create' && op.type !== 'card.update') continue;
    const fields = Object.fromEntries(EXTRA.filter((k) => k in data).map((k) => [k, data[k]]));
    if (Object.keys(fields).length) changes.set(data.id, { ...(changes.get(data.id) || {}), ...fields });
  }
  if (!changes.size) return cards;
  return cards.map((card) => (card.pending && changes.has(card.id) ? { ...card, ...changes.get(card.id) } : card));
}

/** The people on the board, oneself first, as list items. */
export function presenceItems(people, me, t) {
  const byId = new Map();
  for (const p of people) if (p && p.id && !byId.has(p.id)) byId.set(p.id, p);
  if (!byId.has(me.id) || byId.get(me.id).mode === 'watch') byId.set(me.id, me);
  const locale = document.documentElement.lang || 'fr';
  // Facilitators watching from their console (mode 'watch', SYNC-11) are not members of the board:
  // listed last, as watching; people on the capture screen are here (posting to the board).
  const watching = (p) => p.id !== me.id && p.mode === 'watch';
  const list = [...byId.values()].sort((a, b) => {
    if (a.id === me.id) return -1;
    if (b.id === me.id) return 1;
    if (watching(a) !== watching(b)) return watching(a) ? 1 : -1;
    return String(a.name).localeCompare(String(b.name), locale);
  });
  const items = list.map((p) => {
    const li = h('li', `presence__person${p.id === me.id ? ' presence__person--self' : ''}${watching(p) ? ' presence__person--watching' : ''}`);
    li.append(document.createTextNode(p.name || ''));
    if (p.id === me.id) li.append(h('span', 'presence__you', `(${t.you})`));
    else if (watching(p)) li.append(h('span', 'presence__role', `(${t.watching || t.facilitator})`));
    else if (p.role === 'facilitator') li.append(h('span', 'presence__role', `(${t.facilitator})`));
    else if (p.mode === 'capture' && t.capturing) li.append(h('span', 'presence__role', `(${t.capturing})`));
    return li;
  });
  const members = list.filter((p) => !watching(p)).length;
  if (members === 1) items.splice(1, 0, h('li', 'presence__nobody', t.nobody));
  return items;
}

/**
 * Keeps the board's last state on the device, so the board page opened offline shows the cards it
 * had (then catches up from that seq when back online, SYNC-7). Saved when the page is hidden and
 * a few seconds after changes; read once at start if nothing fresher came meanwhile.
 * `busy()`: true while a save would get in the way (a card being dragged).
 */
export function keepSnapshot(store, state, boardId, { busy = () => false } = {}) {
  const key = `snapshot:${boardId}`;
  let pending = false;
  const save = () => {
    pending = false;
    if (!state.ready || !state.board) return;
    const { themes, comments, vote } = state.analysis;
    store.kvSet(key, {
      board: state.board,
      cards: [...state.cards.values()],
      themes: [...themes.values()],
      comments: [...comments.values()],
      vote,
      seq: state.lastSeq,
    }).catch(() => {});
  };
  // Copying 2,000 cards into IndexedDB takes 50-100 ms of the main thread (frames dropped mid-drag):
  // a change is kept when the page is idle and no drag is going on.
  const later = () => {
    if (!pending) return;
    if (busy()) setTimeout(later, 1000);
    else if (typeof requestIdleCallback === 'function') requestIdleCallback(() => (busy() ? later() : pending && save()), { timeout: 5000 });
    else save();
  };
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && save());
  window.addEventListener('pagehide', save);
  return {
    changed() {
      if (pending) return;
      pending = true;
      setTimeout(later, 2000);
    },
    async restore() {
      if (state.ready) return false;
      const saved = await store.kvGet(key).catch(() => null);
      if (!saved || typeof saved.seq !== 'number' || state.ready) return false;
      return state.applySnapshot(saved);
    },
  };
}
