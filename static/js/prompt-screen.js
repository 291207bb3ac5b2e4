// The projector view of one question (templates/facilitator/prompt_screen.html): the results from
// GET /api/v1/prompts/<id>/results, then live from the socket's `prompt:results`; a word cloud
// (word-cloud.js) whose words a click hides (POST …/hidden), or the bilan (bilan-results.js).

import { Api } from './api.js';
import { createBilanResults } from './bilan-results.js';
import { Connection } from './connection.js';
import { plural } from './plural.js';
import { createWordCloud } from './word-cloud.js';
import { $, readJson, toaster } from './ui.js';

const data = readJson('screen-data');
const t = readJson('i18n-screen');
const prompt = data.prompt;
const locale = document.documentElement.lang || 'fr';
const api = new Api({ csrf: document.querySelector('meta[name="csrf-token"]')?.content || '' });
const toast = toaster($('toasts'), t.close);
const resultsUrl = `/api/v1/prompts/${encodeURIComponent(prompt.id)}/results`;

let latest = null;
let retry = 0;

const cloud = prompt.kind === 'words' ? createWordCloud($('word-cloud'), $('hidden-words'), { t, onToggle: toggleWord }) : null;
const bilan = prompt.kind === 'bilan' ? createBilanResults({ t, locale }) : null;

function show(results) {
  if (!results || !results.prompt || results.prompt.id !== prompt.id) return;
  latest = results;
  $('screen-question').textContent = results.prompt.question;
  $('screen-closed').hidden = results.prompt.status !== 'closed';
  const state = $('screen-state');
  if (cloud) {
    cloud.update(results.words || []);
    const shown = (results.words || []).filter((w) => !w.hidden).length;
    state.hidden = shown > 0;
    state.className = 'state';
    state.textContent = t.waiting_words;
    const hiddenCount = (results.words || []).filter((w) => w.hidden).length;
    $('hidden-empty').hidden = hiddenCount > 0;
    $('hidden-toggle').textContent = hiddenCount ? plural(t, 'hidden_count', hiddenCount) : t.hidden_none;
    $('screen-count').textContent = plural(t, 'answers', results.answers);
  } else {
    bilan.update(results);
    state.hidden = true;
    const takeaways = (results.takeaways || []).length;
    const evaluations = plural(t, 'evaluations', results.evaluations);
    $('screen-count').textContent = `${plural(t, 'takeaways', takeaways)} · ${evaluations}`;
  }
}

async function load() {
  const response = await api.getJson(resultsUrl).catch(() => null);
  if (response && response.ok && response.body) {
    clearTimeout(retry);
    show(response.body);
    return;
  }
  if (!latest) {
    $('screen-state').className = 'state';
    $('screen-state').textContent = t.load_error;
  }
  clearTimeout(retry);
  retry = setTimeout(load, 5000);
}

async function toggleWord(word, hidden) {
  const response = await api.write('POST', `/api/v1/prompts/${encodeURIComponent(prompt.id)}/hidden`, { json: { word, hidden } });
  if (response.ok && response.body) {
    show(response.body);
    toast((hidden ? t.hidden_done : t.shown_done).replace('{word}', word), { timeout: 3000 });
    return;
  }
  const message = (response.body && response.body.error && response.body.error.message) || t.hide_error;
  toast(message, { kind: 'error' });
}

// ---- the hidden words, aside (kept off the projected picture until asked for) ----------------------

if (cloud) {
  $('hidden-toggle').addEventListener('click', () => {
    const open = $('hidden-side').hidden;
    $('hidden-side').hidden = !open;
    $('hidden-toggle').setAttribute('aria-expanded', String(open));
  });
}

// ---- full screen ----------------------------------------------------------------------------------

const fullButton = $('screen-fullscreen');
fullButton.hidden = !document.fullscreenEnabled;
fullButton.addEventListener('click', () => {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else document.documentElement.requestFullscreen().catch(() => {});
});
document.addEventListener('fullscreenchange', () => {
  const on = Boolean(document.fullscreenElement);
  fullButton.textContent = on ? t.exit_fullscreen : t.fullscreen;
  fullButton.setAttribute('aria-pressed', String(on));
});

// ---- live -----------------------------------------------------------------------------------------

const pill = $('conn-pill');
const connection = new Connection({
  api,
  onStatus: (status) => {
    pill.className = `pill pill--${status}`;
    $('conn-label').textContent = (t.conn && t.conn[status]) || status;
  },
  // Back online after a gap: what was missed comes with a fresh read.
  onOnline: () => latest && load(),
  // No socket (a proxy may block WebSockets): read the results every few seconds instead.
  onPoll: () => load(),
  onSignedOut: () => window.location.assign(`/facilitator/login?next=${encodeURIComponent(window.location.pathname)}`),
});
connection.listen('prompt:results', show);
connection.listen('live', (message) => {
  // Closed (or replaced) from another screen: say so.
  const open = message && message.state && message.state.prompt;
  if (latest && latest.prompt.status === 'open' && (!open || open.id !== prompt.id)) load();
});
load();
connection.start();
