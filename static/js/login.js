// Sign-in page: trade an access key (token) for the session cookie with POST /api/v1/session,
// then go to `/`, which sends the person to their board (docs/protocol.md).
//
// A facilitator link `/login#token=…` signs in directly: the key is read from the fragment (never
// sent to the server in the URL, never in the Referer) and the fragment is wiped from the address
// bar and history at once.

import { readJson } from './ui.js';

const t = readJson('i18n');
const form = document.getElementById('login-form');
const input = document.getElementById('token');
const toggle = document.getElementById('token-toggle');
const submit = document.getElementById('login-submit');
const submitLabel = document.getElementById('login-submit-label');
const errorBox = document.getElementById('login-error');
const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
const MAX_TOKEN = 200; // the server refuses longer keys

let busy = false;

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  errorBox.scrollIntoView({ block: 'nearest' });
}

function clearError() {
  errorBox.hidden = true;
  errorBox.textContent = '';
  input.removeAttribute('aria-invalid');
}

function setBusy(value) {
  busy = value;
  submit.disabled = value;
  submit.classList.toggle('is-loading', value);
  submit.setAttribute('aria-busy', value ? 'true' : 'false');
  submitLabel.textContent = value ? t.signing_in : t.sign_in;
}

// People paste what they have: the bare key, the key with spaces or line breaks around it, or
// the whole facilitator link. Keep only the key.
function cleanKey(raw) {
  const text = (raw || '').trim();
  const inLink = /[#?&]token=([^&\s#]+)/.exec(text);
  if (inLink) {
    try {
      return decodeURIComponent(inLink[1]);
    } catch {
      return inLink[1];
    }
  }
  return text.replace(/\s+/g, '');
}

function messageFor(status, body) {
  const code = body && body.error && body.error.code;
  if (status === 401 || code === 'unauthorized') return t.unauthorized;
  if (status === 400 || code === 'invalid') return t.required;
  if (status === 429 || code === 'rate_limited') return t.rate_limited;
  if (status >= 500) return t.internal;
  return (body && body.error && body.error.message) || t.unknown;
}

async function signIn() {
  if (busy) return;
  clearError();
  const token = cleanKey(input.value);
  if (!token) {
    showError(t.required);
    input.focus();
    return;
  }
  if (token.length > MAX_TOKEN) {
    showError(t.unauthorized);
    input.focus();
    return;
  }
  input.value = token;
  setBusy(true);
  let response;
  try {
    response = await fetch('/api/v1/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRFToken': csrf,
      },
      body: JSON.stringify({ token }),
    });
  } catch {
    setBusy(false);
    showError(t.network);
    return;
  }
  let result = null;
  try {
    result = await response.json();
  } catch {
    result = null;
  }
  if (!response.ok || !result || !result.participant) {
    setBusy(false);
    showError(messageFor(response.status, result));
    input.focus();
    input.select();
    return;
  }
  // Keep the button busy: `/` redirects to the person's board.
  window.location.assign('/');
}

// The key from a link's fragment, then the fragment gone (replaceState: no new history entry).
function keyFromFragment() {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash) return '';
  const key = new URLSearchParams(hash).get('token') || '';
  history.replaceState(history.state, '', window.location.pathname + window.location.search);
  return key.trim();
}

function setVisible(visible) {
  input.type = visible ? 'text' : 'password';
  toggle.textContent = visible ? t.hide : t.show;
}

if (form) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    signIn();
  });
  input.addEventListener('input', () => {
    if (!errorBox.hidden) clearError();
  });
  toggle.addEventListener('click', () => {
    setVisible(input.type === 'password');
    input.focus();
  });
  // Back/forward cache: a page restored after navigating away must not stay busy.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) setBusy(false);
  });
  // Nor keep the key in a page kept for "back".
  window.addEventListener('pagehide', () => {
    input.value = '';
    setVisible(false);
  });
  // A link pasted into the address bar of this very page only changes the fragment.
  window.addEventListener('hashchange', () => {
    const key = keyFromFragment();
    if (!key) return;
    input.value = key;
    signIn();
  });

  const fromLink = keyFromFragment();
  if (fromLink) {
    input.value = fromLink;
    signIn();
  } else if (window.matchMedia('(hover: hover)').matches) {
    input.focus();
  }
}
