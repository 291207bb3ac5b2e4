// Following the presenter: /present (members, templates/present/follow.html) and the audience link
// /a/<token> (no account, templates/present/audience.html). The facilitators' `present` control sets
// the workshop's live `presentation` ({group_id, slide}); members hear it on the socket (`live`
// message, docs/protocol.md "Live controls"), the audience asks for it every 2 s (GET …/live).
// The presented group's slides are fetched when the group changes (and again when they may be stale).

import { Api } from './api.js';
import { Connection } from './connection.js';
import { keyAction } from './present-keys.js';
import { createStage, setupAudienceDialog, setupFullscreen } from './present-stage.js';
import { $, readJson } from './ui.js';

const AUDIENCE_POLL_MS = 2000;
const STALE_MS = 20000;
const RETRY_MS = 3000;

const data = readJson('present-data');
const t = readJson('i18n-present');
const audience = data.mode === 'audience';
const api = new Api({ csrf: document.querySelector('meta[name="csrf-token"]')?.content || '' });
const stage = createStage({ t, thumbUrl: (id) => data.thumb_url.replace('{id}', encodeURIComponent(id)) });
const status = $('present-status');
const idle = $('present-idle');
const toggleFullscreen = setupFullscreen(t);
setupAudienceDialog(t);

let target = null; // the newest presentation state heard: {group_id, slide} or null
let deckGroup = null;
let deckAt = 0;
let loading = null;
let seq = -1;
let everPresented = false;

function setStatus(text, error = false) {
  status.textContent = text;
  status.classList.toggle('present-bar__status--error', error);
}

function showIdle() {
  stage.clear();
  deckGroup = null;
  stage.message(everPresented ? `${t.ended} ${t.waiting}` : t.waiting);
  setStatus(t.waiting);
  if (idle) idle.hidden = false;
}

async function fetchDeck(groupId) {
  const response = await api.getJson(data.slides_url.replace('{group}', encodeURIComponent(groupId)));
  if (response.ok && response.body && Array.isArray(response.body.slides)) return { deck: response.body };
  const error = response.body && response.body.error;
  return { error: error && error.hidden ? t.hidden : t.load_error, retry: response.status !== 404 };
}

async function loadDeck() {
  if (loading) return loading;
  loading = (async () => {
    while (target) {
      const groupId = target.group_id;
      if (!stage.deck || !stage.deck.group || stage.deck.group.id !== groupId) stage.message(t.loading);
      const { deck, error, retry } = await fetchDeck(groupId);
      if (!target || target.group_id !== groupId) continue; // moved on meanwhile
      if (deck) {
        deckGroup = groupId;
        deckAt = Date.now();
        stage.load(deck, target.slide || 0);
        setStatus(t.following);
        return;
      }
      stage.message(error, { keepSlide: false });
      setStatus(error, true);
      if (!retry) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  })().finally(() => {
    loading = null;
  });
  return loading;
}

const drive = $('present-drive'); // facilitators: take the lead from this screen

function follow(presentation) {
  target = presentation && presentation.group_id ? presentation : null;
  if (drive) {
    drive.hidden = !target;
    if (target) drive.href = `/present/${encodeURIComponent(target.group_id)}`;
  }
  if (!target) {
    showIdle();
    return;
  }
  everPresented = true;
  if (idle) idle.hidden = true;
  const slide = target.slide || 0;
  const stale = Date.now() - deckAt > STALE_MS;
  if (deckGroup === target.group_id && slide < stage.count && !stale) {
    stage.go(slide);
    setStatus(t.following);
  } else {
    loadDeck(); // another group, a slide beyond the deck, or slides that may have changed
  }
}

function onLive(message) {
  if (!message || typeof message.seq !== 'number' || message.seq <= seq || !message.state) return;
  seq = message.seq;
  follow(message.state.presentation);
}

if (audience) {
  let asked = 0;
  let answered = 0;
  const poll = async () => {
    const ticket = ++asked;
    const response = await api.getJson(data.live_url);
    if (ticket < answered) return; // an older answer arriving late
    answered = ticket;
    if (response.ok && response.body) follow(response.body.presentation);
    else if (response.status === 404) setStatus(t.load_error, true);
  };
  poll();
  setInterval(poll, AUDIENCE_POLL_MS);
} else {
  const readLive = () => api.getJson('/api/v1/live').then((r) => r.ok && onLive(r.body)).catch(() => {});
  const connection = new Connection({ api, onPoll: readLive, onOnline: readLive });
  connection.listen('live', onLive);
  connection.start();
  readLive();
}

document.addEventListener('keydown', (event) => {
  if (document.querySelector('dialog[open]')) return;
  const action = keyAction(event);
  if (action === 'fullscreen') {
    event.preventDefault();
    toggleFullscreen();
  } else if (action === 'escape' && !document.fullscreenElement && data.leave_url) {
    window.location.assign(data.leave_url);
  }
});
