// The console's home: create a workshop, or take over one made on the command line.

import { $ } from './ui.js';
import { API, busy, call, errorBox, t } from './facilitator-api.js';

const form = $('new-workshop');
const title = $('new-title-input');
const starts = $('new-starts');
const ends = $('new-ends');
const submit = $('new-submit');
const label = $('new-submit-label');
const showError = errorBox($('new-error'));

function openForm(event) {
  event.preventDefault();
  form.scrollIntoView({ block: 'start', behavior: 'smooth' });
  title.focus({ preventScroll: true });
}

$('jump-to-new').addEventListener('click', openForm);

starts.addEventListener('change', () => {
  if (starts.value && (!ends.value || ends.value < starts.value)) ends.value = starts.value;
  ends.min = starts.value;
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (submit.disabled) return;
  showError('');
  title.removeAttribute('aria-invalid');
  if (!title.value.trim()) {
    title.setAttribute('aria-invalid', 'true');
    showError(t.title_required);
    title.focus();
    return;
  }
  if (starts.value && ends.value && ends.value < starts.value) {
    showError(t.dates_order);
    ends.focus();
    return;
  }
  const body = {
    title: title.value.trim(),
    locale: $('new-locale').value,
    groups: Math.max(0, Math.min(24, Number.parseInt($('new-groups').value, 10) || 0)),
    template: $('new-template').value,
    starts_on: starts.value || null,
    ends_on: ends.value || null,
  };
  busy(submit, label, true, t.creating, t.create);
  const result = await call('POST', `${API}/workshops`, body);
  if (result.ok) {
    window.location.assign(`/facilitator/w/${encodeURIComponent(result.body.id)}`);
    return;
  }
  busy(submit, label, false, t.creating, t.create);
  showError(result.message);
});

const claim = $('claim-form');
const claimToken = $('claim-token');
const claimSubmit = $('claim-submit');
const claimLabel = $('claim-submit-label');
const claimError = errorBox($('claim-error'));

claim.addEventListener('submit', async (event) => {
  event.preventDefault();
  claimError('');
  // People paste the key or the whole /login#token=… link.
  const raw = claimToken.value.trim();
  const token = (/[#?&]token=([^&\s#]+)/.exec(raw) || [null, raw])[1].replace(/\s+/g, '');
  if (!token) {
    claimError(t.key_required);
    claimToken.focus();
    return;
  }
  busy(claimSubmit, claimLabel, true, t.claiming, t.claim);
  const result = await call('POST', `${API}/workshops/claim`, { token });
  if (result.ok) {
    window.location.assign(`/facilitator/w/${encodeURIComponent(result.body.id)}`);
    return;
  }
  busy(claimSubmit, claimLabel, false, t.claiming, t.claim);
  claimError(result.message);
});
