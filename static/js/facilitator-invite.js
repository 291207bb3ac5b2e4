// Accepting a co-facilitator invitation: the token comes in the link's fragment (never sent in a
// URL, wiped from the address bar at once); the page shows what it is for, then creates the account.

import { $ } from './ui.js';
import { API, busy, call, errorBox, fill, t } from './facilitator-api.js';

const form = $('invite-form');
const lead = $('invite-lead');
const showError = errorBox($('invite-error'));
const name = $('invite-name');
const password = $('invite-password');
const confirm = $('invite-confirm');
const submit = $('invite-submit');
const label = $('invite-submit-label');
const MIN = 10;

// Kept for this tab only, so that switching the language or reloading still finds it.
const KEY = 'collab-invitation';
const fromLink = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') || '';
if (fromLink) {
  try {
    sessionStorage.setItem(KEY, fromLink);
  } catch {
    // Storage refused (private mode): the link works once, as it is.
  }
}
let token = fromLink;
if (!token) {
  try {
    token = sessionStorage.getItem(KEY) || '';
  } catch {
    token = '';
  }
}
history.replaceState(history.state, '', window.location.pathname + window.location.search);

function invalid(input, message) {
  input.setAttribute('aria-invalid', 'true');
  showError(message);
  input.focus();
}

async function inspect() {
  if (!token) {
    lead.textContent = '';
    showError(t.invalid_link);
    return;
  }
  const result = await call('POST', `${API}/invitations/inspect`, { token });
  if (!result.ok) {
    lead.textContent = '';
    showError(result.code === 'not_found' ? t.invalid_link : result.message);
    return;
  }
  lead.textContent = fill(t.for_workshop, { title: result.body.workshop.title });
  $('invite-email').value = result.body.email;
  if (result.body.account_exists) {
    showError(t.account_exists);
    return;
  }
  form.hidden = false;
  name.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  showError('');
  for (const input of [name, password, confirm]) input.removeAttribute('aria-invalid');
  if (!name.value.trim()) return invalid(name, t.name_required);
  if (password.value.length < MIN) return invalid(password, t.too_short);
  if (password.value !== confirm.value) return invalid(confirm, t.mismatch);
  busy(submit, label, true, t.creating, t.create);
  const result = await call('POST', `${API}/invitations/accept`, {
    token,
    name: name.value.trim(),
    password: password.value,
  });
  if (result.ok) {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // nothing kept
    }
    window.location.assign('/facilitator/');
    return;
  }
  busy(submit, label, false, t.creating, t.create);
  showError(result.message);
});

inspect();
