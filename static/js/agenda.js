// Agenda page: the workshop's visits by day, on the workshop's clock (its time zone, whatever the
// device's: time.js); facilitators add, change and delete them over REST (docs/protocol.md, "Visits").
//
// - Times come from the server in UTC and are shown in the workshop's zone in the page's language,
//   the zone named when the device's clock reads otherwise.
// - What a facilitator types (a day and times on the workshop's wall clock) is sent as ISO 8601 with
//   the workshop's offset *for that day* (summer time included); the server stores UTC.
// - Changes show at once, marked as being saved; if the server refuses, the list goes back to what
//   the server has and the form comes back with the person's input and the server's message.
// - All user text goes through textContent: never innerHTML.

import { drawIcon } from './board-icons.js';
import { fromWorkshopClock, hourDigits, timeFormat as clockFormat, workshopDay, workshopIso, workshopTime, workshopZone, zoneName } from './time.js';

const $ = (id) => document.getElementById(id);

function readJson(id) {
  const el = $(id);
  if (!el) return {};
  try {
    return JSON.parse(el.textContent || '{}');
  } catch {
    return {};
  }
}

const pageData = readJson('agenda-data');
const t = readJson('i18n');
const errorsText = t.errors || {};
const canEdit = Boolean(pageData.can_edit);
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content || '';
const API = '/api/v1/visits';
const NOW_TICK_MS = 30000;
const REFRESH_MS = 60000;
const MAX_TITLE = 200;

// ---- dates and times -----------------------------------------------------------------------

// The page's language, in the browser's regional variant when it has one (en-GB: 24-hour clock).
const lang = (document.documentElement.lang || 'fr').toLowerCase();
const locales = [
  ...(navigator.languages || []).filter((l) => l.toLowerCase().split('-')[0] === lang),
  lang,
];
const dayFormat = clockFormat(locales, { weekday: 'long', day: 'numeric', month: 'long' });
const dayYearFormat = clockFormat(locales, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
// 24-hour clocks read best with two-digit hours (08:00); 12-hour ones without (8:00 AM).
const hourStyle = hourDigits(locales);
const timeFormat = clockFormat(locales, { hour: hourStyle, minute: '2-digit' });
const dayTimeFormat = clockFormat(locales, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: hourStyle,
  minute: '2-digit',
});

const pad = (n, width = 2) => String(n).padStart(width, '0');

function format(template, values) {
  return String(template || '').replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
}

// The workshop's calendar day (`YYYY-MM-DD`, what `<input type="date">` holds) and wall-clock time
// (`HH:MM`, what `<input type="time">` holds) of a date.
const localDay = (date) => workshopDay(date);
const localTime = (date) => workshopTime(date);

/** `YYYY-MM-DD` + `HH:MM` on the workshop's clock → ISO 8601 with the workshop's offset that day. */
function toIso(day, time) {
  const moment = fromWorkshopClock(day, time);
  return moment ? workshopIso(moment) : null;
}

function dayAfter(day) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

function dayHeading(day) {
  const [y, m, d] = day.split('-').map(Number);
  const noon = fromWorkshopClock(`${pad(y, 4)}-${pad(m)}-${pad(d)}`, '12:00');
  return (String(y) === localDay(new Date()).slice(0, 4) ? dayFormat : dayYearFormat).format(noon);
}

function timeText(date, sameDayAs) {
  return (localDay(date) === sameDayAs ? timeFormat : dayTimeFormat).format(date);
}

function zoneText() {
  try {
    return format(t.zone, { zone: `${workshopZone().replace(/_/g, ' ')}, ${zoneName(new Date(), locales)}` });
  } catch {
    return '';
  }
}

// ---- state ---------------------------------------------------------------------------------

const visits = new Map(); // id -> visit, as the server has it, or as being saved (see `pending`)
const pending = new Map(); // id -> 'adding' | 'saving' | 'deleting'
const itemErrors = new Map(); // id -> message shown on the item (a failed delete)
const editors = new Map(); // id -> editor {form, fields, error, endDateField}; open when in `editing`
const editing = new Set();
const itemEls = new Map(); // id -> <li>, from the last render
let confirming = null; // id of the visit whose deletion waits for a confirmation
let tempIds = 0;

for (const visit of pageData.visits || []) visits.set(visit.id, visit);

const el = {
  days: $('agenda-days'),
  empty: $('agenda-empty'),
  now: $('agenda-now'),
  zone: $('agenda-zone'),
  error: $('agenda-error'),
  errorText: $('agenda-error-text'),
  errorLink: $('agenda-error-link'),
  announcer: $('announcer'),
  listTitle: $('visits-title'),
  addForm: $('add-form'),
  addError: $('add-error'),
  addSubmit: $('add-submit'),
  addSubmitLabel: $('add-submit-label'),
  editTemplate: $('edit-template'),
};

const startOf = (visit) => new Date(visit.starts_at);
const endOf = (visit) => new Date(visit.ends_at);

function sortedVisits() {
  return [...visits.values()].sort(
    (a, b) => startOf(a) - startOf(b) || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0),
  );
}

function phase(visit, now = Date.now()) {
  if (endOf(visit).getTime() <= now) return 'past';
  if (startOf(visit).getTime() <= now) return 'now';
  return 'upcoming';
}

// ---- DOM helpers ---------------------------------------------------------------------------

function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

const icon = (name, extra = '') => drawIcon(name, `icon ${extra}`.trim()); // the drawings: board-icons.js

function iconButton(name, label, action, extra = '') {
  const button = h('button', `button button--ghost button--icon ${extra}`.trim());
  button.type = 'button';
  button.dataset.action = action;
  button.title = label;
  button.append(icon(name), h('span', 'visually-hidden', label));
  return button;
}

function announce(message) {
  el.announcer.textContent = '';
  // A new node each time, so that the same message twice is read twice.
  window.requestAnimationFrame(() => {
    el.announcer.textContent = message;
  });
}

function showPageError(message, { signIn = false } = {}) {
  el.errorText.textContent = message;
  el.errorLink.hidden = !signIn;
  el.error.hidden = false;
}

function clearPageError() {
  el.error.hidden = true;
  el.errorText.textContent = '';
}

// ---- rendering -----------------------------------------------------------------------------

function buildItem(visit) {
  const id = visit.id;
  const start = startOf(visit);
  const end = endOf(visit);
  const day = localDay(start);
  const state = pending.get(id);
  const li = h('li', 'visit');
  li.id = `visit-${id}`;
  li.dataset.id = id;
  li.dataset.start = String(start.getTime());
  li.dataset.end = String(end.getTime());
  if (state) {
    li.classList.add('visit--pending');
    li.setAttribute('aria-busy', 'true');
  }

  const when = h('p', 'visit__when');
  const startEl = h('time', 'visit__start', timeText(start, day));
  startEl.dateTime = visit.starts_at;
  const endEl = h('time', 'visit__end', timeText(end, day));
  endEl.dateTime = visit.ends_at;
  const range = h('span', 'visually-hidden', format(t.time_range, { start: startEl.textContent, end: endEl.textContent }));
  const dash = h('span', 'visit__dash', '–');
  for (const node of [startEl, dash, endEl]) node.setAttribute('aria-hidden', 'true');
  when.append(range, startEl, dash, endEl);

  const body = h('div', 'visit__body');
  const badge = h('span', 'visit__badge', t.now);
  badge.hidden = true;
  const title = h('h3', 'visit__title');
  title.append(badge, h('span', 'visit__title-text', visit.title));
  body.append(title);
  if (visit.place) {
    const place = h('p', 'visit__place');
    place.append(icon('pin', 'visit__place-icon'), h('span', '', visit.place));
    body.append(place);
  }
  if (state) {
    const status = h('p', 'visit__status', state === 'deleting' ? t.deleting : state === 'adding' ? t.adding : t.saving);
    body.append(status);
  }
  if (itemErrors.has(id)) body.append(h('p', 'visit__error', itemErrors.get(id)));

  li.append(when, body);

  if (canEdit && !state) {
    if (confirming === id) {
      const box = h('div', 'visit__confirm');
      box.setAttribute('role', 'group');
      box.setAttribute('aria-label', format(t.delete_label, { title: visit.title }));
      const question = h('p', 'visit__confirm-text', format(t.confirm_delete, { title: visit.title }));
      const buttons = h('div', 'visit__confirm-buttons');
      const cancel = h('button', 'button button--secondary', t.cancel);
      cancel.type = 'button';
      cancel.dataset.action = 'cancel-delete';
      const yes = h('button', 'button button--danger-solid', t.confirm_yes);
      yes.type = 'button';
      yes.dataset.action = 'confirm-delete';
      buttons.append(cancel, yes);
      box.append(question, buttons);
      li.append(box);
    } else {
      const actions = h('div', 'visit__actions');
      actions.append(
        iconButton('edit', format(t.edit_label, { title: visit.title }), 'edit'),
        iconButton('delete', format(t.delete_label, { title: visit.title }), 'delete', 'button--danger'),
      );
      li.append(actions);
    }
  }
  return li;
}

let renderedToday = null;

function render({ focus } = {}) {
  const list = sortedVisits();
  el.empty.hidden = list.length > 0;
  const today = localDay(new Date());
  renderedToday = today;
  const tomorrow = dayAfter(today);
  const frag = document.createDocumentFragment();
  itemEls.clear();
  let dayEl = null;
  let listEl = null;
  let currentDay = null;
  for (const visit of list) {
    const day = localDay(startOf(visit));
    if (day !== currentDay) {
      currentDay = day;
      dayEl = h('section', 'day');
      dayEl.dataset.day = day;
      const headingId = `day-${day}`;
      dayEl.setAttribute('aria-labelledby', headingId);
      const heading = h('h2', 'day__title');
      heading.id = headingId;
      heading.append(h('span', 'day__name', dayHeading(day)));
      if (day === today || day === tomorrow) {
        heading.append(h('span', `day__tag${day === today ? ' day__tag--today' : ''}`, day === today ? t.today : t.tomorrow));
      }
      listEl = h('ol', 'visits');
      dayEl.append(heading, listEl);
      frag.append(dayEl);
    }
    let item;
    if (editing.has(visit.id)) {
      item = h('li', 'visit visit--editing');
      item.id = `visit-${visit.id}`;
      item.dataset.id = visit.id;
      item.append(editors.get(visit.id).form);
    } else {
      item = buildItem(visit);
    }
    itemEls.set(visit.id, item);
    listEl.append(item);
  }
  el.days.replaceChildren(frag);
  updateNow();
  if (focus) focusAfterRender(focus);
}

function focusAfterRender({ id, target }) {
  const item = id ? itemEls.get(id) : null;
  let node = null;
  if (item && target) node = item.querySelector(`[data-action="${target}"]`);
  if (!node && item && target === 'field') node = item.querySelector('input[name="title"]');
  if (!node && target === 'list') node = el.listTitle;
  if (node) node.focus();
}

/** The "now" (or "next") marker on the visits, and the summary line above them. */
function updateNow() {
  const now = Date.now();
  let current = null;
  let next = null;
  for (const visit of sortedVisits()) {
    if (pending.get(visit.id) === 'adding' || pending.get(visit.id) === 'deleting') continue;
    const p = phase(visit, now);
    if (p === 'now' && !current) current = visit;
    if (p === 'upcoming' && !next) next = visit;
  }
  for (const [id, item] of itemEls) {
    const visit = visits.get(id);
    if (!visit) continue;
    const p = phase(visit, now);
    item.classList.toggle('visit--now', p === 'now');
    item.classList.toggle('visit--past', p === 'past');
    item.classList.toggle('visit--next', !current && next !== null && id === next.id);
    const badge = item.querySelector('.visit__badge');
    if (badge) {
      badge.hidden = !(p === 'now' || (!current && next && id === next.id));
      badge.textContent = p === 'now' ? t.now : t.next;
    }
    if (p === 'now') item.setAttribute('aria-current', 'time');
    else item.removeAttribute('aria-current');
  }
  renderSummary(current, next);
}

/** Every half minute: the markers; after midnight, the "today" and "tomorrow" tags too. */
function tick() {
  const idle = !(pending.size || editing.size || confirming);
  if (idle && localDay(new Date()) !== renderedToday) render();
  else updateNow();
}

function renderSummary(current, next) {
  const box = el.now;
  box.replaceChildren();
  const visit = current || next;
  if (!visit) {
    box.hidden = true;
    return;
  }
  const start = startOf(visit);
  const end = endOf(visit);
  const today = localDay(new Date());
  let text;
  if (current) {
    text = format(t.now_line, { title: '\u0000', time: timeText(end, today) });
  } else {
    const day = localDay(start);
    const when = day === today ? timeFormat.format(start) : dayTimeFormat.format(start);
    text = format(t.next_line, { title: '\u0000', when });
  }
  // The title is a link to the visit; the rest of the sentence comes from the translation.
  const [before, after] = text.split('\u0000');
  const link = h('a', 'agenda-now__link', visit.title);
  link.href = `#visit-${visit.id}`;
  box.classList.toggle('agenda-now--now', Boolean(current));
  const dot = h('span', 'agenda-now__dot');
  dot.setAttribute('aria-hidden', 'true');
  box.append(dot, before || '', link, after || '');
  box.hidden = false;
}

// ---- talking to the server -----------------------------------------------------------------

function messageFor(status, error) {
  const code = (error && error.code) || (status === 0 ? 'network' : 'unknown');
  if (code === 'network') return errorsText.network;
  if (code === 'unauthorized') return errorsText.unauthorized;
  if (code === 'rate_limited') return errorsText.rate_limited;
  if (code === 'internal' || status >= 500) return errorsText.internal;
  // invalid, forbidden, not_found: the server says what exactly, in the workshop's language.
  return (error && error.message) || errorsText[code] || errorsText.unknown;
}

async function api(method, url, body) {
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(method !== 'GET' ? { 'X-CSRFToken': csrfToken } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    return { ok: false, status: 0, code: 'network', message: messageFor(0, null) };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok && data) return { ok: true, status: response.status, data };
  const error = (data && data.error) || null;
  const code = (error && error.code) || (response.status >= 500 ? 'internal' : 'unknown');
  return { ok: false, status: response.status, code, message: messageFor(response.status, { ...error, code }) };
}

function handleAuthFailure(result) {
  if (result.code === 'unauthorized') {
    showPageError(result.message, { signIn: true });
    return true;
  }
  return false;
}

// ---- forms: reading, checking, showing errors ----------------------------------------------

function formFields(form) {
  const get = (name) => form.querySelector(`[name="${name}"]`);
  return {
    title: get('title'),
    place: get('place'),
    date: get('date'),
    start: get('start'),
    end: get('end'),
    endDate: get('end_date'),
  };
}

/** The visit the form describes, or the first problem: {field, message}. */
function readForm(fields, { multiDay = false } = {}) {
  const title = fields.title.value.trim();
  const place = fields.place.value.trim();
  if (!title) return { error: { field: 'title', message: t.title_required } };
  if ([...title].length > MAX_TITLE) return { error: { field: 'title', message: t.title_too_long } };
  if (!fields.date.value) return { error: { field: 'date', message: t.date_required } };
  if (!fields.start.value) return { error: { field: 'start', message: t.start_required } };
  if (!fields.end.value) return { error: { field: 'end', message: t.end_required } };
  const endDay = multiDay && fields.endDate && fields.endDate.value ? fields.endDate.value : fields.date.value;
  const startsAt = toIso(fields.date.value, fields.start.value);
  const endsAt = toIso(endDay, fields.end.value);
  if (!startsAt) return { error: { field: 'date', message: t.date_required } };
  if (!endsAt) return { error: { field: 'end', message: t.end_required } };
  if (new Date(endsAt) < new Date(startsAt)) return { error: { field: 'end', message: t.end_before_start } };
  return { visit: { title, place, starts_at: startsAt, ends_at: endsAt } };
}

function showFormError(box, fields, message, field) {
  box.textContent = message;
  box.hidden = false;
  for (const input of Object.values(fields)) input?.removeAttribute('aria-invalid');
  const input = field ? fields[field] : null;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', box.id);
    input.focus();
  } else {
    box.scrollIntoView({ block: 'nearest' });
  }
}

function clearFormError(box, fields) {
  box.hidden = true;
  box.textContent = '';
  for (const input of Object.values(fields)) {
    if (!input) continue;
    input.removeAttribute('aria-invalid');
    if (input.getAttribute('aria-describedby') === box.id) input.removeAttribute('aria-describedby');
  }
}

/** Which field a server refusal is about ("Invalid field: starts_at."), if it says. */
function fieldOfServerError(result) {
  if (result.code !== 'invalid') return null;
  const message = result.message || '';
  if (/ends_at|end/i.test(message)) return 'end';
  if (/starts_at/.test(message)) return 'start';
  if (/title/.test(message)) return 'title';
  if (/place/.test(message)) return 'place';
  return null;
}

// ---- adding --------------------------------------------------------------------------------

let adding = false;

function setAddBusy(busy) {
  adding = busy;
  el.addSubmit.disabled = busy;
  el.addSubmit.classList.toggle('is-loading', busy);
  el.addSubmit.setAttribute('aria-busy', busy ? 'true' : 'false');
  el.addSubmitLabel.textContent = busy ? t.adding : t.add;
}

async function addVisit(event) {
  event.preventDefault();
  if (adding) return;
  const fields = formFields(el.addForm);
  clearFormError(el.addError, fields);
  clearPageError();
  const { visit, error } = readForm(fields);
  if (error) {
    showFormError(el.addError, fields, error.message, error.field);
    return;
  }
  const tempId = `new-${++tempIds}`;
  visits.set(tempId, { ...visit, id: tempId });
  pending.set(tempId, 'adding');
  setAddBusy(true);
  render();
  const result = await api('POST', API, visit);
  visits.delete(tempId);
  pending.delete(tempId);
  setAddBusy(false);
  if (!result.ok) {
    render();
    handleAuthFailure(result);
    showFormError(el.addError, fields, result.message, fieldOfServerError(result));
    return;
  }
  visits.set(result.data.id, result.data);
  render();
  announce(format(t.added, { title: result.data.title }));
  // Ready for the next visit of the day: same day, starting when this one ends.
  fields.title.value = '';
  fields.place.value = '';
  fields.start.value = fields.end.value;
  fields.end.value = '';
  fields.title.focus();
}

function prefillAddForm() {
  const fields = formFields(el.addForm);
  const list = sortedVisits();
  const last = list[list.length - 1];
  const today = localDay(new Date());
  // The last visit's day if it is still ahead (a workshop being planned), else today.
  const lastDay = last ? localDay(startOf(last)) : null;
  fields.date.value = lastDay && lastDay > today ? lastDay : today;
}

// ---- editing -------------------------------------------------------------------------------

let editorCount = 0;

function createEditor(visit) {
  const form = el.editTemplate.content.firstElementChild.cloneNode(true);
  const n = ++editorCount;
  // Unique ids for the labels of this copy of the form.
  for (const node of form.querySelectorAll('[id]')) node.id = node.id.replace(/^edit-/, `edit-${n}-`);
  for (const label of form.querySelectorAll('label[for]')) label.htmlFor = label.htmlFor.replace(/^edit-/, `edit-${n}-`);
  const error = form.querySelector('.visit-form__error');
  error.id = `edit-${n}-error`;
  const fields = formFields(form);
  const start = startOf(visit);
  const end = endOf(visit);
  fields.title.value = visit.title;
  fields.place.value = visit.place || '';
  fields.date.value = localDay(start);
  fields.start.value = localTime(start);
  fields.end.value = localTime(end);
  const endDateField = form.querySelector('.visit-form__end-date');
  // A visit over several days (created through the API) keeps its own end date.
  const multiDay = localDay(end) !== localDay(start);
  if (fields.endDate) fields.endDate.value = localDay(end);
  if (endDateField) endDateField.hidden = !multiDay;
  form.dataset.id = visit.id;
  return { form, fields, error, multiDay };
}

function openEditor(id) {
  const visit = visits.get(id);
  if (!visit || pending.has(id)) return;
  itemErrors.delete(id);
  clearPageError();
  if (confirming === id) confirming = null;
  editors.set(id, createEditor(visit));
  editing.add(id);
  render({ focus: { id, target: 'field' } });
}

function closeEditor(id, { focus = true } = {}) {
  editing.delete(id);
  editors.delete(id);
  render(focus ? { focus: { id, target: 'edit' } } : {});
}

async function saveEditor(id) {
  const editor = editors.get(id);
  const previous = visits.get(id);
  if (!editor || !previous) return;
  clearFormError(editor.error, editor.fields);
  const { visit, error } = readForm(editor.fields, { multiDay: editor.multiDay });
  if (error) {
    showFormError(editor.error, editor.fields, error.message, error.field);
    return;
  }
  const changes = {};
  for (const key of ['title', 'place', 'starts_at', 'ends_at']) {
    const before = key.endsWith('_at') ? new Date(previous[key]).getTime() : previous[key] || '';
    const after = key.endsWith('_at') ? new Date(visit[key]).getTime() : visit[key];
    if (before !== after) changes[key] = visit[key];
  }
  if (Object.keys(changes).length === 0) {
    closeEditor(id);
    return;
  }
  // Show the change at once, marked as being saved.
  visits.set(id, { ...previous, ...changes });
  pending.set(id, 'saving');
  editing.delete(id);
  const hadFocus = editor.form.contains(document.activeElement);
  render();
  if (hadFocus) el.listTitle.focus({ preventScroll: true });
  const result = await api('PATCH', `${API}/${encodeURIComponent(id)}`, changes);
  pending.delete(id);
  if (result.ok) {
    visits.set(id, result.data);
    editors.delete(id);
    render({ focus: hadFocus ? { id, target: 'edit' } : undefined });
    announce(format(t.saved, { title: result.data.title }));
    return;
  }
  if (result.code === 'not_found') {
    visits.delete(id);
    editors.delete(id);
    render({ focus: hadFocus ? { target: 'list' } : undefined });
    showPageError(t.gone);
    return;
  }
  // Back to what the server has, and the form back with what was typed and why it was refused.
  visits.set(id, previous);
  editing.add(id);
  render();
  handleAuthFailure(result);
  showFormError(editor.error, editor.fields, result.message, fieldOfServerError(result));
}

// ---- deleting ------------------------------------------------------------------------------

function askDelete(id) {
  if (pending.has(id)) return;
  itemErrors.delete(id);
  clearPageError();
  confirming = id;
  render({ focus: { id, target: 'cancel-delete' } });
}

async function deleteVisit(id) {
  const visit = visits.get(id);
  if (!visit) return;
  confirming = null;
  pending.set(id, 'deleting');
  const item = itemEls.get(id);
  const hadFocus = item ? item.contains(document.activeElement) : false;
  render();
  if (hadFocus) el.listTitle.focus({ preventScroll: true });
  const result = await api('DELETE', `${API}/${encodeURIComponent(id)}`);
  pending.delete(id);
  // Already gone from the server (someone else deleted it): what was asked for is done.
  if (result.ok || result.code === 'not_found') {
    visits.delete(id);
    render();
    announce(format(t.deleted, { title: visit.title }));
    return;
  }
  itemErrors.set(id, format(t.delete_failed, { message: result.message }));
  render({ focus: hadFocus ? { id, target: 'delete' } : undefined });
  handleAuthFailure(result);
}

// ---- events --------------------------------------------------------------------------------

function onListClick(event) {
  const button = event.target.closest('[data-action]');
  if (!button || !el.days.contains(button)) return;
  const item = button.closest('.visit');
  const id = item && item.dataset.id;
  if (!id) return;
  switch (button.dataset.action) {
    case 'edit':
      openEditor(id);
      break;
    case 'cancel-edit':
      closeEditor(id);
      break;
    case 'delete':
      askDelete(id);
      break;
    case 'cancel-delete':
      confirming = null;
      render({ focus: { id, target: 'delete' } });
      break;
    case 'confirm-delete':
      deleteVisit(id);
      break;
    default:
  }
}

function onListSubmit(event) {
  const form = event.target.closest('.visit-form--edit');
  if (!form) return;
  event.preventDefault();
  saveEditor(form.dataset.id);
}

function onListInput(event) {
  const form = event.target.closest('.visit-form--edit');
  const editor = form && editors.get(form.dataset.id);
  if (editor && !editor.error.hidden) clearFormError(editor.error, editor.fields);
}

function onListKeydown(event) {
  if (event.key !== 'Escape') return;
  const item = event.target.closest('.visit');
  const id = item && item.dataset.id;
  if (!id) return;
  if (editing.has(id)) {
    event.preventDefault();
    closeEditor(id);
  } else if (confirming === id) {
    event.preventDefault();
    confirming = null;
    render({ focus: { id, target: 'delete' } });
  }
}

// Visits have no live events: read them again when the page comes back to the front, and now
// and then, unless the person is in the middle of something.
let refreshing = false;
async function refresh() {
  if (refreshing || document.hidden) return;
  if (pending.size || editing.size || confirming || adding) return;
  refreshing = true;
  const result = await api('GET', API);
  refreshing = false;
  if (!result.ok) {
    if (result.code === 'unauthorized') handleAuthFailure(result);
    return; // the network comes and goes on a field trip: keep what is shown
  }
  if (pending.size || editing.size || confirming || adding) return;
  const fresh = result.data.visits || [];
  if (JSON.stringify(fresh) === JSON.stringify(sortedVisits())) return; // nothing new: leave the page be
  visits.clear();
  itemErrors.clear();
  for (const visit of fresh) visits.set(visit.id, visit);
  const focusedId = document.activeElement?.closest?.('.visit')?.dataset.id;
  const focusedAction = document.activeElement?.dataset?.action;
  render(focusedId ? { focus: { id: focusedId, target: focusedAction } } : {});
}

function start() {
  const zone = zoneText();
  if (zone) {
    el.zone.textContent = zone;
    el.zone.hidden = false;
  }
  el.days.addEventListener('click', onListClick);
  el.days.addEventListener('submit', onListSubmit);
  el.days.addEventListener('input', onListInput);
  el.days.addEventListener('keydown', onListKeydown);
  if (canEdit && el.addForm) {
    prefillAddForm();
    el.addForm.addEventListener('submit', addVisit);
    el.addForm.addEventListener('input', () => {
      if (!el.addError.hidden) clearFormError(el.addError, formFields(el.addForm));
    });
    const jump = $('jump-to-add');
    jump?.addEventListener('click', (event) => {
      event.preventDefault();
      $('add-visit').scrollIntoView({ behavior: 'smooth', block: 'start' });
      formFields(el.addForm).title.focus({ preventScroll: true });
    });
  }
  render();
  window.setInterval(tick, NOW_TICK_MS);
  window.setInterval(refresh, REFRESH_MS);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) refresh();
  });
}

start();
