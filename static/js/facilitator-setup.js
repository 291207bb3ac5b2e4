// First run: the instance's first facilitator account (POST /api/v1/facilitator/setup), then the
// console. The setup key comes in the printed link's fragment (never sent in a URL, wiped from the
// address bar at once); without it the page asks for it.

import { $ } from './ui.js';
import { API, busy, call, errorBox, t } from './facilitator-api.js';

const form = $('setup-form');
const keyField = $('setup-key-field');
const keyInput = $('setup-key');
const name = $('setup-name');
const email = $('setup-email');
const password = $('setup-password');
const confirm = $('setup-confirm');
const submit = $('setup-submit');
const label = $('setup-submit-label');
const showError = errorBox($('setup-error'));
const MIN = Number(form.dataset.min) || 10;

// Kept for this tab only, so that switching the language or reloading still finds it.
const STORE = 'collab-setup-key';
const fromLink = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('key') || '';
let key = fromLink.trim();
try {
  if (key) sessionStorage.setItem(STORE, key);
  else key = sessionStorage.getItem(STORE) || '';
} catch {
  // Storage refused (private mode): the link works once, as it is.
}
history.replaceState(history.state, '', window.location.pathname + window.location.search);
keyField.hidden = Boolean(key);
let sending = false;

function invalid(input, message) {
  input.setAttribute('aria-invalid', 'true');
  showError(message);
  input.focus();
}

// People paste the key, or the whole printed link.
function cleanKey(raw) {
  const text = (raw || '').trim();
  const inLink = /[#&]key=([^&\s#]+)/.exec(text);
  return (inLink ? inLink[1] : text).replace(/\s+/g, '');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (sending) return;
  showError('');
  for (const input of [keyInput, name, email, password, confirm]) input.removeAttribute('aria-invalid');
  const typedKey = key || cleanKey(keyInput.value);
  if (!typedKey) return invalid(keyInput, t.key_required);
  if (!name.value.trim()) return invalid(name, t.name_required);
  if (!email.value.trim()) return invalid(email, t.email_required);
  if (password.value.length < MIN) return invalid(password, t.too_short);
  if (password.value !== confirm.value) return invalid(confirm, t.mismatch);
  sending = true;
  busy(submit, label, true, t.creating, t.create);
  const body = { key: typedKey, name: name.value.trim(), email: email.value.trim(), password: password.value };
  if (form.dataset.next) body.next = form.dataset.next;
  const result = await call('POST', `${API}/setup`, body);
  if (result.ok) {
    try {
      sessionStorage.removeItem(STORE);
    } catch {
      // nothing kept
    }
    window.location.assign(result.body.next || '/facilitator/');
    return;
  }
  sending = false;
  busy(submit, label, false, t.creating, t.create);
  if (result.code === 'not_found') {
    // An account was made meanwhile: the sign-in page takes over.
    window.location.assign('/facilitator/login');
    return;
  }
  if (result.code === 'invalid' && result.body?.error?.field === 'key' && key) {
    // The key from the link was wrong: let the person paste it.
    key = '';
    keyField.hidden = false;
  }
  showError(result.message);
});

for (const input of [keyInput, name, email, password, confirm]) {
  input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
}

window.addEventListener('pageshow', (event) => {
  if (event.persisted) {
    sending = false;
    busy(submit, label, false, t.creating, t.create);
  }
});

if (window.matchMedia('(hover: hover)').matches) (key ? name : keyInput).focus();
