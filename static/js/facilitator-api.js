// The facilitator console's calls to /api/v1/facilitator (docs/protocol.md, "Facilitator console"):
// JSON in and out, the CSRF token on writes (one fresh token and one retry after a 403), errors as
// messages a person can act on. Also the console's shared page bits: toasts, sign-out, busy buttons.

import { formatTime } from './time.js';
import { $, announcer, readJson, toaster } from './ui.js';

export const API = '/api/v1/facilitator';
export const t = readJson('i18n-facilitator');

const STATUS_CODES = { 400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 429: 'rate_limited' };

function codeForStatus(status) {
  return STATUS_CODES[status] || (status >= 500 ? 'internal' : 'unknown');
}

let csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
const TIMEOUT_MS = 20000;

async function send(method, url, json) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRFToken'] = csrf;
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: controller.signal,
    });
  } catch {
    clearTimeout(timer);
    return { ok: false, status: 0, body: null, code: 'network', message: t.network };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  } finally {
    clearTimeout(timer);
  }
  if (response.ok) return { ok: true, status: response.status, body };
  const error = (body && body.error) || {};
  const code = error.code || codeForStatus(response.status);
  return { ok: false, status: response.status, body, code, message: error.message || t[code] || t.unknown };
}

/** One call; resolves to {ok, status, body} or {ok: false, code, message} (never rejects). */
export async function call(method, url, json) {
  let result = await send(method, url, json);
  if (!result.ok && result.status === 403 && method !== 'GET' && (await refreshCsrf())) {
    result = await send(method, url, json);
  }
  if (!result.ok && result.code === 'unauthorized' && !url.endsWith('/login')) {
    // The session ended (signed out elsewhere, password changed): back to the sign-in page.
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.setTimeout(() => window.location.assign(`/facilitator/login?next=${next}`), 1500);
  }
  return result;
}

export function setCsrf(token) {
  if (token) csrf = token;
}

async function refreshCsrf() {
  const result = await send('GET', `${API}/me`);
  if (!result.ok || !result.body || !result.body.csrf_token) return false;
  csrf = result.body.csrf_token;
  return true;
}

/** "{name} moved" with values filled in. */
export function fill(template, values = {}) {
  return String(template || '').replace(/\{(\w+)\}/g, (_, key) => (key in values ? String(values[key]) : `{${key}}`));
}

/** A submit button's busy state: spinner, disabled, label. */
export function busy(button, labelEl, on, busyLabel, idleLabel) {
  button.disabled = on;
  button.classList.toggle('is-loading', on);
  button.setAttribute('aria-busy', on ? 'true' : 'false');
  if (labelEl) labelEl.textContent = on ? busyLabel : idleLabel;
}

/** An error box next to a form: show(message) / show('') hides it. */
export function errorBox(el) {
  return (message) => {
    el.textContent = message || '';
    el.hidden = !message;
    if (message) el.scrollIntoView({ block: 'nearest' });
  };
}

export const toast = toaster($('toasts') || document.body, t.close);
export const announce = announcer($('announcer') || document.createElement('div'));

/** Formats ISO dates ("2030-11-16") as "16 nov. 2030" in the page's language. */
export function dayFormatter() {
  const lang = document.documentElement.lang || 'fr';
  // A calendar date, not a moment: read and written at midnight UTC, whatever the zones.
  return (iso) => (iso ? formatTime(`${iso}T00:00:00Z`, { day: 'numeric', month: 'short', year: 'numeric' }, lang, 'UTC') : '');
}

/** "16–20 nov. 2030" style range, or one day. */
export function dateRange(starts, ends) {
  const day = dayFormatter();
  if (!starts) return '';
  if (!ends || ends === starts) return day(starts);
  return `${day(starts)} – ${day(ends)}`;
}

// Sign-out button of the console bar.
const logout = $('console-logout');
if (logout) {
  logout.addEventListener('click', async () => {
    logout.disabled = true;
    logout.textContent = t.signing_out;
    await call('POST', `${API}/logout`, {});
    window.location.assign('/facilitator/login');
  });
}

// Dates rendered by the server as ISO become readable.
for (const el of document.querySelectorAll('.ws-dates[data-starts]')) {
  if (el.dataset.starts) el.textContent = dateRange(el.dataset.starts, el.dataset.ends);
}

/** Asks a yes/no question in the page's <dialog id="confirm-dialog">; resolves to true for yes. */
export function confirmDialog(text, yesLabel) {
  const dialog = $('confirm-dialog');
  if (!dialog) return Promise.resolve(false);
  $('confirm-text').textContent = text;
  $('confirm-yes').textContent = yesLabel;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        resolve(dialog.returnValue === 'ok');
        if (opener && opener.isConnected) opener.focus();
      },
      { once: true },
    );
    dialog.returnValue = '';
    dialog.showModal();
    $('confirm-no').focus();
  });
}
