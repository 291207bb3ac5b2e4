// A printed `/facilitator/claim#token=…` link: one click adds the workshop made on the command line
// to the signed-in account (POST /api/v1/facilitator/workshops/claim), then its console opens. The
// key is read from the fragment and wiped from the address bar at once.

import { $ } from './ui.js';
import { API, busy, call, errorBox, t } from './facilitator-api.js';

const submit = $('claim-submit');
const label = $('claim-submit-label');
const showError = errorBox($('claim-error'));
const token = (new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') || '').trim();
history.replaceState(history.state, '', window.location.pathname + window.location.search);

if (token) {
  submit.hidden = false;
  submit.addEventListener('click', async () => {
    showError('');
    busy(submit, label, true, t.claiming, t.claim);
    const result = await call('POST', `${API}/workshops/claim`, { token });
    if (result.ok) {
      window.location.assign(`/facilitator/w/${encodeURIComponent(result.body.id)}/console`);
      return;
    }
    busy(submit, label, false, t.claiming, t.claim);
    showError(result.message);
  });
  if (window.matchMedia('(hover: hover)').matches) submit.focus();
} else {
  $('claim-missing').hidden = false;
}
