// Password change: POST /api/v1/facilitator/password (other sessions of the account end).

import { $ } from './ui.js';
import { API, busy, call, errorBox, setCsrf, t } from './facilitator-api.js';

const form = $('password-form');
const current = $('current-password');
const fresh = $('new-password');
const again = $('confirm-password');
const submit = $('password-submit');
const label = $('password-submit-label');
const showError = errorBox($('password-error'));
const ok = $('password-ok');
const MIN = 10;

function invalid(input, message) {
  input.setAttribute('aria-invalid', 'true');
  showError(message);
  input.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  showError('');
  ok.hidden = true;
  for (const input of [current, fresh, again]) input.removeAttribute('aria-invalid');
  if (!current.value) return invalid(current, t.current_required);
  if (fresh.value.length < MIN) return invalid(fresh, t.too_short);
  if (fresh.value !== again.value) return invalid(again, t.mismatch);
  busy(submit, label, true, t.saving, t.save);
  const result = await call('POST', `${API}/password`, { current: current.value, new: fresh.value });
  busy(submit, label, false, t.saving, t.save);
  if (!result.ok) {
    if (result.code === 'forbidden') invalid(current, t.wrong_current);
    else showError(result.message);
    return;
  }
  setCsrf(result.body.csrf_token);
  form.reset();
  ok.textContent = t.changed;
  ok.hidden = false;
});
