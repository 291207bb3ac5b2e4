// The facilitators' live console (templates/facilitator/console.html): a live tile per group's board
// (console-tiles.js, fed by console-boards.js over one socket) and the controls broadcast to every
// phone and board (console-controls.js). The page acts as the account's facilitator participant in the
// workshop; the live bar (live.js) shows the timer and banner exactly as participants see them.

import { Api } from './api.js';
import { Connection } from './connection.js';
import { createControls } from './console-controls.js';
import { watchBoards } from './console-boards.js';
import { createTile } from './console-tiles.js';
import { API, call, t } from './facilitator-api.js';
import { startLive } from './live.js';
import { $, readJson } from './ui.js';
import { closeVote, openVote, revealVote } from './vote-panel.js';

const data = readJson('console-data');
const locale = document.documentElement.lang || 'fr';
const groups = Array.isArray(data.groups) ? data.groups : [];
const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
const api = new Api({ csrf });

const pill = $('conn-pill');
const pillLabel = $('conn-label');
function showStatus(status) {
  pill.className = `pill pill--${status}`;
  pillLabel.textContent = (t.conn && t.conn[status]) || status;
}

let watcher = null;
const connection = new Connection({
  api,
  onStatus: showStatus,
  onOnline: () => watcher && watcher.online(),
  onPoll: () => {
    if (watcher) watcher.poll();
    pollLive();
    pollPresence();
  },
  onSignedOut: () => {
    const next = encodeURIComponent(window.location.pathname);
    window.location.assign(`/facilitator/login?next=${next}`);
  },
});

// ---- tiles ------------------------------------------------------------------------------------

const tiles = new Map();
const dirty = new Set();
let frame = 0;

function scheduleTile(boardId) {
  dirty.add(boardId);
  if (!frame) {
    frame = requestAnimationFrame(() => {
      frame = 0;
      for (const id of dirty) {
        const tile = tiles.get(id);
        const watched = watcher.boards.get(id);
        if (tile && watched) tile.update(watched);
      }
      dirty.clear();
    });
  }
}

watcher = watchBoards({
  connection,
  api,
  boardIds: groups.map((g) => g.board_id),
  selfId: data.self_id,
  onChange: scheduleTile,
});

function voteSettings() {
  const dots = Number($('vote-dots').value);
  return { dots, hidden: $('vote-hidden').checked };
}

const actions = {
  lock: (boardId, locked) => watcher.send(boardId, 'board.lock', { locked }),
  vote(boardId, action, voteId) {
    const send = (type, payload) => watcher.send(boardId, type, payload);
    if (action === 'reveal') return revealVote(send, voteId);
    if (action === 'close') return closeVote(send, voteId);
    try {
      return openVote(send, voteSettings());
    } catch {
      $('vote-dots').setAttribute('aria-invalid', 'true');
      return Promise.resolve({ ok: false, error: { code: 'invalid', message: t.dots_invalid } });
    }
  },
};

const grid = $('tiles');
for (const group of groups) {
  const tile = createTile(group, { t, locale, selfId: data.self_id, actions });
  tiles.set(group.board_id, tile);
  grid.append(tile.root);
  tile.update(watcher.boards.get(group.board_id));
}
$('vote-dots').addEventListener('input', (event) => event.target.removeAttribute('aria-invalid'));

// The activity count looks back 10 minutes: let it fall as time passes.
setInterval(() => {
  for (const id of tiles.keys()) scheduleTile(id);
}, 30000);

// Without the socket there is no `presence`: the participants list says who is on which board.
let lastPresencePoll = 0;
async function pollPresence() {
  if (Date.now() - lastPresencePoll < 10000) return;
  lastPresencePoll = Date.now();
  const response = await call('GET', `${API}/workshops/${encodeURIComponent(data.workshop_id)}/participants`);
  if (!response.ok || !response.body || !Array.isArray(response.body.participants)) return;
  const byBoard = new Map(groups.map((g) => [g.board_id, []]));
  for (const person of response.body.participants) {
    for (const boardId of person.boards || []) byBoard.get(boardId)?.push(person);
  }
  for (const [boardId, people] of byBoard) watcher.setPresence(boardId, people);
}

// ---- controls ---------------------------------------------------------------------------------

async function lockAll(locked) {
  const targets = [...watcher.boards.values()].filter((w) => !w.state.board || w.state.board.locked !== locked);
  const results = await Promise.all(targets.map((w) => watcher.send(w.id, 'board.lock', { locked })));
  return { count: targets.length, failed: results.filter((r) => !r || !r.ok).length };
}

// The live bar (live.js) listens for `live` messages on the connection; the console also hands it
// the state its own controls get back over REST, and polls it while the socket is down.
const liveListeners = [];
function showLive(message) {
  for (const fn of liveListeners) fn(message);
}
let lastLivePoll = 0;
async function pollLive() {
  if (Date.now() - lastLivePoll < 10000) return;
  lastLivePoll = Date.now();
  const response = await api.getJson('/api/v1/live');
  if (response.ok && response.body) showLive(response.body);
}
const liveSource = {
  listen(name, fn) {
    if (name === 'live') liveListeners.push(fn);
    connection.listen(name, fn);
  },
};

const controls = createControls({ api, t, lockAll, onLive: showLive });
controls.render(null);
startLive(liveSource, { api, onState: (state) => controls.render(state) });
connection.start();
watcher.start();
