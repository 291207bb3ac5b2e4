// The live console's view of every group's board over one socket (docs/protocol.md, Socket.IO: "a
// connection may join several boards"), as a watcher (mode 'watch': not listed among the group's
// members, SYNC-11): a BoardState (sync.js) per board fed by `board:join`
// snapshots and `event` messages, the board's `presence`, and when its events happened (for
// "activity in the last minutes"). A board that falls behind (a gap that stays open, a reconnection)
// is simply joined again for a fresh snapshot; while the socket is down, snapshots come over REST.
// Ops go through the Connection (socket, else REST).

import { ActivityLog } from './console-stats.js';
import { BoardState, uuid4 } from './sync.js';

const JOIN_TIMEOUT_MS = 10000;
const GAP_GRACE_MS = 1500;
const REST_REFRESH_MS = 10000;
const RECENT_EVENTS = 200;

/**
 * `boardIds`: the boards to follow. `onChange(boardId)`: something shown on that board's tile
 * changed. Returns {boards: Map(boardId -> watched), send(boardId, type, data), start()}; a watched
 * board is {id, state, activity, presence, status: 'loading'|'ready'|'error', error}.
 */
export function watchBoards({ connection, api, boardIds, selfId, onChange = () => {} }) {
  const boards = new Map();
  let lastRest = 0;

  for (const id of boardIds) {
    const watched = { id, presence: [], status: 'loading', error: null, activity: new ActivityLog(), gapTimer: null };
    watched.state = new BoardState({
      selfId,
      onChange: () => onChange(id),
      onEvent: (event) => watched.activity.add(event),
      onGap: () => scheduleRejoin(watched),
    });
    boards.set(id, watched);
  }

  function scheduleRejoin(watched) {
    if (watched.gapTimer) return;
    watched.gapTimer = setTimeout(() => {
      watched.gapTimer = null;
      if (watched.state.hasGap()) refresh(watched);
    }, GAP_GRACE_MS);
  }

  function settle(watched, snapshot) {
    const first = !watched.state.ready;
    watched.state.applySnapshot(snapshot, { force: true });
    watched.status = 'ready';
    watched.error = null;
    onChange(watched.id);
    if (first) loadRecent(watched, snapshot.seq);
  }

  function fail(watched, error) {
    watched.status = watched.state.ready ? 'ready' : 'error';
    watched.error = (error && error.code) || 'unknown';
    onChange(watched.id);
  }

  /** The events of the last minutes before the snapshot, for the activity count only. */
  async function loadRecent(watched, seq) {
    const since = Math.max(0, seq - RECENT_EVENTS);
    const response = await api.getJson(`/api/v1/boards/${encodeURIComponent(watched.id)}/events?since=${since}&limit=${RECENT_EVENTS}`);
    if (!response.ok || !response.body || !Array.isArray(response.body.events)) return;
    for (const event of response.body.events) watched.activity.add(event);
    onChange(watched.id);
  }

  function join(watched) {
    connection.socket.timeout(JOIN_TIMEOUT_MS).emit('board:join', { board_id: watched.id, mode: 'watch' }, (err, result) => {
      if (err) {
        if (connection.connected) setTimeout(() => connection.connected && join(watched), 1000);
        return;
      }
      if (result && result.ok && Array.isArray(result.cards)) settle(watched, result);
      else fail(watched, result && result.error);
    });
  }

  async function load(watched) {
    const response = await api.getJson(`/api/v1/boards/${encodeURIComponent(watched.id)}`);
    if (response.ok && response.body && typeof response.body.seq === 'number') settle(watched, response.body);
    else if (response.status) fail(watched, (response.body && response.body.error) || { code: 'unknown' });
  }

  /** Brings one board up to date: a join over the socket, else a REST snapshot. */
  function refresh(watched) {
    if (connection.connected) join(watched);
    else load(watched);
  }

  connection.listen('event', (event) => {
    const watched = event && boards.get(event.board_id);
    if (watched) watched.state.receive(event);
  });
  connection.listen('presence', (message) => {
    const watched = message && boards.get(message.board_id);
    if (!watched) return;
    watched.presence = Array.isArray(message.participants) ? message.participants : [];
    onChange(watched.id);
  });

  function refreshAll() {
    for (const watched of boards.values()) refresh(watched);
  }

  return {
    boards,
    /** Call from the Connection's onOnline: (re)joins every board, whose presence then comes again. */
    online() {
      if (connection.connected) refreshAll();
    },
    /** Call from the Connection's onPoll (socket down): fresh snapshots every few seconds. */
    poll() {
      if (Date.now() - lastRest < REST_REFRESH_MS) return;
      lastRest = Date.now();
      for (const watched of boards.values()) load(watched);
    },
    /** Who is on which board, from elsewhere (the participants list while the socket is down). */
    setPresence(boardId, participants) {
      const watched = boards.get(boardId);
      if (!watched) return;
      watched.presence = participants;
      onChange(boardId);
    },
    /** The first snapshots, over REST when the socket is slow to come. */
    start() {
      setTimeout(() => {
        for (const watched of boards.values()) if (!watched.state.ready) load(watched);
      }, 4000);
    },
    /** Sends an op to a board; resolves to its result (the board's state follows at once). */
    async send(boardId, type, data) {
      const watched = boards.get(boardId);
      const result = await connection.send({ board_id: boardId, op_id: uuid4(), type, data });
      if (watched && result && result.ok && result.event) watched.state.receive(result.event);
      return result;
    },
  };
}
