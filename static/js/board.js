// Board page: the cards of one board, live (docs/protocol.md). The glue between
//   connection.js  socket, REST fallback and catch-up (SYNC-7, SYNC-8)
//   outbox.js      every change stored on the device first, re-sent with its op_id (SYNC-4)
//   cards-view.js  the cards as DOM (text via textContent only), card-editor.js, photo-viewer.js,
//   composer.js
//   zones-view.js  the board as zones (columns in #board-zones), dnd.js (drag and drop),
//                  card-mover.js ("Move to…", Alt+arrows), zone-menu.js (facilitators' zone changes)
//
// For other features of this page, `page` (below) holds what they need: the state, the views, the
// outbox (`enqueue`), `scheduleRender()` and `onRender(fn)` (fn(cards) after each render of the
// board's cards, in display order). CardsView's decorators and matcher are in cards-view.js.

import { Api } from './api.js';
import { createMover } from './card-mover.js';
import { startEdit } from './card-editor.js';
import { CardsView, photoUrl } from './cards-view.js';
import { createDnd } from './dnd.js';
import { INBOX, keyAfter } from './positions.js';
import { createZoneMenu } from './zone-menu.js';
import { visibleZones } from './zones-model.js';
import { ZonesView } from './zones-view.js';
import { createComposer } from './composer.js';
import { Connection, isOffline } from './connection.js';
import { startLive } from './live.js';
import { startPresentNotice } from './present-notice.js';
import { startPromptAnswer } from './prompt-answer.js';
import { FAILED, SENT } from './outbox.js';
import { openStore } from './outbox-store.js';
import { createPhotoViewer, shorten } from './photo-viewer.js';
import { BoardState, format, uuid4 } from './sync.js';
import { $, announcer, readJson, registerServiceWorker, toaster } from './ui.js';
import { createOutbox, keepSnapshot, legacyOutbox, localPhotos, presenceItems, withExtras } from './shared.js';
import { createHistory } from './history.js';
import { createUndo } from './undo-controls.js';
import { createBoardViews } from './board-views.js';
import { createBoardChanges } from './board-changes.js';
import { createComments } from './comments.js';
import { createReactions } from './reactions.js';
import { createVotePanel } from './vote-panel.js';
import { createThemes } from './themes.js';

const pageData = readJson('board-data');
const t = { ...readJson('i18n'), ...readJson('i18n-zones') };
const boardInfo = pageData.board || {};
const me = pageData.participant || {};
const boardId = boardInfo.id;
const isFacilitator = me.role === 'facilitator';
const UNDO_MS = 8000;
const DRAFT_KEY = `collab:draft:${boardId}:${me.id}`;

// The server's write rule (collab.sync.access): may this person write here, and while locked.
const rights = pageData.rights || { write: false, while_locked: false };
const canWrite = Boolean(rights.write);
let locked = Boolean(boardInfo.locked);
let removed = false; // the facilitators removed this board (board-changes.js): nothing to change any more
const writable = () => canWrite && !removed && (!locked || Boolean(rights.while_locked));

const el = Object.fromEntries(['board', 'conn-pill', 'conn-label', 'presence-list', 'board-error', 'board-error-text',
  'board-error-link', 'readonly-notice', 'readonly-text', 'composer', 'composer-text', 'composer-count', 'composer-hint',
  'composer-kind', 'composer-submit', 'cards-loading', 'cards-empty', 'board-zones', 'toasts', 'announcer']
  .map((id) => [id.replace(/-(\w)/g, (_, c) => c.toUpperCase()), $(id)]));

const group = ((pageData.workshop || {}).groups || []).find((g) => g.id === boardInfo.group_id);
if (group && /^#[0-9a-fA-F]{3,8}$/.test(group.colour || '')) el.board.style.setProperty('--group-colour', group.colour);

const showToast = toaster(el.toasts, t.dismiss);
const announce = announcer(el.announcer);
const errorMessage = (code) => (t.errors && (t.errors[code] || t.errors.unknown)) || code;
const prefersReducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

// ---- state, view, connection ---------------------------------------------------------------

const fresh = new Set(); // others' new cards, to animate in
let flashId = null; // our own new card, to scroll to
let firstRenderDone = false;
let renderQueued = false;
let signedOut = false;

const state = new BoardState({
  selfId: me.id,
  onChange: () => {
    scheduleRender();
    snapshot?.changed();
  },
  onGap: () => connection.scheduleGapFill(),
  onGapClosed: () => connection.cancelGapFill(),
  onEvent(event) {
    if (event.type === 'board.lock') applyBoardMeta(state.board);
    boardChanges.onEvent(event); // renamed, recoloured, new template, removed (board-changes.js)
    const card = event.data && event.data.card;
    if (event.type === 'card.create' && card && event.actor_id !== me.id) {
      fresh.add(card.id);
      announce(format(t.new_note, { name: card.author_name || '' }));
    }
    historyDrawer.onEvent(event);
    themes.onEvent(event); // who changed which text, for the conflict dialog (themes.js)
  },
});

const photos = localPhotos();
const view = new CardsView({
  t,
  visits: new Map((Array.isArray(pageData.visits) ? pageData.visits : []).map((v) => [v.id, v])),
  locale: document.documentElement.lang || 'fr',
  isWritable: writable,
  isWaiting: (card) => isOffline() || Boolean(outbox && outbox.isStalled(card.id)),
  localPhoto: (mediaId) => photos.url(mediaId),
  onEdit: (entry) => writable() && editCard(entry),
  onDelete: (entry) => deleteCard(entry),
  onOpenPhoto: (card, trigger) => viewer.open(photoUrl(card.media_id), { label: shorten(card.text), author: card.author_name, trigger }),
  onMove: (entry, trigger) => mover.show(entry, trigger),
});
const viewer = createPhotoViewer(t);
const zones = new ZonesView({
  container: el.boardZones,
  view,
  t,
  onMove(id, { zone, position }) {
    enqueue('card.move', position ? { id, zone, position } : { id, zone });
  },
  decorateZone: (zone, column) => zoneMenu.decorate(zone, column),
  onColumns: (columns) => dnd.sync(columns),
  onSize: (list, count) => dnd.size(list, count),
});
const zoneMenu = createZoneMenu({
  zones,
  t,
  canManage: () => isFacilitator && canWrite && !removed,
  send: (type, data) => enqueue(type, data),
  announce: (message) => announce(message),
});
zones.tail = zoneMenu.tail;
const mover = createMover({ zones, view, t, canMove: writable, announce: (message) => announce(message) });
const dnd = createDnd({ zones, isEnabled: writable, reducedMotion: () => prefersReducedMotion(), onDragStart: () => mover.close(false),
  onTheme: (id, themeId) => themes.dropOnTheme(id, themeId) }); // dropped on the bar of themes (theme-drop.js)
el.boardZones.addEventListener('keydown', (event) => mover.onKeydown(event));
// Search, filters (in the URL) and the timeline and list views (board-views.js), with CardsViews like `view`.
const views = createBoardViews({
  boardView: view,
  boardEl: () => el.boardZones,
  makeCardsView: (list) => new CardsView({ list, t, locale: document.documentElement.lang || 'fr', visits: view.visits, ...view.hooks }),
  scheduleRender: () => scheduleRender(),
  showToast: (message, options) => showToast(message, options),
  t,
  locale: document.documentElement.lang || 'fr',
});

function banner(message, joinLink = false) {
  el.boardErrorText.textContent = message;
  el.boardErrorLink.hidden = !joinLink;
  el.boardError.hidden = !message;
}

// The facilitators' changes of the whole board (board-changes.js); a removed board offers no changes.
const boardChanges = createBoardChanges({
  board: el.board,
  boardId,
  t,
  notify: (message) => showToast(message, { timeout: 10000 }),
  announce: (message) => announce(message),
  onRemoved(message) {
    removed = true;
    updateWritable(true);
    el.readonlyText.textContent = message;
    banner(message);
  },
});

const api = new Api({ csrf: document.querySelector('meta[name="csrf-token"]')?.content || '', participantId: me.id });
const connection = new Connection({
  api,
  boardId,
  state,
  onStatus: updateConn,
  onPresence: (people) => {
    el.presenceList.replaceChildren(...presenceItems(people, me, t));
    for (const fn of presenceHooks) fn(people);
  },
  onBoardMeta: applyBoardMeta,
  onBoardError: (code, message) => {
    if (code === 'not_found') boardChanges.markRemoved(); // the page showed it: it was removed since
    else if (code) banner(message || errorMessage(code));
    else if (!signedOut && !boardChanges.removed) banner('');
  },
  onSignedOut: () => {
    signedOut = true;
    banner(errorMessage('unauthorized'), true);
  },
  onSignedIn: () => {
    signedOut = false;
    banner('');
    outbox?.resume();
  },
  onOnline: () => outbox?.kick(),
  onPoll: () => outbox?.pump(),
  // Moved to another group: their own board is now another one (/ leads there).
  onAccess: (reason) => reason === 'moved' && window.location.assign('/'),
});

// While the facilitators hide the groups' boards from each other, another group's board is not shown;
// when they reveal them, the page loads afresh.
let hiddenByFacilitators = false;
function hideIfGroupsHidden(live) {
  const othersBoard = !isFacilitator && boardInfo.group_id && boardInfo.group_id !== me.group_id;
  if (!othersBoard) return;
  if (live.groups_hidden && !hiddenByFacilitators) {
    hiddenByFacilitators = true;
    el.board.classList.add('board--hidden-by-facilitators');
    banner(t.groups_hidden || errorMessage('forbidden'));
  } else if (!live.groups_hidden && hiddenByFacilitators) {
    window.location.reload();
  }
}

function updateConn(status) {
  const className = `pill pill--${status}`;
  if (el.connPill.className !== className) {
    el.connPill.className = className;
    el.connLabel.textContent = t.conn[status];
  }
  el.presenceList.closest('.presence')?.classList.toggle('presence--stale', status !== 'connected');
  if (state.pending.size) scheduleRender(); // "queued" or "sending" on the cards not sent yet
}

function applyBoardMeta(board) {
  boardChanges.onBoardMeta(board);
  if (board && typeof board.locked === 'boolean' && board.locked !== locked) {
    locked = board.locked;
    updateWritable(true);
    if (!locked) outbox?.reopen(boardId); // the capture screen's notes held by the lock (outbox.js)
  }
}

// ---- the outbox -----------------------------------------------------------------------------

let outbox = null;
let snapshot = null;
const ready = openStore().then(async (store) => {
  api.store = store;
  outbox = createOutbox({
    store,
    owner: me.id,
    connection,
    api,
    onChange: syncPending,
    onAck(item, result) {
      state.ack(item.op.op_id, result);
      undo.acked(item.op, result);
      if (item.op.type === 'card.create' && item.op.data.id === flashId) requestAnimationFrame(() => reveal(flashId));
    },
    onFail: handleFailure,
    onSignedOut: () => {
      signedOut = true;
      banner(errorMessage('unauthorized'), true);
      updateConn('offline');
    },
  });
  snapshot = keepSnapshot(store, state, boardId, { busy: () => dnd.dragging });
  // Offline: the cards as they were when last seen. Online the snapshot may have come first (it is
  // preloaded with the page): keep it now.
  if (!(await snapshot.restore()) && state.ready) snapshot.changed();
  await outbox.open();
  await legacyOutbox(outbox, me.id); // queued by an older version of this page: nothing is lost
  if (!store.persistent) window.addEventListener('beforeunload', warnIfPending);
  syncPending();
  outbox.kick();
  if (!locked) outbox.reopen(boardId);
  return outbox;
});

/** Shows this board's queued ops (from this page, the capture screen or an earlier visit). */
function syncPending() {
  if (!outbox) return;
  const queued = new Set();
  for (const item of outbox.pending(boardId)) {
    if (item.state === FAILED) continue;
    queued.add(item.op.op_id);
    const id = item.op.data && item.op.data.id;
    const known = item.op.type === 'card.create' && (state.cards.has(id) || state.deleted.has(id));
    if (!known) state.addPending(item.op, { author_id: me.id, author_name: me.name, ...item.meta });
    if (item.media && item.media.data) photos.add(item.media);
  }
  // Sent by another tab meanwhile: its event comes live or by catch-up.
  let gone = false;
  for (const [opId, entry] of state.pending) {
    if (!queued.has(opId) && entry.ackedSeq == null) {
      state.dropPending(opId);
      gone = true;
    }
  }
  if (gone) connection.catchUp();
  // The outbox's states show on the cards not sent yet; with none, nothing to redraw (a full pass
  // over 2,000 cards costs 30-70 ms). Adding or dropping one redraws by itself (state's onChange).
  if (state.pending.size) scheduleRender();
}

function warnIfPending(event) {
  if (outbox && outbox.pending(boardId).some((i) => i.state !== SENT && i.state !== FAILED)) {
    event.preventDefault();
    event.returnValue = t.pending_leave;
  }
}

async function enqueue(type, data, meta = {}) {
  const op = { board_id: boardId, op_id: uuid4(), type, data };
  undo.track(op, meta); // before the op shows: what undoing it puts back
  state.addPending(op, { author_id: me.id, author_name: me.name, ...meta });
  const box = await ready;
  await box.add({ op, meta });
  return op;
}

// The History drawer and Undo (history.js, undo-controls.js): fed by enqueue, onAck, handleFailure, onEvent.
const historyDrawer = createHistory({ api, state, boardId, me, enqueue, writable, announce, locale: document.documentElement.lang || 'fr' });
const undo = createUndo({ state, enqueue, writable, showToast });

function handleFailure(item, error) {
  const { op } = item;
  state.dropPending(op.op_id);
  if (undo.failed(op, error)) return void outbox.discard(item.seq); // an undo refused: its own message
  if (themes.failed(op, error)) return void outbox.discard(item.seq); // a text conflict: its dialog (themes.js)
  const code = error.code || 'unknown';
  if (code === 'locked') {
    locked = true;
    updateWritable(true);
    showToast(t.locked_now, { kind: 'error', timeout: 10000 });
  } else if ((code !== 'not_found' || op.type !== 'card.create') && !boardChanges.removed) {
    showToast(error.message || errorMessage(code), { kind: 'error', timeout: 10000 });
  }
  if (item.keep) return; // a note of the capture screen: it stays there, with its error
  // A refused comment's text goes back to the comment box (comments.js), not to the note composer.
  if (op.type !== 'comment.add' && op.data && typeof op.data.text === 'string') composer.restore(op.data.text);
  outbox.discard(item.seq);
}

function reveal(id) {
  if (!views.reveal(id, !prefersReducedMotion())) view.reveal(id, !prefersReducedMotion());
}

const composer = createComposer({
  el,
  t,
  draftKey: DRAFT_KEY,
  writable,
  showToast,
  onPost({ text, kind, colour }) {
    const id = uuid4();
    flashId = id;
    // New notes land at the end of the inbox.
    enqueue('card.create', { id, text, kind, colour, zone: INBOX, position: keyAfter(zones.zoneCards(INBOX)) });
    requestAnimationFrame(() => reveal(id));
  },
});

function updateWritable(changedNow = false) {
  const w = writable();
  // A read-only board hides the composer, except when it holds text the user still needs.
  el.composer.hidden = !w && !composer.hasText();
  el.composerSubmit.disabled = !w;
  el.readonlyNotice.hidden = w && !locked;
  if (changedNow && locked && !rights.while_locked) el.readonlyText.textContent = t.locked_now;
  if (changedNow && !locked && canWrite && !removed) el.readonlyNotice.hidden = true;
  dnd.update();
  if (!w) mover.close(false);
  view.invalidate();
  views.invalidate(); // the timeline's and the list's cards show the actions too
  scheduleRender();
}

// ---- cards ----------------------------------------------------------------------------------

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(render);
}

function render() {
  renderQueued = false;
  // Nothing to show before the first snapshot (stored or read), unless notes are queued here: the
  // page's "Loading the board…" stays (an empty pass costs ~30-50 ms just as the snapshot arrives).
  if (!state.ready && state.pending.size === 0) return;
  const cards = withExtras(state);
  el.cardsLoading.hidden = state.ready || cards.length > 0;
  const editing = [...view.entries.values()].some((e) => e.editing);
  el.cardsEmpty.hidden = !state.ready || cards.length > 0 || editing;
  const boardZones = visibleZones(state.board, state.pending, t.inbox);
  const options = {
    isNew: (card) => firstRenderDone && (fresh.has(card.id) || card.pending),
    onOrphan: (entry) => entry.editing.warn(t.deleted_meanwhile),
    onRemoved: focusAfterRemoval,
  };
  const drawn = zones.render(boardZones, cards, options);
  views.render(cards, { zones: boardZones, visits: view.visits, themes: state.analysis?.visibleThemes(state.pending.values()),
    ready: state.ready, options });
  if (drawn) {
    fresh.clear();
    mover.refresh();
  }
  if (state.ready) {
    firstRenderDone = true;
    registerWorkerSoon();
  }
  for (const hook of renderHooks) hook(cards);
}

// The service worker's install fetches the app shell (~80 files): after the board's first render, when
// the page is idle, not while the render needs the network and the processor.
let workerQueued = false;
function registerWorkerSoon() {
  if (workerQueued) return;
  workerQueued = true;
  const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 200));
  idle(() => registerServiceWorker(), { timeout: 2000 });
}

function focusAfterRemoval() {
  const next = el.boardZones.querySelector('.card__actions:not([hidden]) .button');
  if (next) next.focus();
  else if (!el.composer.hidden) el.composerText.focus();
}

function deleteCard(entry) {
  const { id } = entry;
  const hadFocus = entry.root.contains(document.activeElement);
  const sent = enqueue('card.delete', { id });
  showToast(t.deleted, { actionLabel: t.undo, timeout: UNDO_MS, onAction: () => undo.undoOp(sent) });
  if (hadFocus) {
    requestAnimationFrame(() => {
      if (!document.activeElement || document.activeElement === document.body) focusAfterRemoval();
    });
  }
}

function editCard(entry) {
  if (entry.editing || !entry.card) return;
  // The text the edit starts from: a text changed meanwhile by someone else is refused as a
  // `conflict` (SYNC-12) and shown in the conflict dialog instead of being overwritten (themes.js).
  const baseText = entry.card.text;
  themes.cardEditStarted(entry.id); // "… is editing" for the others
  startEdit(entry, {
    t,
    extend: (card) => themes.cardEditorField(card), // the Theme choice
    save(changes, { restore }) {
      if (restore) enqueue('card.restore', { id: entry.id });
      if (changes.text === baseText) delete changes.text; // not touched here: a text changed meanwhile stays
      else if ('text' in changes) changes.base_text = baseText;
      if (Object.keys(changes).length) enqueue('card.update', { id: entry.id, ...changes });
    },
    done(orphanCancelled) {
      themes.cardEditEnded(entry.id);
      if (orphanCancelled) view.drop(entry);
      scheduleRender();
    },
  });
}

// ---- for the other features of the page -------------------------------------------------------

const renderHooks = [];
const presenceHooks = [];
const page = {
  state,
  view,
  zones,
  views,
  t,
  me,
  boardId,
  isFacilitator,
  writable,
  enqueue,
  scheduleRender,
  showToast,
  announce,
  onRender: (fn) => renderHooks.push(fn),
  onPresence: (fn) => presenceHooks.push(fn), // fn(people) with each presence update
};

// Dot voting, comments and quick reactions on the cards (vote-panel.js, comments.js, reactions.js).
const votePanel = createVotePanel(page);
const reactions = createReactions(page);
createComments(page, { reactions });
page.vote = votePanel; // open/reveal/close, for other features of the page
// Themes and their synthesis, "… is editing", the conflict dialog of text edits (themes.js).
const themes = createThemes(page, { connection, restoreText: (text) => composer.restore(text) });
page.onPresence((people) => themes.presence(people));

// ---- start ----------------------------------------------------------------------------------

// On a phone the board switcher scrolls sideways: show the current board's tab.
const currentChip = document.querySelector('.board-switcher .chip--current');
const switcher = currentChip?.closest('.board-switcher');
if (currentChip && switcher && currentChip.offsetLeft + currentChip.offsetWidth > switcher.clientWidth) {
  switcher.scrollLeft = currentChip.offsetLeft - (switcher.clientWidth - currentChip.offsetWidth) / 2;
}

el.presenceList.replaceChildren(...presenceItems([me], me, t));
updateConn(connection.status);
updateWritable(false);
startLive(connection, { api, onState: hideIfGroupsHidden });
startPresentNotice(connection, { groups: (pageData.workshop && pageData.workshop.groups) || [], t });
startPromptAnswer(connection, { api });
connection.start();
themes.start();
setTimeout(registerWorkerSoon, 5000); // no first render (offline, no snapshot kept): register anyway
// The visits came with the page (board-data); a page kept offline may hold older ones: read them
// again, and redraw every card only if they changed.
let visitsSeen = JSON.stringify(pageData.visits || []);
api.getJson('/api/v1/visits').then((response) => {
  if (!response.ok || !response.body || !Array.isArray(response.body.visits)) return;
  const seen = JSON.stringify(response.body.visits);
  if (seen === visitsSeen) return;
  visitsSeen = seen;
  view.visits = new Map(response.body.visits.map((v) => [v.id, v]));
  view.invalidate();
  views.invalidate();
  scheduleRender();
});
