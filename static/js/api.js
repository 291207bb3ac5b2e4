// REST calls of docs/protocol.md, as op results ({ok: true, …} or {ok: false, error: {code}}):
// JSON reads, ops, photo uploads. Writes carry the CSRF token; a 403 refreshes it once (a page
// served from the offline cache may hold an old one). An expired session is renewed with the
// participant's token, kept in IndexedDB since joining (POST /api/v1/session).

import { tokenKey } from './outbox-store.js';

const OP_TIMEOUT_MS = 15000;
const READ_TIMEOUT_MS = 15000;

export function codeForStatus(status) {
  if (status === 400) return 'invalid';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 410) return 'gone';
  if (status === 413) return 'too_large';
  if (status === 423) return 'locked';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'internal';
  return status ? 'unknown' : 'network';
}

export class Api {
  constructor({ csrf = '', participantId = null, store = null, onSession = () => {} } = {}) {
    this.csrf = csrf;
    this.participantId = participantId;
    this.store = store;
    this.onSession = onSession;
    this._renewing = null;
  }

  /** fetch with a deadline; resolves to {ok, status, body, retryAfter} (status 0: no answer). */
  async request(method, url, { json, form, timeout = READ_TIMEOUT_MS, write = method !== 'GET' } = {}) {
    const headers = { Accept: 'application/json' };
    if (write) headers['X-CSRFToken'] = this.csrf;
    let body;
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (form) {
      body = form;
    }
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), timeout) : null;
    let response;
    try {
      response = await fetch(url, { method, credentials: 'same-origin', headers, body, signal: controller?.signal });
    } catch (err) {
      clearTimeout(timer);
      return { ok: false, status: 0, body: null, timedOut: err && err.name === 'AbortError' };
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    } finally {
      clearTimeout(timer);
    }
    const retryAfter = Number(response.headers.get('Retry-After')) || 0;
    return { ok: response.ok, status: response.status, body: data, retryAfter };
  }

  /** A write; a CSRF refusal gets one fresh token and one more try. */
  async write(method, url, options) {
    let response = await this.request(method, url, options);
    if (response.status === 403 && (await this.refreshCsrf())) response = await this.request(method, url, options);
    return response;
  }

  getJson(url) {
    return this.request('GET', url);
  }

  async sendOp(op) {
    const url = `/api/v1/boards/${encodeURIComponent(op.board_id)}/ops`;
    return asResult(await this.write('POST', url, { json: op, timeout: OP_TIMEOUT_MS }));
  }

  /** POST /api/v1/media with the client's id: a retried upload is stored once. */
  async upload(media) {
    const size = media.data ? media.data.byteLength || 0 : 0;
    const form = () => {
      const data = new FormData();
      data.append('id', media.id);
      data.append('file', new Blob([media.data], { type: media.type || 'image/jpeg' }), media.name || 'photo.jpg');
      return data;
    };
    // One bar of signal: allow ~20 kB/s on top of the usual deadline.
    const timeout = OP_TIMEOUT_MS + Math.round(size / 20);
    let response = await this.request('POST', '/api/v1/media', { form: form(), timeout });
    if (response.status === 403 && (await this.refreshCsrf())) {
      response = await this.request('POST', '/api/v1/media', { form: form(), timeout });
    }
    if (response.ok && response.body && response.body.id) return { ok: true, media: response.body };
    return asResult(response);
  }

  /** GET /api/v1/me for a fresh CSRF token; renews the session if it expired. */
  async refreshCsrf() {
    let response = await this.request('GET', '/api/v1/me');
    if (response.status === 401 && (await this.renew()) === 'ok') return true;
    if (!response.ok || !response.body || !response.body.csrf_token) return false;
    this.csrf = response.body.csrf_token;
    return true;
  }

  /**
   * Trades the stored token for a new session cookie and CSRF token. Resolves to 'ok', 'denied'
   * (no token, or the server refuses it: the person has to join again) or 'network'.
   */
  renew() {
    if (!this._renewing) {
      this._renewing = this._renew().finally(() => {
        this._renewing = null;
      });
    }
    return this._renewing;
  }

  async _renew() {
    let saved = null;
    try {
      saved = this.store && this.participantId ? await this.store.kvGet(tokenKey(this.participantId)) : null;
    } catch {
      saved = null;
    }
    if (!saved || !saved.token) return 'denied';
    const response = await this.request('POST', '/api/v1/session', { json: { token: saved.token }, write: false });
    if (response.ok && response.body && response.body.participant) {
      if (response.body.participant.id !== this.participantId) return 'denied';
      this.csrf = response.body.csrf_token || this.csrf;
      this.onSession(response.body);
      return 'ok';
    }
    if (response.status === 0 || response.status === 429 || response.status >= 500) return 'network';
    return 'denied';
  }
}

/** An HTTP answer as an op result. */
export function asResult(response) {
  const { body, status } = response;
  if (response.ok && body && body.ok) return body;
  if (status === 0) return { ok: false, error: { code: response.timedOut ? 'timeout' : 'network' } };
  const error = body && body.error && body.error.code ? body.error : { code: codeForStatus(status) };
  return { ok: false, error, retryAfter: response.retryAfter || 0 };
}
