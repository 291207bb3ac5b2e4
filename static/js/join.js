// Join page: POST /api/v1/join, then go to the participant's group board.
// Data comes from <script type="application/json"> blocks (strict CSP: no inline scripts).
// The token from joining is kept in IndexedDB: if the session cookie is lost while notes wait in
// the outbox, the pages trade it for a new session (POST /api/v1/session) instead of losing them.

import { openStore, tokenKey } from './outbox-store.js';
import { readJson } from './ui.js';

const data = readJson('join-data');
const t = readJson('i18n');
const form = document.getElementById('join-form');
const nameInput = document.getElementById('name');
const submit = document.getElementById('join-submit');
const submitLabel = document.getElementById('join-submit-label');
const errorBox = document.getElementById('join-error');
const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
const NAME_KEY = 'collab:name';
const MAX_NAME = 60;

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  errorBox.scrollIntoView({ block: 'nearest' });
}

function clearError() {
  errorBox.hidden = true;
  errorBox.textContent = '';
  nameInput.removeAttribute('aria-invalid');
}

function setBusy(busy) {
  submit.disabled = busy;
  submit.classList.toggle('is-loading', busy);
  submit.setAttribute('aria-busy', busy ? 'true' : 'false');
  submitLabel.textContent = busy ? t.joining : t.join;
}

function remember(name) {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Private mode or storage disabled: not important.
  }
}

function recall() {
  try {
    return localStorage.getItem(NAME_KEY) || '';
  } catch {
    return '';
  }
}

/** Keeps the token on this device; gives up after a moment rather than hold the person back. */
async function keepToken(result) {
  const participant = result.participant || {};
  if (!result.token || !participant.id) return;
  const save = openStore().then((store) =>
    store.kvSet(tokenKey(participant.id), {
      token: result.token,
      participant_id: participant.id,
      workshop_id: (result.workshop && result.workshop.id) || null,
      saved_at: new Date().toISOString(),
    }),
  );
  await Promise.race([save.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000))]);
}

function boardUrl(result) {
  const participant = result.participant || {};
  const groups = (result.workshop && result.workshop.groups) || data.groups || [];
  const mine = groups.find((g) => g.id === participant.group_id) || groups[0];
  if (mine && mine.board_id) return `/b/${encodeURIComponent(mine.board_id)}`;
  return '/';
}

function messageFor(status, body) {
  const code = body && body.error && body.error.code;
  if (status === 404 || code === 'not_found') return t.not_found;
  if (status === 429 || code === 'rate_limited') return t.rate_limited;
  if (status === 400 || code === 'invalid') {
    // The server's message says what exactly is wrong, in the workshop's language.
    return (body && body.error && body.error.message) || t.invalid;
  }
  if (status >= 500) return t.internal;
  return (body && body.error && body.error.message) || t.unknown;
}

async function join(event) {
  event.preventDefault();
  clearError();
  const name = nameInput.value.trim();
  if (!name) {
    nameInput.setAttribute('aria-invalid', 'true');
    showError(t.name_required);
    nameInput.focus();
    return;
  }
  if ([...name].length > MAX_NAME) {
    nameInput.setAttribute('aria-invalid', 'true');
    showError(t.name_too_long);
    nameInput.focus();
    return;
  }
  const picked = form.querySelector('input[name="group"]:checked');
  const body = { code: data.code || form.elements.code.value, name };
  if (picked && picked.value) body.group = picked.value;

  setBusy(true);
  let response;
  try {
    response = await fetch('/api/v1/join', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRFToken': csrf,
      },
      body: JSON.stringify(body),
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
    return;
  }
  remember(name);
  await keepToken(result);
  // Keep the button busy: the next page is loading.
  window.location.assign(boardUrl(result));
}

if (form) {
  if (!nameInput.value) nameInput.value = recall();
  form.addEventListener('submit', join);
  nameInput.addEventListener('input', () => {
    if (!errorBox.hidden) clearError();
  });
  // The name field comes first; on a phone, don't pop the keyboard over the groups if it's filled.
  if (!nameInput.value && window.matchMedia('(hover: hover)').matches) nameInput.focus();
  // Back/forward cache: a page restored after navigating away must not stay busy.
  window.addEventListener('pageshow', () => setBusy(false));
}
