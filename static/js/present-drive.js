// A group's slideshow (/present/<group_id>, templates/present/show.html). A facilitator drives it:
// each slide change is the `present` live control (POST /api/v1/live), so every follower's screen
// shows the same slide; a participant pages through it on their own screen only (a preview).
// Keys: arrows, space, PageUp/PageDown (clickers), Home/End, F (full screen), Esc (leave).

import { Api } from './api.js';
import { keyAction, step } from './present-keys.js';
import { createStage, setupAudienceDialog, setupFullscreen } from './present-stage.js';
import { $, readJson } from './ui.js';

const RETRY_MS = 3000;
const STALE_MS = 20000;
const MAX_TRIES = 5;
const data = readJson('present-data');
const t = readJson('i18n-present');
const driving = data.mode === 'drive';
const api = new Api({ csrf: document.querySelector('meta[name="csrf-token"]')?.content || '' });
const thumbUrl = (id) => data.thumb_url.replace('{id}', encodeURIComponent(id));
const stage = createStage({ t, thumbUrl });
const status = $('present-status');
const toggleFullscreen = setupFullscreen(t);
setupAudienceDialog(t);

// Sending: one control at a time, and only the newest wanted slide after it. Resolves once sent.
let wanted = null;
let pump = null;

function send(control) {
  wanted = control;
  if (!pump) {
    pump = (async () => {
      let tries = 0;
      while (wanted) {
        const next = wanted;
        wanted = null;
        const response = await api.write('POST', '/api/v1/live', { json: next });
        status.textContent = response.ok ? t.presenting : t.send_error;
        status.classList.toggle('present-bar__status--error', !response.ok);
        tries = response.ok ? 0 : tries + 1;
        const passing = response.status === 0 || response.status === 429 || response.status >= 500;
        if (!response.ok && passing && tries < MAX_TRIES) {
          // A network hiccup: the same slide again in a moment, unless the presenter moved on.
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          if (!wanted) wanted = next;
        }
      }
    })().finally(() => {
      pump = null;
    });
  }
  return pump;
}

// The slides change while they are shown (a late note, a vote): fetched again now and then.
let loadedAt = 0;
let refreshing = false;

async function refresh() {
  if (refreshing || Date.now() - loadedAt < STALE_MS) return;
  refreshing = true;
  const response = await api.getJson(data.slides_url);
  refreshing = false;
  if (!response.ok || !response.body || !Array.isArray(response.body.slides)) return;
  loadedAt = Date.now();
  stage.load(response.body, stage.index);
}

function go(action) {
  const before = stage.index;
  const at = stage.go(step(stage.index, stage.count, action));
  if (driving && at !== before) send({ type: 'present', group_id: data.group_id, slide: at });
  refresh();
}

async function startAt() {
  if (!driving) return 0;
  const response = await api.getJson('/api/v1/live');
  const shown = response.ok && response.body && response.body.state && response.body.state.presentation;
  return shown && shown.group_id === data.group_id ? shown.slide || 0 : 0;
}

async function load() {
  stage.message(t.loading);
  const [response, at] = await Promise.all([api.getJson(data.slides_url), startAt()]);
  if (!response.ok || !response.body || !Array.isArray(response.body.slides)) {
    const hidden = response.body && response.body.error && response.body.error.hidden;
    stage.message(hidden ? t.hidden : t.load_error);
    if (!hidden && response.status !== 404) setTimeout(load, RETRY_MS);
    return;
  }
  loadedAt = Date.now();
  stage.load(response.body, at);
  if (driving) send({ type: 'present', group_id: data.group_id, slide: stage.index });
}

document.addEventListener('keydown', (event) => {
  if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
  const action = keyAction(event);
  if (!action) return;
  event.preventDefault();
  if (action === 'fullscreen') toggleFullscreen();
  else if (action === 'escape') {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else window.location.assign(data.leave_url);
  } else go(action);
});

$('slide-prev').addEventListener('click', () => go('prev'));
$('slide-next').addEventListener('click', () => go('next'));

// A swipe on a touch screen turns the page too.
let touchX = null;
$('stage').addEventListener('pointerdown', (event) => {
  if (event.pointerType !== 'mouse') touchX = event.clientX;
});
$('stage').addEventListener('pointerup', (event) => {
  if (touchX === null) return;
  const dx = event.clientX - touchX;
  touchX = null;
  if (Math.abs(dx) > 60) go(dx < 0 ? 'next' : 'prev');
});

const end = $('present-end');
if (end) {
  end.addEventListener('click', async () => {
    end.disabled = true;
    await send({ type: 'present', group_id: null, slide: 0 });
    window.location.assign(data.leave_url);
  });
}

load();
