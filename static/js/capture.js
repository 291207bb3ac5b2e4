// The capture screen: one thumb, one phone, maybe no network. A note is stored on the phone first
// (IndexedDB outbox, with its op_id and card id chosen when it is typed), then sent as a
// card.create on the group's board, with its photo uploaded before it (POST /api/v1/media).
// The page follows its board's lock (capture-lock.js): while it is locked the form stays, with what
// is being typed, and notes wait on the phone ("held") until the board reopens, then go by themselves.

import { Api } from './api.js';
import { CaptureLock } from './capture-lock.js';
import { NotesList } from './capture-list.js';
import { preparePhoto } from './capture-photo.js';
import { Connection, isOffline } from './connection.js';
import { startLive } from './live.js';
import { startPromptAnswer } from './prompt-answer.js';
import { FAILED, HELD, SENT, journal, waitingCount } from './outbox.js';
import { openStore } from './outbox-store.js';
import { plural } from './plural.js';
import { createOutbox, localPhotos } from './shared.js';
import { KINDS, MAX_TEXT, uuid4 } from './sync.js';
import { $, announcer, readJson, registerServiceWorker, toaster } from './ui.js';
import { actorSuggestions, currentVisit } from './visits.js';

const data = readJson('capture-data');
const t = readJson('i18n');
const board = data.board || {};
const me = data.participant || {};
const visits = Array.isArray(data.visits) ? data.visits : [];
// The server's write rule (collab.sync.access): may this person write here, and while locked. The
// page applies only the live lock to it.
const rights = data.rights || { write: false, while_locked: false };
const writable = Boolean(rights.write);
const DRAFT_KEY = `collab:capture-draft:${board.id}:${me.id}`;
const ACTORS_KEY = `collab:actors:${board.id}`;

const el = Object.fromEntries(['conn-pill', 'conn-label', 'offline-banner', 'capture-locked', 'capture-error', 'capture-error-text',
  'capture-error-link', 'capture-form', 'capture-text', 'capture-count', 'capture-hint', 'capture-visit', 'capture-actor',
  'actor-suggestions', 'capture-photo', 'photo-button', 'photo-preview', 'photo-preview-img', 'photo-remove',
  'capture-submit', 'waiting-count', 'my-notes', 'my-notes-empty', 'toasts', 'announcer']
  .map((id) => [id.replace(/-(\w)/g, (_, c) => c.toUpperCase()), $(id)]));

const showToast = toaster(el.toasts, t.dismiss);
const announce = announcer(el.announcer);
const photos = localPhotos();
const local = {
  get(key) { try { return localStorage.getItem(key) || ''; } catch { return ''; } },
  set(key, value) { try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); } catch { /* full */ } },
};
const errorMessage = (code) => (t.errors && (t.errors[code] || t.errors.unknown)) || code;

// ---- connection and outbox ------------------------------------------------------------------

const api = new Api({ csrf: document.querySelector('meta[name="csrf-token"]')?.content || '', participantId: me.id });
const lock = new CaptureLock({
  board,
  rights,
  outbox: () => outbox,
  onGap: () => connection.scheduleGapFill(),
  onGapClosed: () => connection.cancelGapFill(),
  show(lockedOut, changed) {
    el.captureLocked.hidden = !lockedOut;
    if (changed && writable && !rights.while_locked) announce(lock.locked ? t.locked_now : t.reopened);
  },
});
const connection = new Connection({
  api,
  boardId: board.id,
  state: writable ? lock.follower : null, // joins the board for its lock, from the rendered seq (docs/protocol.md)
  mode: 'capture', // presence: the person counts as present on their board, on the capture screen (SYNC-11)
  onStatus: updateConn,
  onSignedOut: () => showError(errorMessage('unauthorized'), true),
  onSignedIn: () => {
    el.captureError.hidden = true;
    outbox?.resume();
  },
  onOnline: () => {
    outbox?.kick();
    refreshActors();
  },
  onPoll: () => outbox?.pump(),
});

function updateConn(status) {
  el.connPill.className = `pill pill--${status}`;
  el.connLabel.textContent = t.conn[status];
  el.offlineBanner.hidden = !isOffline();
}

function showError(message, joinLink = false) {
  el.captureErrorText.textContent = message;
  el.captureErrorLink.hidden = !joinLink;
  el.captureError.hidden = false;
}

let outbox = null;
const list = new NotesList({
  list: el.myNotes,
  empty: el.myNotesEmpty,
  t,
  locale: document.documentElement.lang || 'fr',
  visits: new Map(visits.map((v) => [v.id, v])),
  photos,
  onEdit: (id, changes) => outbox.edit(id, changes, { boardId: board.id }),
  onDelete: deleteNote,
  onRetry: (seq) => outbox.retry(seq),
  onDropMedia: (seq) => outbox.dropMedia(seq),
});

const ready = openStore().then(async (store) => {
  api.store = store;
  outbox = createOutbox({
    store,
    owner: me.id,
    connection,
    api,
    onChange: renderNotes,
    onAck: (item, result) => result && result.event && lock.follower.receive(result.event), // no gap for our own
    onSignedOut: () => showError(errorMessage('unauthorized'), true),
  });
  await outbox.open();
  if (!store.persistent) {
    showError(t.storage_memory);
    window.addEventListener('beforeunload', (event) => {
      if (waitingCount(outbox.items)) event.preventDefault();
    });
  }
  renderNotes();
  outbox.kick();
  lock.opened(); // held during an earlier visit, reopened since
  return outbox;
});

let states = new Map();
function renderNotes() {
  if (!outbox) return;
  const notes = journal(outbox.items, board.id);
  for (const note of notes) photos.add(note.media);
  list.render(notes);
  const waiting = waitingCount(outbox.items, board.id);
  el.waitingCount.hidden = waiting === 0;
  el.waitingCount.textContent = plural(t, 'waiting', waiting);
  const arrived = notes.some((n) => n.state === SENT && states.has(n.id) && states.get(n.id) !== SENT);
  states = new Map(notes.map((n) => [n.id, n.state]));
  if (arrived) announce(t.sent_now);
  lock.notesChanged(notes);
}

async function deleteNote(id) {
  const box = await ready;
  const create = box.items.find((i) => i.op.type === 'card.create' && i.op.data.id === id);
  const copy = create && (!create.tried || create.state === HELD) ? structuredClone(create) : null;
  // Refused for good, or held by a lock (nothing was applied, SYNC-4): dropped, not deleted on the board.
  const refused = create && ((create.state === FAILED && !['internal', 'timeout', 'network'].includes(create.error?.code)) || create.state === HELD);
  const outcome = refused
    ? (await box.discard(create.seq), 'dropped')
    : await box.remove(id, { boardId: board.id });
  showToast(t.deleted, {
    actionLabel: t.undo,
    timeout: 8000,
    onAction: () => {
      if (outcome === 'queued') box.add({ op: { board_id: board.id, op_id: uuid4(), type: 'card.restore', data: { id } } });
      else if (copy) box.add({ op: copy.op, meta: copy.meta, media: copy.media, keep: true });
    },
  });
}

// ---- the form -------------------------------------------------------------------------------

let photo = null; // {id, data, type, name, url}
let visitTouched = false;

function pickVisit() {
  if (visitTouched) return;
  const now = currentVisit(visits);
  el.captureVisit.value = now ? now.id : '';
}

function updateCount() {
  const length = el.captureText.value.length;
  el.captureCount.textContent = `${length} / ${MAX_TEXT}`;
  el.captureCount.classList.toggle('counter--warn', length >= MAX_TEXT - 200 && length < MAX_TEXT);
  el.captureCount.classList.toggle('counter--full', length >= MAX_TEXT);
}

async function choosePhoto() {
  const file = el.capturePhoto.files && el.capturePhoto.files[0];
  if (!file) return;
  const prepared = await preparePhoto(file);
  let bytes;
  try {
    bytes = await prepared.blob.arrayBuffer();
  } catch {
    showToast(t.photo_failed, { kind: 'error' });
    return;
  }
  clearPhoto();
  photo = { id: uuid4(), data: bytes, type: prepared.type, name: prepared.name, url: URL.createObjectURL(prepared.blob) };
  el.photoPreviewImg.src = photo.url;
  el.photoPreview.hidden = false;
  el.photoButton.classList.add('photo-button--set');
  el.photoButton.querySelector('.photo-button__label').textContent = t.photo_change;
  el.capturePhoto.value = '';
}

function clearPhoto() {
  const url = photo && photo.url;
  if (url) setTimeout(() => URL.revokeObjectURL(url), 0);
  photo = null;
  el.photoPreview.hidden = true;
  el.photoPreviewImg.removeAttribute('src');
  el.photoButton.classList.remove('photo-button--set');
  el.photoButton.querySelector('.photo-button__label').textContent = t.photo_label;
}

async function send() {
  const text = el.captureText.value.trim();
  if (!text || text.length > MAX_TEXT) {
    el.captureText.setAttribute('aria-invalid', 'true');
    el.captureHint.textContent = text ? t.too_long : t.empty_text;
    el.captureText.focus();
    return;
  }
  const checked = el.captureForm.querySelector('input[name="kind"]:checked');
  const kind = checked && KINDS.includes(checked.value) ? checked.value : 'observation';
  const cardData = { id: uuid4(), text, kind };
  if (el.captureVisit.value) cardData.visit_id = el.captureVisit.value;
  const actor = el.captureActor.value.trim();
  if (actor) cardData.actor = actor;
  const media = photo ? { id: photo.id, data: photo.data, type: photo.type, name: photo.name } : null;
  if (media) cardData.media_id = media.id;
  const op = { board_id: board.id, op_id: uuid4(), type: 'card.create', data: cardData };
  el.captureSubmit.disabled = true;
  try {
    const box = await ready;
    if (media) photos.add(media);
    await box.add({ op, meta: { author_id: me.id, author_name: me.name, source: 'capture' }, media, keep: true });
  } catch {
    el.captureSubmit.disabled = false;
    showToast(errorMessage('unknown'), { kind: 'error' });
    return; // the text stays in the box
  } finally {
    el.captureSubmit.disabled = false;
  }
  el.captureText.value = '';
  el.captureActor.value = ''; // the person met is not carried over (its suggestions keep the name)
  local.set(DRAFT_KEY, '');
  clearPhoto();
  updateCount();
  el.captureHint.textContent = '';
  el.captureText.focus();
  announce(lock.lockedOut ? t.queued_locked : isOffline() ? t.saved_offline : t.queued);
  if (actor) rememberActor(actor);
}

function rememberActor(actor) {
  const known = local.get(ACTORS_KEY).split('\n').filter(Boolean);
  const next = [actor, ...known.filter((a) => a.toLocaleLowerCase() !== actor.toLocaleLowerCase())].slice(0, 50);
  local.set(ACTORS_KEY, next.join('\n'));
  fillActors(next);
}

function fillActors(actors) {
  el.actorSuggestions.replaceChildren(...actors.map((a) => Object.assign(document.createElement('option'), { value: a })));
}

/** The agenda as it is now (the page may come from the offline copy); keeps the chosen visit. */
async function refreshVisits() {
  if (isOffline()) return;
  const response = await api.getJson('/api/v1/visits');
  if (!response.ok || !response.body || !Array.isArray(response.body.visits)) return;
  const chosen = el.captureVisit.value;
  visits.splice(0, visits.length, ...response.body.visits);
  const none = el.captureVisit.options[0];
  const options = visits.map((v) => Object.assign(document.createElement('option'), { value: v.id, textContent: v.title }));
  el.captureVisit.replaceChildren(none, ...options);
  el.captureVisit.value = visits.some((v) => v.id === chosen) ? chosen : '';
  list.visits = new Map(visits.map((v) => [v.id, v]));
  pickVisit();
  renderNotes();
}

/** Suggestions from the actors already on the board (online), kept for offline use. */
async function refreshActors() {
  if (isOffline()) return;
  const response = await api.getJson(`/api/v1/boards/${encodeURIComponent(board.id)}`);
  if (!response.ok || !response.body || !Array.isArray(response.body.cards)) return;
  const mine = local.get(ACTORS_KEY).split('\n').filter(Boolean);
  const merged = [...mine, ...actorSuggestions(response.body.cards)];
  const seen = new Set();
  const unique = merged.filter((a) => !seen.has(a.toLocaleLowerCase()) && seen.add(a.toLocaleLowerCase())).slice(0, 50);
  local.set(ACTORS_KEY, unique.join('\n'));
  fillActors(unique);
}

if (writable) {
  el.captureText.value = local.get(DRAFT_KEY);
  updateCount();
  el.captureText.addEventListener('input', () => {
    updateCount();
    local.set(DRAFT_KEY, el.captureText.value);
    el.captureText.removeAttribute('aria-invalid');
    if (el.captureHint.textContent) el.captureHint.textContent = '';
  });
  el.captureForm.addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  el.captureText.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  });
  // The text field keeps the focus (and the phone its keyboard) when a type or Send is tapped.
  for (const target of [el.captureForm.querySelector('.kinds'), el.captureSubmit]) {
    target.addEventListener('mousedown', (event) => {
      if (document.activeElement === el.captureText) event.preventDefault();
    });
  }
  el.captureVisit.addEventListener('change', () => {
    visitTouched = true;
  });
  el.capturePhoto.addEventListener('change', choosePhoto);
  el.photoRemove.addEventListener('click', () => {
    clearPhoto();
    el.captureText.focus();
  });
  pickVisit();
  setInterval(pickVisit, 60000); // walking from one visit to the next, page left open
  fillActors(local.get(ACTORS_KEY).split('\n').filter(Boolean));
  if (!el.captureText.value || window.matchMedia('(hover: hover)').matches) el.captureText.focus();
}

updateConn(connection.status);
startLive(connection, { api });
startPromptAnswer(connection, { api });
connection.start();
registerServiceWorker();
refreshActors();
if (writable) refreshVisits();
