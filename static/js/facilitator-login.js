// Facilitator sign-in: POST /api/v1/facilitator/login, then the page asked for (or the console).
// (While the instance has no account at all, the server sends this page's visitors to /facilitator/setup.)

import { $ } from './ui.js';
import { API, busy, call, errorBox, t } from './facilitator-api.js';

const form = $('login-form');
const email = $('email');
const password = $('password');
const submit = $('login-submit');
const label = $('login-submit-label');
const toggle = $('password-toggle');
const showError = errorBox($('login-error'));
let sending = false;

function invalid(input, message) {
  showError(message);
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (sending) return;
  showError('');
  email.removeAttribute('aria-invalid');
  password.removeAttribute('aria-invalid');
  if (!email.value.trim()) return invalid(email, t.email_required);
  if (!password.value) return invalid(password, t.password_required);
  sending = true;
  busy(submit, label, true, t.signing_in, t.sign_in);
  const result = await call('POST', `${API}/login`, { email: email.value.trim(), password: password.value });
  if (result.ok) {
    // A printed claim link keeps its key (the fragment) through this page.
    const next = form.dataset.next || '/facilitator/';
    window.location.assign(next.startsWith('/facilitator/claim') ? next + window.location.hash : next);
    return;
  }
  sending = false;
  busy(submit, label, false, t.signing_in, t.sign_in);
  if (result.code === 'unauthorized') {
    invalid(password, t.wrong);
    password.select();
  } else {
    showError(result.message);
  }
});

for (const input of [email, password]) {
  input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
}

toggle.addEventListener('click', () => {
  const show = password.type === 'password';
  password.type = show ? 'text' : 'password';
  toggle.textContent = show ? t.hide : t.show;
  password.focus();
});

window.addEventListener('pageshow', (event) => {
  if (event.persisted) {
    sending = false;
    busy(submit, label, false, t.signing_in, t.sign_in);
  }
});

if (window.matchMedia('(hover: hover)').matches) email.focus();
