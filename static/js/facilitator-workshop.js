// One workshop in the facilitator console: settings, archive and delete here; groups and people
// in their own modules.

import { $, readJson } from './ui.js';
import { API, busy, call, dateRange, errorBox, t, toast } from './facilitator-api.js';
import { initGroups } from './facilitator-groups.js';
import { initFacilitators, initParticipants } from './facilitator-people.js';
import { timeFormat } from './time.js';

const data = readJson('workshop-data');
const state = { workshop: data.workshop, account: data.account };
const url = () => `${API}/workshops/${encodeURIComponent(state.workshop.id)}`;

function showHead() {
  $('ws-title').textContent = state.workshop.title;
  $('ws-dates').textContent = dateRange(state.workshop.starts_on, state.workshop.ends_on);
  $('ws-archived').hidden = !state.workshop.archived;
  document.title = document.title.replace(/^[^·]*·/, `${state.workshop.title} ·`);
}

// ---- settings -------------------------------------------------------------------------------------

const settings = $('settings-form');
const settingsError = errorBox($('settings-error'));
const starts = $('set-starts');
const ends = $('set-ends');
starts.addEventListener('change', () => {
  if (starts.value && ends.value && ends.value < starts.value) ends.value = starts.value;
  ends.min = starts.value;
});
settings.addEventListener('submit', async (event) => {
  event.preventDefault();
  settingsError('');
  const title = $('set-title');
  title.removeAttribute('aria-invalid');
  if (!title.value.trim()) {
    title.setAttribute('aria-invalid', 'true');
    settingsError(t.title_required);
    title.focus();
    return;
  }
  if (starts.value && ends.value && ends.value < starts.value) {
    settingsError(t.dates_order);
    ends.focus();
    return;
  }
  const submit = $('settings-submit');
  const label = $('settings-submit-label');
  busy(submit, label, true, t.saving, t.save);
  const result = await call('PATCH', url(), {
    title: title.value.trim(),
    conclusions_title: $('set-conclusions').value.trim(),
    locale: $('set-locale').value,
    starts_on: starts.value || null,
    ends_on: ends.value || null,
  });
  busy(submit, label, false, t.saving, t.save);
  if (!result.ok) return settingsError(result.message);
  state.workshop = { ...state.workshop, ...result.body };
  showHead();
  toast(t.saved, { timeout: 3000 });
});

// ---- archive and delete ---------------------------------------------------------------------------

const archive = $('archive-toggle');
archive.addEventListener('click', async () => {
  const archived = !state.workshop.archived;
  archive.disabled = true;
  const result = await call('PATCH', url(), { archived });
  archive.disabled = false;
  if (!result.ok) return toast(result.message, { kind: 'error' });
  state.workshop = { ...state.workshop, ...result.body };
  showHead();
  archive.textContent = state.workshop.archived ? t.unarchive : t.archive;
  toast(archived ? t.archived : t.unarchived);
});

const dialog = $('delete-dialog');
const deleteError = errorBox($('delete-error'));
const code = $('delete-code');
$('delete-open').addEventListener('click', () => {
  deleteError('');
  code.value = '';
  dialog.showModal();
  code.focus();
});
$('delete-cancel').addEventListener('click', () => dialog.close());
$('delete-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  deleteError('');
  const typed = code.value.replace(/[\s\-_.]/g, '').toUpperCase();
  if (typed !== state.workshop.code) {
    code.setAttribute('aria-invalid', 'true');
    deleteError(t.delete_code_wrong);
    code.focus();
    return;
  }
  const confirm = $('delete-confirm');
  const label = $('delete-confirm-label');
  const idle = label.textContent;
  busy(confirm, label, true, t.deleting, idle);
  const result = await call('DELETE', url(), { confirm: typed });
  if (result.ok) {
    window.location.assign('/facilitator/');
    return;
  }
  busy(confirm, label, false, t.deleting, idle);
  deleteError(result.message);
});

// ---- agenda times ---------------------------------------------------------------------------------

const when = timeFormat(document.documentElement.lang || 'fr', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
for (const time of document.querySelectorAll('.visit-summary__when')) {
  const date = new Date(time.getAttribute('datetime'));
  if (!Number.isNaN(date.getTime())) time.textContent = when.format(date);
}

// ---- groups and people ----------------------------------------------------------------------------

showHead();
const participants = initParticipants(state);
initGroups(state, () => participants.groupsChanged());
initFacilitators(state);
