// Board page: live cards over Socket.IO, with REST fallbacks (docs/protocol.md).
//
// - The session cookie authenticates the socket; the page's data comes from JSON blocks.
// - Every change is an op with a client-chosen op_id, kept in an outbox (also in localStorage)
//   and re-sent with the SAME op_id until the server answers (it de-duplicates, SYNC-4).
// - Events are applied in seq order by BoardState (sync.js); gaps are filled over REST.
// - All user text goes through textContent: never innerHTML.

import { io } from '../vendor/socket.io.esm.min.js';
import {
  BoardState,
  COLOURS,
  KINDS,
  MAX_TEXT,
  RETRYABLE,
  backoff,
  format,
  uuid4,
} from './sync.js';

// ---- page data -------------------------------------------------------------------------------

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

const pageData = readJson('board-data');
const t = readJson('i18n');
const boardInfo = pageData.board || {};
const workshop = pageData.workshop || { groups: [] };
const me = pageData.participant || {};
const boardId = boardInfo.id;
const locale = document.documentElement.lang || 'fr';
const isFacilitator = me.role === 'facilitator';
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content || '';
const API = `/api/v1/boards/${encodeURIComponent(boardId)}`;

const OP_TIMEOUT_MS = 10000;
const JOIN_TIMEOUT_MS = 10000;
const GAP_GRACE_MS = 1500;
const SNAPSHOT_FALLBACK_MS = 4000;
const POLL_MS = 5000;
const UNDO_MS = 8000;
const MAX_INTERNAL_RETRIES = 5;
const LONG_TEXT = 420; // characters before a note is folded

// Rendering state (declared early: state callbacks may schedule a render during start-up).
const cardEls = new Map(); // id -> entry {id, root, refs, card, sig, editing, orphan}
let renderQueued = false;
let firstRenderDone = false;

let canWrite = Boolean(pageData.can_write);
let locked = Boolean(boardInfo.locked);
const writable = () => canWrite && (!locked || isFacilitator);

const el = {
  root: $('board'),
  pill: $('conn-pill'),
  pillLabel: $('conn-label'),
  presence: $('presence-list'),
  presenceBox: $('presence-list')?.closest('.presence'),
  error: $('board-error'),
  errorText: $('board-error-text'),
  errorLink: $('board-error-link'),
  notice: $('readonly-notice'),
  noticeText: $('readonly-text'),
  composer: $('composer'),
  text: $('composer-text'),
  count: $('composer-count'),
  hint: $('composer-hint'),
  kind: $('composer-kind'),
  submit: $('composer-submit'),
  loading: $('cards-loading'),
  empty: $('cards-empty'),
  cards: $('cards'),
  toasts: $('toasts'),
  announcer: $('announcer'),
};

const group = (workshop.groups || []).find((g) => g.id === boardInfo.group_id);
if (group && /^#[0-9a-fA-F]{3,8}$/.test(group.colour || '')) {
  // CSSOM, not a style attribute: allowed by the CSP.
  el.root.style.setProperty('--group-colour', group.colour);
}

// ---- small helpers ---------------------------------------------------------------------------

const storage = {
  get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      if (value == null || value === '') window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch {
      // Storage full or disabled: the in-memory copy still works while the page is open.
    }
  },
};

function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

function errorMessage(code) {
  return (t.errors && (t.errors[code] || t.errors.unknown)) || code;
}

function codeForStatus(status) {
  if (status === 400) return 'invalid';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 410) return 'gone';
  if (status === 413) return 'too_large';
  if (status === 423) return 'locked';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'internal';
  return 'unknown';
}

const isOffline = () => navigator.onLine === false;
const prefersReducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const isWide = () => window.matchMedia('(min-width: 48rem)').matches;

let announceTimer = null;
function announce(message) {
  clearTimeout(announceTimer);
  el.announcer.textContent = '';
  // A fresh text node after a tick, so repeated messages are read again.
  announceTimer = setTimeout(() => {
    el.announcer.textContent = message;
  }, 50);
}

// ---- toasts and errors ------------------------------------------------------------------------

function showToast(message, { actionLabel, onAction, timeout = 6000, kind = '' } = {}) {
  const toast = h('div', `toast${kind ? ` toast--${kind}` : ''}`);
  toast.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  toast.append(h('span', 'toast__text', message));
  let timer = null;
  const close = () => {
    clearTimeout(timer);
    toast.remove();
  };
  if (actionLabel && onAction) {
    const action = h('button', 'button button--ghost button--undo', actionLabel);
    action.type = 'button';
    action.addEventListener('click', () => {
      close();
      onAction();
    });
    toast.append(action);
  }
  const dismiss = h('button', 'button button--ghost', '×');
  dismiss.type = 'button';
  dismiss.setAttribute('aria-label', t.dismiss);
  dismiss.addEventListener('click', close);
  toast.append(dismiss);
  el.toasts.append(toast);
  while (el.toasts.children.length > 3) el.toasts.firstElementChild.remove();
  if (timeout) timer = setTimeout(close, timeout);
  return close;
}

function showBanner(message, { joinLink = false } = {}) {
  el.errorText.textContent = message;
  el.errorLink.hidden = !joinLink;
  el.error.hidden = false;
}

function hideBanner() {
  el.error.hidden = true;
}

let signedOut = false;
function showUnauthorized() {
  signedOut = true;
  showBanner(errorMessage('unauthorized'), { joinLink: true });
  updateConn();
}

// ---- connection pill --------------------------------------------------------------------------

let attempted = false;
function updateConn() {
  let status;
  if (isOffline()) status = 'offline';
  else if (socket && socket.connected) status = 'connected';
  else if (signedOut) status = 'offline';
  else status = attempted ? 'reconnecting' : 'connecting';
  const className = `pill pill--${status}`;
  if (el.pill.className !== className) {
    el.pill.className = className;
    el.pillLabel.textContent = t.conn[status];
  }
  el.presenceBox?.classList.toggle('presence--stale', status !== 'connected');
}

// ---- state ----------------------------------------------------------------------------------

const freshIds = new Set(); // cards to animate in (others' new cards)
let flashId = null; // our own new card, to scroll to

const state = new BoardState({
  onChange: scheduleRender,
  onGap: scheduleGapFill,
  onGapClosed: cancelGapFill,
  onEvent(event) {
    const card = event.data && event.data.card;
    if (!card) return;
    if (event.type === 'card.create' && event.actor_id !== me.id) {
      freshIds.add(card.id);
      announce(format(t.new_note, { name: card.author_name || '' }));
    }
  },
});

function applyBoardMeta(board) {
  if (!board) return;
  if (typeof board.locked === 'boolean' && board.locked !== locked) {
    locked = board.locked;
    updateWritable(true);
  }
}

function applySnapshot(snapshot, options) {
  if (state.applySnapshot(snapshot, options)) applyBoardMeta(snapshot.board);
}

// ---- outbox: ops are kept until the server answered -------------------------------------------

const OUTBOX_KEY = `collab:outbox:${boardId}:${me.id}`;
const DRAFT_KEY = `collab:draft:${boardId}:${me.id}`;

function loadOutbox() {
  try {
    const items = JSON.parse(storage.get(OUTBOX_KEY) || '[]');
    return Array.isArray(items) ? items.filter((i) => i && i.op && i.op.op_id && i.op.type) : [];
  } catch {
    return [];
  }
}

const outbox = loadOutbox();
let sending = false;
let retryTimer = null;

function saveOutbox() {
  storage.set(OUTBOX_KEY, outbox.length ? JSON.stringify(outbox) : null);
}

for (const item of outbox) {
  item.attempts = 0;
  state.addPending(item.op, item.meta || {});
}

function enqueue(type, data, meta = {}) {
  const op = { board_id: boardId, op_id: uuid4(), type, data };
  outbox.push({ op, meta, attempts: 0 });
  saveOutbox();
  state.addPending(op, meta);
  pump();
  return op;
}

function kick() {
  if (retryTimer) {
    clearTimeout(retryTimer);
    retryTimer = null;
  }
  pump();
}

function sendBySocket(op) {
  return new Promise((resolve) => {
    socket.timeout(OP_TIMEOUT_MS).emit('op', op, (err, result) => {
      if (err) resolve({ ok: false, error: { code: socket.connected ? 'timeout' : 'network' } });
      else if (result && typeof result === 'object') resolve(result);
      else resolve({ ok: false, error: { code: 'unknown' } });
    });
  });
}

async function sendByRest(op) {
  let response;
  try {
    response = await fetch(`${API}/ops`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRFToken': csrfToken,
      },
      body: JSON.stringify(op),
    });
  } catch {
    return { ok: false, error: { code: 'network' } };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.ok && body && body.ok) return body;
  const retryAfter = Number(response.headers.get('Retry-After')) || 0;
  if (body && body.error && body.error.code) return { ok: false, error: body.error, retryAfter };
  return { ok: false, error: { code: codeForStatus(response.status) }, retryAfter };
}

function send(op) {
  if (socket.connected) return sendBySocket(op);
  if (isOffline()) return Promise.resolve({ ok: false, error: { code: 'network' } });
  return sendByRest(op);
}

async function pump() {
  if (sending || retryTimer || !outbox.length || signedOut) return;
  const item = outbox[0];
  sending = true;
  let result;
  try {
    result = await send(item.op);
  } catch {
    result = { ok: false, error: { code: 'network' } };
  }
  sending = false;
  if (outbox[0] !== item) {
    // Should not happen (one op in flight at a time), but never apply a result to the wrong op.
    pump();
    return;
  }
  handleResult(item, result);
}

function handleResult(item, result) {
  const { op } = item;
  if (result && result.ok) {
    outbox.shift();
    saveOutbox();
    state.ack(op.op_id, result);
    if (op.type === 'card.create' && op.data.id === flashId) revealOwnCard(op.data.id);
    pump();
    return;
  }
  const error = (result && result.error) || { code: 'unknown' };
  const code = error.code || 'unknown';
  const retry = RETRYABLE.has(code) && !(code === 'internal' && item.attempts >= MAX_INTERNAL_RETRIES);
  if (retry) {
    item.attempts += 1;
    if (code === 'rate_limited' && item.attempts === 1) showToast(errorMessage('rate_limited'));
    const wait = Math.max(backoff(item.attempts - 1), (result.retryAfter || 0) * 1000);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      pump();
    }, wait);
    scheduleRender();
    return;
  }

  // Refused for good: drop it, say why, and never lose a typed text.
  outbox.shift();
  saveOutbox();
  state.dropPending(op.op_id);
  if (code === 'unauthorized') {
    showUnauthorized();
  } else if (code === 'locked') {
    locked = true;
    updateWritable(true);
    showToast(t.locked_now, { kind: 'error', timeout: 10000 });
  } else if (code === 'not_found' && op.type !== 'card.create') {
    showToast(errorMessage('not_found'), { kind: 'error' });
  } else {
    showToast(error.message || errorMessage(code), { kind: 'error', timeout: 10000 });
  }
  if (op.type === 'card.create' && op.data && op.data.text) restoreText(op.data.text);
  if (op.type === 'card.update' && op.data && typeof op.data.text === 'string') restoreText(op.data.text);
  pump();
}

function restoreText(text) {
  const current = el.text.value.trim();
  if (current === text.trim()) return;
  el.text.value = current ? `${el.text.value.trimEnd()}\n\n${text}` : text;
  el.composer.hidden = false;
  updateComposer();
  saveDraft();
  showToast(t.text_restored, { kind: 'error', timeout: 10000 });
}

window.addEventListener('beforeunload', (event) => {
  if (outbox.length) {
    event.preventDefault();
    // Older browsers need returnValue set; the text itself is not shown any more.
    event.returnValue = t.pending_leave;
  }
});

// ---- catch-up over REST -----------------------------------------------------------------------

async function getJson(url) {
  try {
    const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    return { ok: response.ok, status: response.status, body };
  } catch {
    return { ok: false, status: 0, body: null };
  }
}

function handleReadError(response) {
  const code = (response.body && response.body.error && response.body.error.code) || codeForStatus(response.status);
  if (code === 'unauthorized') showUnauthorized();
  else if (code === 'not_found' || code === 'forbidden') showBanner(errorMessage(code));
}

async function loadSnapshot(options) {
  const response = await getJson(API);
  if (response.ok && response.body && typeof response.body.seq === 'number') {
    applySnapshot(response.body, options);
    return true;
  }
  if (response.status) handleReadError(response);
  return false;
}

let catchingUp = false;
async function catchUp() {
  if (catchingUp) return false;
  catchingUp = true;
  try {
    if (!state.ready) return await loadSnapshot();
    for (let page = 0; page < 100; page += 1) {
      const since = state.lastSeq;
      const response = await getJson(`${API}/events?since=${since}`);
      if (response.status === 410) return await loadSnapshot();
      if (!response.ok || !response.body || !Array.isArray(response.body.events)) {
        if (response.status) handleReadError(response);
        return false;
      }
      if (typeof response.body.seq === 'number' && response.body.seq < since) {
        // The board is behind us (restored from a backup?): its snapshot is the truth.
        return await loadSnapshot({ force: true });
      }
      const complete = state.applyCatchUp(response.body);
      if (complete && !response.body.has_more) return true;
      if (state.lastSeq === since) {
        // No progress (events missing on the server side?): a snapshot settles it.
        return await loadSnapshot();
      }
    }
    return false;
  } finally {
    catchingUp = false;
  }
}

let gapTimer = null;
function scheduleGapFill() {
  if (gapTimer) return;
  gapTimer = setTimeout(async () => {
    gapTimer = null;
    if (!state.hasGap()) return;
    await catchUp();
    if (state.hasGap()) scheduleGapFill();
  }, GAP_GRACE_MS);
}

function cancelGapFill() {
  clearTimeout(gapTimer);
  gapTimer = null;
}

// While the socket is down, keep the board fresh over REST (a proxy may block WebSockets).
let pollTimer = null;
function startPolling() {
  if (pollTimer) return;
  pollTimer = setInterval(() => {
    if (socket.connected || signedOut || isOffline()) return;
    catchUp();
    kick();
  }, POLL_MS);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = null;
}

// ---- socket ---------------------------------------------------------------------------------

const socket = io({
  transports: ['websocket'],
  reconnectionDelay: 500,
  reconnectionDelayMax: 5000,
  timeout: 10000,
});

let joinAttempt = 0;
function joinBoard() {
  const attempt = ++joinAttempt;
  const payload = { board_id: boardId };
  if (state.ready) payload.since = state.lastSeq;
  socket.timeout(JOIN_TIMEOUT_MS).emit('board:join', payload, (err, result) => {
    if (attempt !== joinAttempt) return;
    if (err) {
      if (socket.connected) setTimeout(() => attempt === joinAttempt && socket.connected && joinBoard(), 1000);
      return;
    }
    if (!result || !result.ok) {
      const code = (result && result.error && result.error.code) || 'unknown';
      if (code === 'unauthorized') showUnauthorized();
      else showBanner((result && result.error && result.error.message) || errorMessage(code));
      return;
    }
    if (Array.isArray(result.cards)) {
      // The server's answer to this join: newer or not, it is the board as it is now.
      applySnapshot(result, { force: true });
    } else if (!state.applyCatchUp(result)) {
      catchUp();
    }
    hideBannerUnlessSignedOut();
  });
}

function hideBannerUnlessSignedOut() {
  if (!signedOut) hideBanner();
}

socket.on('connect', () => {
  attempted = true;
  signedOut = false;
  updateConn();
  stopPolling();
  joinBoard();
  kick();
});

socket.on('disconnect', (reason) => {
  attempted = true;
  updateConn();
  startPolling();
  if (reason === 'io server disconnect') {
    // The server closed us on purpose (restart, or a frame too large): come back and catch up.
    setTimeout(() => {
      if (!socket.connected && !signedOut) socket.connect();
    }, 1000);
  }
});

socket.on('connect_error', (err) => {
  attempted = true;
  if (err && err.message === 'unauthorized') {
    showUnauthorized();
    return;
  }
  updateConn();
  startPolling();
});

socket.io.on('reconnect_attempt', () => {
  attempted = true;
  updateConn();
});

socket.on('event', (event) => {
  if (event && event.board_id === boardId) state.receive(event);
});

socket.on('presence', (message) => {
  if (message && message.board_id === boardId) renderPresence(message.participants || []);
});

window.addEventListener('offline', () => {
  updateConn();
  scheduleRender();
});

window.addEventListener('online', () => {
  updateConn();
  if (!socket.connected && !socket.active && !signedOut) socket.connect();
  kick();
  scheduleRender();
});

// No live connection after a few seconds (WebSockets blocked, server busy): read over REST.
setTimeout(() => {
  if (!socket.connected) {
    attempted = true;
    updateConn();
    startPolling();
  }
  if (!state.ready) catchUp();
}, SNAPSHOT_FALLBACK_MS);

// ---- presence -------------------------------------------------------------------------------

function renderPresence(people) {
  const byId = new Map();
  for (const p of people) if (p && p.id && !byId.has(p.id)) byId.set(p.id, p);
  if (!byId.has(me.id)) byId.set(me.id, me);
  const list = [...byId.values()].sort((a, b) => {
    if (a.id === me.id) return -1;
    if (b.id === me.id) return 1;
    return String(a.name).localeCompare(String(b.name), locale);
  });
  const items = list.map((p) => {
    const li = h('li', `presence__person${p.id === me.id ? ' presence__person--self' : ''}`);
    li.append(document.createTextNode(p.name || ''));
    if (p.id === me.id) li.append(h('span', 'presence__you', `(${t.you})`));
    else if (p.role === 'facilitator') li.append(h('span', 'presence__role', `(${t.facilitator})`));
    return li;
  });
  if (list.length === 1) items.push(h('li', 'presence__nobody', t.nobody));
  el.presence.replaceChildren(...items);
}

// ---- composer -------------------------------------------------------------------------------

function selectedColour() {
  const checked = el.composer.querySelector('input[name="colour"]:checked');
  return checked && COLOURS.includes(checked.value) ? checked.value : 'yellow';
}

function updateComposer() {
  const length = el.text.value.length;
  el.count.textContent = `${length} / ${MAX_TEXT}`;
  el.count.classList.toggle('counter--warn', length >= MAX_TEXT - 200 && length < MAX_TEXT);
  el.count.classList.toggle('counter--full', length >= MAX_TEXT);
  el.text.removeAttribute('aria-invalid');
}

let draftTimer = null;
function saveDraft() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => storage.set(DRAFT_KEY, el.text.value), 300);
}

function post() {
  if (!writable()) return;
  const text = el.text.value.trim();
  if (!text) {
    el.text.setAttribute('aria-invalid', 'true');
    el.hint.textContent = t.empty_text;
    el.text.focus();
    return;
  }
  if (text.length > MAX_TEXT) {
    el.text.setAttribute('aria-invalid', 'true');
    showToast(t.too_long, { kind: 'error' });
    return;
  }
  const kind = KINDS.includes(el.kind.value) ? el.kind.value : 'note';
  const id = uuid4();
  flashId = id;
  enqueue('card.create', { id, text, kind, colour: selectedColour() }, { author_id: me.id, author_name: me.name });
  el.text.value = '';
  updateComposer();
  clearTimeout(draftTimer);
  storage.set(DRAFT_KEY, null);
  if (isWide()) {
    el.text.focus();
  } else {
    // On a phone: put the keyboard away, fold the composer and show the note where it landed.
    el.text.blur();
    el.composer.classList.add('composer--compact');
  }
  revealOwnCard(id);
}

function revealOwnCard(id) {
  requestAnimationFrame(() => {
    const entry = cardEls.get(id);
    if (!entry) return;
    entry.root.scrollIntoView({ block: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
    entry.root.classList.remove('card--flash');
    // Restart the animation.
    void entry.root.offsetWidth;
    entry.root.classList.add('card--flash');
  });
}

if (el.composer) {
  const hintText = el.hint.textContent;
  el.text.value = storage.get(DRAFT_KEY) || '';
  updateComposer();
  el.text.addEventListener('input', () => {
    updateComposer();
    saveDraft();
    if (el.hint.textContent !== hintText) el.hint.textContent = hintText;
  });
  // On a phone the composer starts folded (text box and button) so the cards show above the
  // fold; it unfolds when used.
  if (!isWide() && !el.text.value) el.composer.classList.add('composer--compact');
  el.composer.addEventListener('focusin', () => el.composer.classList.remove('composer--compact'));
  // Ctrl/Cmd+Enter posts from anywhere in the composer (text, type or colour).
  el.composer.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      post();
    }
  });
  el.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    post();
  });
}

function updateWritable(changedNow = false) {
  const w = writable();
  const hasDraft = el.text.value.trim() !== '';
  // A read-only board hides the composer, except when it holds text the user still needs.
  el.composer.hidden = !w && !hasDraft;
  el.submit.disabled = !w;
  if (w && !locked) {
    el.notice.hidden = true;
  } else {
    el.notice.hidden = false;
    if (changedNow && locked && !isFacilitator) el.noticeText.textContent = t.locked_now;
  }
  if (changedNow && !locked && canWrite) el.notice.hidden = true;
  forceRender();
}

// ---- cards ----------------------------------------------------------------------------------

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(render);
}

function forceRender() {
  for (const entry of cardEls.values()) entry.sig = null;
  scheduleRender();
}

const timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
const dayTimeFormat = new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

function formatWhen(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const now = new Date();
  const sameDay = date.toDateString() === now.toDateString();
  return (sameDay ? timeFormat : dayTimeFormat).format(date);
}

function pendingWaiting(cardId) {
  // A pending op for this card that has already failed to go through at least once.
  return outbox.some((item) => item.attempts > 0 && item.op.data && item.op.data.id === cardId);
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const ICONS = {
  edit: ['M4 20h4L19 9l-4-4L4 16v4z', 'M13.5 6.5l4 4'],
  delete: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3'],
};

function icon(name) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name]) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

function createCardEntry(id) {
  const root = h('li', 'card');
  root.dataset.id = id;
  const head = h('div', 'card__head');
  const kind = h('span', 'card__kind');
  const status = h('span', 'card__status');
  status.hidden = true;
  head.append(kind, status);
  const text = h('p', 'card__text');
  const more = h('button', 'button button--ghost card__more');
  more.type = 'button';
  more.hidden = true;
  const foot = h('div', 'card__foot');
  const author = h('span', 'card__author');
  const time = h('time', 'card__meta');
  const actions = h('div', 'card__actions');
  const edit = h('button', 'button button--ghost button--icon');
  edit.type = 'button';
  edit.append(icon('edit'), h('span', 'visually-hidden', t.edit));
  const del = h('button', 'button button--ghost button--icon button--danger');
  del.type = 'button';
  del.append(icon('delete'), h('span', 'visually-hidden', t.delete));
  actions.append(edit, del);
  foot.append(author, time, actions);
  root.append(head, text, more, foot);
  const entry = {
    id,
    root,
    refs: { kind, status, text, more, author, time, actions, edit, del },
    sig: null,
    editing: null,
    expanded: false,
  };
  more.addEventListener('click', () => {
    entry.expanded = !entry.expanded;
    entry.sig = null;
    scheduleRender();
  });
  // One-shot highlight classes: drop them when done, or moving the node would replay them.
  root.addEventListener('animationend', () => root.classList.remove('card--new', 'card--flash'));
  edit.addEventListener('click', () => startEdit(entry));
  del.addEventListener('click', () => deleteCard(entry));
  return entry;
}

function updateCardEntry(entry, card) {
  const waiting = card.pending && (isOffline() || pendingWaiting(card.id));
  const w = writable();
  const sig = [card.version, card.pending ? 1 : 0, waiting ? 1 : 0, card.text, card.kind, card.colour,
    card.author_name, card.created_at, w ? 1 : 0].join('\u0001');
  if (entry.editing) {
    entry.card = card;
    if (!card.pending && entry.editing.version !== card.version) entry.editing.warn(t.changed_meanwhile);
    return;
  }
  if (entry.sig === sig) return;
  entry.sig = sig;
  entry.card = card;
  const { refs, root } = entry;
  const colour = COLOURS.includes(card.colour) ? card.colour : 'yellow';
  const kind = KINDS.includes(card.kind) ? card.kind : 'note';
  const oneShot = ['card--new', 'card--flash'].filter((c) => root.classList.contains(c));
  // Long notes are folded to ten lines, with a button to unfold them.
  const long = card.text.length > LONG_TEXT || card.text.split('\n').length > 10;
  const clamped = long && !entry.expanded;
  root.className = [`card card--${colour}`, card.pending ? 'card--pending' : '', clamped ? 'card--clamped' : '', ...oneShot]
    .filter(Boolean)
    .join(' ');
  refs.more.hidden = !long;
  refs.more.textContent = entry.expanded ? t.show_less : t.show_more;
  refs.more.setAttribute('aria-expanded', entry.expanded ? 'true' : 'false');
  root.dataset.kind = kind;
  if (card.pending) root.setAttribute('aria-busy', 'true');
  else root.removeAttribute('aria-busy');
  refs.kind.textContent = (t.kinds && t.kinds[kind]) || kind;
  refs.status.hidden = !card.pending;
  refs.status.textContent = card.pending ? (waiting ? t.queued : t.sending) : '';
  refs.text.textContent = card.text;
  refs.author.textContent = card.author_name || '';
  refs.author.title = card.author_name || '';
  refs.time.textContent = formatWhen(card.created_at);
  if (card.created_at) refs.time.setAttribute('datetime', card.created_at);
  else refs.time.removeAttribute('datetime');
  refs.actions.hidden = !w;
  const name = card.author_name || '';
  refs.edit.setAttribute('aria-label', format(t.edit_label, { name }));
  refs.edit.title = t.edit;
  refs.del.setAttribute('aria-label', format(t.delete_label, { name }));
  refs.del.title = t.delete;
}

function render() {
  renderQueued = false;
  const cards = state.visibleCards();
  el.loading.hidden = state.ready || cards.length > 0;
  el.empty.hidden = !state.ready || cards.length > 0 || [...cardEls.values()].some((e) => e.editing);

  const seen = new Set();
  let previous = null;
  for (const card of cards) {
    seen.add(card.id);
    let entry = cardEls.get(card.id);
    if (!entry) {
      entry = createCardEntry(card.id);
      cardEls.set(card.id, entry);
      if (firstRenderDone && (freshIds.has(card.id) || card.pending)) entry.root.classList.add('card--new');
    }
    if (entry.orphan) {
      entry.orphan = false;
      entry.editing?.warn('');
    }
    updateCardEntry(entry, card);
    const expected = previous ? previous.nextElementSibling : el.cards.firstElementChild;
    if (expected !== entry.root) el.cards.insertBefore(entry.root, expected);
    previous = entry.root;
  }
  freshIds.clear();
  for (const [id, entry] of cardEls) {
    if (seen.has(id)) continue;
    if (entry.editing) {
      // Deleted by someone else while we edit it: keep the editor so the text is not lost.
      if (!entry.orphan) {
        entry.orphan = true;
        entry.editing.warn(t.deleted_meanwhile);
      }
      continue;
    }
    const hadFocus = entry.root.contains(document.activeElement);
    entry.root.remove();
    cardEls.delete(id);
    if (hadFocus) focusAfterRemoval();
  }
  if (state.ready) firstRenderDone = true;
}

function focusAfterRemoval() {
  const next = el.cards.querySelector('.card__actions:not([hidden]) .button');
  if (next) next.focus();
  else if (!el.composer.hidden) el.text.focus();
  else el.cards.closest('section')?.focus?.();
}

function deleteCard(entry) {
  const id = entry.id;
  const hadFocus = entry.root.contains(document.activeElement);
  enqueue('card.delete', { id });
  showToast(t.deleted, {
    actionLabel: t.undo,
    timeout: UNDO_MS,
    onAction: () => enqueue('card.restore', { id }),
  });
  if (hadFocus) {
    requestAnimationFrame(() => {
      if (!document.activeElement || document.activeElement === document.body) focusAfterRemoval();
    });
  }
}

function buildSwatches(name, current) {
  const box = h('div', 'swatches swatches--small');
  box.setAttribute('role', 'radiogroup');
  box.setAttribute('aria-label', (t.colour_label) || '');
  const list = h('div', 'swatches__list');
  for (const colour of COLOURS) {
    const label = h('label', `swatch swatch--${colour}`);
    label.title = (t.colours && t.colours[colour]) || colour;
    const input = h('input');
    input.type = 'radio';
    input.name = name;
    input.value = colour;
    input.checked = colour === current;
    label.append(input, h('span', 'swatch__chip'), h('span', 'visually-hidden', label.title));
    list.append(label);
  }
  box.append(list);
  return box;
}

function startEdit(entry) {
  if (entry.editing || !writable()) return;
  const card = entry.card;
  if (!card) return;
  const form = h('form', 'card__edit');
  form.noValidate = true;
  const area = h('textarea', 'card__edit-text');
  area.value = card.text;
  area.maxLength = MAX_TEXT;
  area.rows = Math.min(10, Math.max(3, card.text.split('\n').length + 1));
  area.setAttribute('aria-label', t.edit_text_label);
  const row = h('div', 'card__edit-row');
  const kind = h('select', 'select');
  kind.setAttribute('aria-label', t.kind_label || '');
  for (const value of KINDS) {
    const option = h('option', null, (t.kinds && t.kinds[value]) || value);
    option.value = value;
    option.selected = value === card.kind;
    kind.append(option);
  }
  const swatches = buildSwatches(`edit-colour-${entry.id}`, card.colour);
  row.append(kind, swatches);
  const warning = h('p', 'card__warning');
  warning.hidden = true;
  warning.setAttribute('role', 'status');
  const buttons = h('div', 'card__edit-buttons');
  const cancel = h('button', 'button button--secondary', t.cancel);
  cancel.type = 'button';
  const save = h('button', 'button button--primary', t.save);
  save.type = 'submit';
  buttons.append(cancel, save);
  form.append(area, row, warning, buttons);

  entry.editing = {
    version: card.version,
    warn(message) {
      warning.textContent = message;
      warning.hidden = !message;
    },
  };
  entry.root.classList.add('card--editing');
  entry.refs.text.hidden = true;
  entry.refs.actions.hidden = true;
  entry.refs.text.after(form);

  const finish = () => {
    form.remove();
    entry.root.classList.remove('card--editing');
    entry.refs.text.hidden = false;
    const orphan = entry.orphan;
    entry.editing = null;
    entry.sig = null;
    scheduleRender();
    if (!orphan) requestAnimationFrame(() => entry.refs.edit.isConnected && entry.refs.edit.focus());
  };

  const submit = () => {
    const text = area.value.trim();
    if (!text) {
      area.setAttribute('aria-invalid', 'true');
      entry.editing.warn(t.empty_text);
      area.focus();
      return;
    }
    const current = entry.card || card;
    const colour = form.querySelector(`input[name="edit-colour-${entry.id}"]:checked`)?.value || current.colour;
    const data = { id: entry.id };
    if (entry.orphan) {
      enqueue('card.restore', { id: entry.id });
      entry.orphan = false;
    }
    if (text !== current.text) data.text = text;
    if (kind.value !== current.kind && KINDS.includes(kind.value)) data.kind = kind.value;
    if (colour !== current.colour && COLOURS.includes(colour)) data.colour = colour;
    if (Object.keys(data).length > 1) enqueue('card.update', data);
    finish();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  cancel.addEventListener('click', () => {
    if (entry.orphan) {
      // Cancelled on a card someone deleted: remove it now.
      entry.editing = null;
      entry.root.remove();
      cardEls.delete(entry.id);
      scheduleRender();
      return;
    }
    finish();
  });
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      cancel.click();
    }
  });
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
}

// ---- start ----------------------------------------------------------------------------------

// On a phone the board switcher scrolls sideways: show the current board's tab.
const currentChip = document.querySelector('.board-switcher .chip--current');
const switcher = currentChip?.closest('.board-switcher');
if (currentChip && switcher && currentChip.offsetLeft + currentChip.offsetWidth > switcher.clientWidth) {
  switcher.scrollLeft = currentChip.offsetLeft - (switcher.clientWidth - currentChip.offsetWidth) / 2;
}

renderPresence([me]);
updateConn();
updateWritable(false);
scheduleRender();
if (outbox.length) pump();
