// The live connection to the server: Socket.IO when it works, REST when it does not.
//
// - send(op): over the socket when connected, else POST …/ops (a proxy may block WebSockets).
// - With a BoardState (`state`), it also follows one board: board:join with `since`, events in
//   seq order (SYNC-8), catch-up over REST when a gap stays open or the socket is down (SYNC-7).
// - An expired session is renewed with the stored token (Api.renew) before giving up.
// - `access` (the server ends this person's connections: moved, removed, signed out; protocol.md):
//   removed people are signed out; a move reloads the page (onAccess); else the reconnection decides.
// - `mode` ('capture' on the capture screen, else a board page) goes with board:join: how the person
//   is on the board, for presence (SYNC-11).

import { io } from '../vendor/socket.io.esm.min.js';
import { codeForStatus } from './api.js';

const OP_TIMEOUT_MS = 10000;
const JOIN_TIMEOUT_MS = 10000;
const GAP_GRACE_MS = 1500;
const SNAPSHOT_FALLBACK_MS = 4000;
const POLL_MS = 5000;

const noop = () => {};
const reloadIfMoved = (reason) => reason === 'moved' && window.location.reload();
export const isOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

export class Connection {
  constructor({
    api, boardId = null, state = null, mode = null,
    onStatus = noop, onPresence = noop, onBoardError = noop, onBoardMeta = noop,
    onSignedOut = noop, onSignedIn = noop, onOnline = noop, onPoll = noop, onAccess = reloadIfMoved,
  }) {
    Object.assign(this, { api, boardId, state, mode });
    // onOnline: the socket connected or the browser came back online (send now);
    // onPoll: every few seconds while the socket is down (send what is due, over REST).
    this.hooks = { onStatus, onPresence, onBoardError, onBoardMeta, onSignedOut, onSignedIn, onOnline, onPoll, onAccess };
    this.attempted = false;
    this.signedOut = false;
    this._listeners = []; // [name, fn]: other socket messages a page listens to (listen())
    this._joinAttempt = 0;
    this._catchingUp = false;
    this._firstRead = null; // the first snapshot over REST, while the socket connects (start())
    this._gapTimer = null;
    this._pollTimer = null;
    this.api.onSession = () => this._signedIn();
  }

  get connected() {
    return Boolean(this.socket && this.socket.connected);
  }

  /** 'connecting' | 'connected' | 'reconnecting' | 'offline' */
  get status() {
    if (isOffline() || this.signedOut) return 'offline';
    if (this.connected) return 'connected';
    return this.attempted ? 'reconnecting' : 'connecting';
  }

  /** Calls `fn(message)` for each socket message `name` (e.g. the workshop's `live` state). */
  listen(name, fn) {
    this._listeners.push([name, fn]);
    if (this.socket) this.socket.on(name, fn);
  }

  /** Hands `message` to the `listen(name)` listeners, as if it came over the socket (REST polling). */
  deliver(name, message) {
    for (const [listened, fn] of this._listeners) if (listened === name) fn(message);
  }

  start() {
    // A board's first snapshot comes over REST (gzipped, and already on its way: board.html
    // preloads it) while the socket connects; the join then asks only for what came after (`since`).
    if (this.state && !this.state.ready) this._firstRead = this.loadSnapshot().finally(() => (this._firstRead = null));
    const socket = io({ transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 5000, timeout: 10000 });
    this.socket = socket;
    for (const [name, fn] of this._listeners) socket.on(name, fn);
    socket.on('connect', () => {
      this.attempted = true;
      this.signedOut = false;
      this._stopPolling();
      if (this.state) this._joinBoard();
      this._status();
      this.hooks.onOnline();
    });
    socket.on('disconnect', (reason) => {
      this.attempted = true;
      this._status();
      this._startPolling();
      if (reason === 'io server disconnect') {
        // Closed on purpose (restart, or a frame too large): come back and catch up.
        setTimeout(() => !socket.connected && !this.signedOut && socket.connect(), 1000);
      }
    });
    socket.on('connect_error', async (err) => {
      this.attempted = true;
      this._status();
      this._startPolling();
      if (err && err.message === 'unauthorized') await this._renew();
      // The server could not reach its database: it refused this connection; try again a little later.
      else if (err && err.message === 'unavailable') {
        setTimeout(() => !socket.connected && !this.signedOut && socket.connect(), 2000 + Math.random() * 2000);
      }
    });
    socket.io.on('reconnect_attempt', () => {
      this.attempted = true;
      this._status();
    });
    socket.on('event', (event) => {
      if (this.state && event && event.board_id === this.boardId) this.state.receive(event);
    });
    socket.on('access', (message) => {
      // The server closes the connection right after this message (SYNC-15).
      const reason = message && message.reason;
      if (reason === 'removed' || reason === 'workshop_deleted') this._signOut();
      else this.hooks.onAccess(reason);
    });
    socket.on('presence', (message) => {
      if (message && message.board_id === this.boardId) this.hooks.onPresence(message.participants || []);
    });
    // The server's message queue is back after an outage: what other server processes sent meanwhile
    // never came; join again from lastSeq (docs/protocol.md, "Outages"), spread over a second.
    socket.on('sync:check', () => {
      if (this.state) setTimeout(() => this.connected && this._joinBoard(), Math.random() * 1000);
    });
    window.addEventListener('offline', () => this._status());
    window.addEventListener('online', () => {
      this._status();
      if (!socket.connected && !socket.active && !this.signedOut) socket.connect();
      this.hooks.onOnline();
    });
    // No live connection after a few seconds (WebSockets blocked, server busy): read over REST.
    setTimeout(() => {
      if (!socket.connected) {
        this.attempted = true;
        this._status();
        this._startPolling();
      }
      if (this.state && !this.state.ready) this.catchUp();
    }, SNAPSHOT_FALLBACK_MS);
    return this;
  }

  /** Sends an op; resolves to its result (never rejects). */
  send(op) {
    if (this.connected) {
      return new Promise((resolve) => {
        this.socket.timeout(OP_TIMEOUT_MS).emit('op', op, (err, result) => {
          if (err) resolve({ ok: false, error: { code: this.connected ? 'timeout' : 'network' } });
          else if (result && typeof result === 'object') resolve(result);
          else resolve({ ok: false, error: { code: 'unknown' } });
        });
      });
    }
    if (isOffline()) return Promise.resolve({ ok: false, error: { code: 'network' } });
    return this.api.sendOp(op);
  }

  /** Renews the session; 'ok' reconnects the socket, 'denied' signs out. */
  async _renew() {
    const outcome = await this.api.renew();
    if (outcome === 'denied') this._signOut();
    return outcome;
  }

  _signedIn() {
    const wasOut = this.signedOut;
    this.signedOut = false;
    if (this.socket && !this.socket.connected) this.socket.connect();
    else if (this.socket) this.socket.disconnect().connect(); // pick up the new cookie
    this._status();
    if (wasOut) this.hooks.onSignedIn();
  }

  _signOut() {
    this.signedOut = true;
    this._status();
    this.hooks.onSignedOut();
  }

  _status() {
    this.hooks.onStatus(this.status);
  }

  // ---- following a board ------------------------------------------------------------------

  async _joinBoard() {
    const attempt = ++this._joinAttempt;
    if (this._firstRead) await this._firstRead;
    if (attempt !== this._joinAttempt || !this.connected) return;
    const payload = { board_id: this.boardId };
    if (this.mode) payload.mode = this.mode;
    if (this.state.ready) payload.since = this.state.lastSeq;
    this.socket.timeout(JOIN_TIMEOUT_MS).emit('board:join', payload, (err, result) => {
      if (attempt !== this._joinAttempt) return;
      if (err) {
        if (this.connected) setTimeout(() => attempt === this._joinAttempt && this.connected && this._joinBoard(), 1000);
        return;
      }
      if (!result || !result.ok) {
        const error = (result && result.error) || { code: 'unknown' };
        if (error.code === 'unauthorized') this._renew();
        else this.hooks.onBoardError(error.code, error.message);
        return;
      }
      if (Array.isArray(result.cards)) {
        // The server's answer to this join: newer or not, it is the board as it is now.
        this._applySnapshot(result, { force: true });
      } else if (!this.state.applyCatchUp(result)) {
        this.catchUp();
      }
      this.hooks.onBoardError(null);
    });
  }

  _applySnapshot(snapshot, options) {
    if (this.state.applySnapshot(snapshot, options)) this.hooks.onBoardMeta(snapshot.board);
  }

  async _read(url) {
    let response = await this.api.getJson(url);
    if (response.status === 401 && (await this._renew()) === 'ok') response = await this.api.getJson(url);
    return response;
  }

  _readError(response) {
    const code = (response.body && response.body.error && response.body.error.code) || codeForStatus(response.status);
    if (code === 'not_found' || code === 'forbidden') this.hooks.onBoardError(code, response.body?.error?.message);
  }

  async loadSnapshot(options) {
    const response = await this._read(`/api/v1/boards/${encodeURIComponent(this.boardId)}`);
    if (response.ok && response.body && typeof response.body.seq === 'number') {
      this._applySnapshot(response.body, options);
      return true;
    }
    if (response.status) this._readError(response);
    return false;
  }

  /** Fetches what this client missed (events after lastSeq, or a snapshot). */
  async catchUp() {
    if (!this.state || this._catchingUp || this.signedOut) return false;
    this._catchingUp = true;
    try {
      if (!this.state.ready) return await this.loadSnapshot();
      for (let page = 0; page < 100; page += 1) {
        const since = this.state.lastSeq;
        const response = await this._read(`/api/v1/boards/${encodeURIComponent(this.boardId)}/events?since=${since}`);
        if (response.status === 410) return await this.loadSnapshot();
        if (!response.ok || !response.body || !Array.isArray(response.body.events)) {
          if (response.status) this._readError(response);
          return false;
        }
        if (typeof response.body.seq === 'number' && response.body.seq < since) {
          // The board is behind us (restored from a backup?): its snapshot is the truth.
          return await this.loadSnapshot({ force: true });
        }
        const complete = this.state.applyCatchUp(response.body);
        if (complete && !response.body.has_more) return true;
        if (this.state.lastSeq === since) return await this.loadSnapshot(); // no progress
      }
      return false;
    } finally {
      this._catchingUp = false;
    }
  }

  scheduleGapFill() {
    if (this._gapTimer) return;
    this._gapTimer = setTimeout(async () => {
      this._gapTimer = null;
      if (!this.state.hasGap()) return;
      await this.catchUp();
      if (this.state.hasGap()) this.scheduleGapFill();
    }, GAP_GRACE_MS);
  }

  cancelGapFill() {
    clearTimeout(this._gapTimer);
    this._gapTimer = null;
  }

  // While the socket is down, keep the board fresh over REST and let the outbox try again.
  _startPolling() {
    if (this._pollTimer) return;
    this._pollTimer = setInterval(() => {
      if (this.connected || this.signedOut || isOffline()) return;
      if (this.state) this.catchUp();
      this.hooks.onPoll();
    }, POLL_MS);
  }

  _stopPolling() {
    clearInterval(this._pollTimer);
    this._pollTimer = null;
  }
}

