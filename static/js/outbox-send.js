// The sending half of the outbox (outbox.js): one item at a time, oldest first; the photo before
// its note; the same op_id on every try, so the server's de-duplication (SYNC-4) makes a retry
// after a lost answer harmless; backoff on network trouble; an expired session renewed once.
// A kept note (the capture screen's) refused because its board is locked is held, not failed: it
// waits for the board to reopen (Outbox.reopen) and goes again then, by itself, with its op_id.
// DOM-free (node:test covers it through outbox.test.js).

import { RETRYABLE, backoff, uuid4 } from './sync.js';

export const WAITING = 'waiting';
export const SENDING = 'sending';
export const SENT = 'sent';
export const FAILED = 'failed';
export const HELD = 'held'; // refused with `locked`: waits for the board to reopen

const MAX_INTERNAL_RETRIES = 5;
const LOCK_RETRY_MS = 2000;

const noop = () => {};
export const cardIdOf = (item) => (item && item.op && item.op.data && item.op.data.id) || null;
export const unsent = (item) => item.state === WAITING || item.state === SENDING;

export class OutboxSender {
  /**
   * transport: {send(op), upload(media), isOnline?()} returning op results
   *   ({ok: true, seq, event} | {ok: false, error: {code, message}, retryAfter}).
   * auth: {refresh()} -> 'ok' | 'denied' | 'network', to renew an expired session.
   * lock(fn): runs fn when this tab may send (Web Locks), resolves false when another tab is.
   * notify(): tells other tabs the store changed (they call refresh()).
   */
  constructor({
    store, owner, transport, auth = null, lock = null, notify = noop,
    onChange = noop, onAck = noop, onFail = noop, onSignedOut = noop,
    now = () => new Date(), random = Math.random, timers = globalThis,
  }) {
    Object.assign(this, { store, owner, transport, auth, lock, notify, now, random, timers });
    this.hooks = { onChange, onAck, onFail, onSignedOut };
    this.items = [];
    this.signedOut = false;
    this._timer = null;
    this._pumping = null;
    this._again = false;
  }

  // ---- sending --------------------------------------------------------------------------------

  /** Sends now: the network is back, the socket connected, or the user asked. */
  kick() {
    this._urgent = true;
    if (this._timer) {
      this.timers.clearTimeout(this._timer);
      this._timer = null;
    }
    return this.pump();
  }

  /** Starts sending unless already busy; resolves when this round is done. */
  pump() {
    if (this._pumping) {
      this._again = true;
      return this._pumping;
    }
    this._pumping = (async () => {
      try {
        do {
          this._again = false;
          this._urgent = false;
          const ran = this.lock ? await this.lock(() => this._drain()) : await this._drain();
          if (ran === false) this._wait(LOCK_RETRY_MS); // another tab is sending: look again soon
          if (this._urgent && this._timer) {
            // kick() came while a doomed attempt was in flight (the network just came back).
            this.timers.clearTimeout(this._timer);
            this._timer = null;
            this._again = true;
          }
        } while (this._again && !this._timer && !this.signedOut);
      } finally {
        this._pumping = null;
      }
    })();
    return this._pumping;
  }

  /** Resolves when the current round of sending is over. */
  idle() {
    return this._pumping || Promise.resolve();
  }

  /** Resumes after signing in again (the page got a fresh session). */
  resume() {
    this.signedOut = false;
    return this.kick();
  }

  async _drain() {
    let reauthed = false;
    for (;;) {
      if (this.signedOut || this._timer) return true;
      if (this.transport.isOnline && !this.transport.isOnline()) return true; // 'online' kicks us
      await this._reload();
      const item = this._next();
      if (!item) return true;
      const outcome = await this._sendOne(item, reauthed);
      reauthed = outcome === 'reauthed';
      if (outcome === 'stop') return true;
    }
  }

  /**
   * The oldest unsent item whose card has no earlier failed op (that one waits for the user) nor
   * held op (that one waits for its board to reopen).
   */
  _next() {
    const blocked = new Set();
    for (const item of this.items) {
      if (item.state === FAILED || item.state === HELD) blocked.add(cardIdOf(item));
      else if (unsent(item) && !blocked.has(cardIdOf(item))) return item;
    }
    return null;
  }

  async _sendOne(item, reauthed) {
    let current = await this._set(item.seq, (i) => (unsent(i) ? { ...i, state: SENDING } : undefined));
    if (!current || current.state !== SENDING) return 'next';
    if (current.media && !current.media.uploaded) {
      const result = await attempt(() => this.transport.upload(current.media));
      if (!result.ok) return this._failed(current, result, 'media', reauthed);
      current = await this._set(item.seq, (i) => ({ ...i, media: { ...i.media, uploaded: true } }));
      if (!current) return 'next';
    }
    current = await this._set(item.seq, (i) => ({ ...i, tried: true }));
    if (!current) return 'next';
    const result = await attempt(() => this.transport.send(current.op));
    if (!result.ok) return this._failed(current, result, 'op', reauthed);
    const sentAt = this.now().toISOString();
    await this.store.update(item.seq, (i) =>
      i.keep
        ? { ...i, state: SENT, sent_at: sentAt, error: null, attempts: 0, media: i.media ? { ...i.media, data: null } : null }
        : null,
    );
    await this._reload();
    this._changed();
    this.hooks.onAck(current, result);
    return 'next';
  }

  async _failed(item, result, stage, reauthed) {
    const error = { ...((result && result.error) || {}), stage };
    const code = error.code || 'unknown';
    if (code === 'unauthorized' && this.auth && !reauthed) {
      const renewed = await attempt(() => this.auth.refresh(), 'network');
      if (renewed === 'ok') {
        await this._set(item.seq, (i) => ({ ...i, state: WAITING }));
        return 'reauthed'; // the same item again, at once
      }
      if (renewed !== 'network') return this._signOut(item);
    } else if (code === 'unauthorized') {
      return this._signOut(item);
    }
    if (stage === 'op' && code === 'invalid' && item.op.data && item.op.data.visit_id && !item.visit_dropped) {
      // The visit left the agenda while we were offline: keep the note, without its visit. The op
      // was refused (nothing applied), so a new op_id is safe.
      await this._set(item.seq, (i) => {
        const data = { ...i.op.data };
        delete data.visit_id;
        const note = i.note ? { ...i.note, visit_id: null } : i.note;
        if (i.op.type === 'card.update' && Object.keys(data).length === 1) return null;
        return { ...i, note, visit_dropped: true, state: WAITING, op: { ...i.op, op_id: uuid4(), data } };
      });
      return 'next';
    }
    const attempts = (item.attempts || 0) + 1;
    if (code === 'locked' && this._holdable(item)) {
      // Nothing was applied (SYNC-4 answers a replay before the lock): it goes again on reopen.
      await this._set(item.seq, (i) => (i.state === SENDING ? { ...i, state: HELD, attempts, error } : undefined));
      return 'next';
    }
    const retry = (RETRYABLE.has(code) || code === 'unauthorized') && !(code === 'internal' && attempts > MAX_INTERNAL_RETRIES);
    if (retry) {
      await this._set(item.seq, (i) => ({ ...i, state: WAITING, attempts, error }));
      this._wait(Math.max(backoff(attempts - 1, this.random), (Number(result.retryAfter) || 0) * 1000));
      return 'stop';
    }
    const failed = await this._set(item.seq, (i) => ({ ...i, state: FAILED, attempts, error }));
    if (failed) this.hooks.onFail(failed, error);
    return 'next';
  }

  /** A kept note, or a later op of a kept note's card (an edit, a deletion): they wait for a lock. */
  _holdable(item) {
    const id = cardIdOf(item);
    return Boolean(item.keep || (id && this.items.some((i) => i.keep && cardIdOf(i) === id)));
  }

  async _signOut(item) {
    await this._set(item.seq, (i) => ({ ...i, state: WAITING }));
    this.signedOut = true;
    this.hooks.onSignedOut();
    return 'stop';
  }

  _wait(ms) {
    if (this._timer) this.timers.clearTimeout(this._timer);
    this._timer = this.timers.setTimeout(() => {
      this._timer = null;
      this.pump();
    }, ms);
  }

  async _set(seq, fn) {
    const item = await this.store.update(seq, fn);
    await this._reload();
    this._changed();
    return item;
  }

  async _reload() {
    this.items = await this.store.list(this.owner);
  }

  _changed(broadcast = true) {
    if (broadcast) this.notify();
    this.hooks.onChange(this.items);
  }
}

async function attempt(fn, fallback = { ok: false, error: { code: 'network' } }) {
  try {
    const result = await fn();
    return result == null ? fallback : result;
  } catch {
    return fallback;
  }
}
