// The facilitators' questions page (templates/facilitator/prompts.html): ask the opening words or the
// closing bilan (POST /api/v1/prompts; opening one closes the other), close it, see the past ones, each
// with its projector view. The open question and its answer count follow the socket (`live`,
// `prompt:results`), so a co-facilitator's changes show too. docs/protocol.md, "Prompts".

import { Api } from './api.js';
import { Connection } from './connection.js';
import { call, fill, t } from './facilitator-api.js';
import { plural } from './plural.js';
import { timeFormat } from './time.js';
import { $, h, readJson } from './ui.js';

const data = readJson('prompts-data');
const locale = document.documentElement.lang || 'fr';
const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
const api = new Api({ csrf });
const when = timeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

const screenUrl = (id) => `/facilitator/w/${encodeURIComponent(data.workshop_id)}/prompts/${encodeURIComponent(id)}/screen`;

let prompts = [];
let open = null; // the open prompt, as the live state says
let counts = new Map(); // prompt id → the latest results

function feedback(id, message, ok) {
  const el = $(id);
  el.textContent = message || '';
  el.className = `prompts-feedback${message ? (ok ? ' prompts-feedback--ok' : ' prompts-feedback--error') : ''}`;
}

function countText(results) {
  if (!results) return '';
  if (results.prompt.kind === 'words') return plural(t, 'answers', results.answers);
  const takeaways = plural(t, 'takeaways', results.takeaways.length);
  return `${takeaways} · ${plural(t, 'evaluations', results.evaluations)}`;
}

// ---- the open question ----------------------------------------------------------------------------

function renderCurrent() {
  $('current-state').textContent = open ? t.open_now : t.none_open;
  $('current-question').hidden = !open;
  $('current-actions').hidden = !open;
  $('current-count').hidden = !open;
  if (!open) return;
  $('current-question').textContent = open.question;
  $('current-screen').href = screenUrl(open.id);
  $('current-count').textContent = countText(counts.get(open.id)) || '';
}

async function loadCount(id) {
  const response = await api.getJson(`/api/v1/prompts/${encodeURIComponent(id)}/results`);
  if (response.ok && response.body) showResults(response.body);
}

function showResults(results) {
  if (!results || !results.prompt) return;
  counts.set(results.prompt.id, results);
  if (open && open.id === results.prompt.id) renderCurrent();
}

$('current-close').addEventListener('click', async () => {
  if (!open) return;
  const button = $('current-close');
  button.disabled = true;
  feedback('current-feedback', t.closing, true);
  const result = await call('POST', `/api/v1/prompts/${encodeURIComponent(open.id)}/close`);
  button.disabled = false;
  if (!result.ok) {
    feedback('current-feedback', result.message, false);
    return;
  }
  feedback('current-feedback', t.closed_done, true);
  open = null;
  renderCurrent();
  loadList();
});

// ---- asking -------------------------------------------------------------------------------------

async function ask(form, feedbackId, body) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  feedback(feedbackId, t.opening, true);
  const result = await call('POST', '/api/v1/prompts', body);
  button.disabled = false;
  button.setAttribute('aria-busy', 'false');
  if (!result.ok) {
    feedback(feedbackId, result.message, false);
    return;
  }
  feedback(feedbackId, t.opened_done, true);
  open = result.body.prompt;
  counts.delete(open.id);
  renderCurrent();
  loadList();
}

function question(input, feedbackId) {
  const text = input.value.trim();
  input.toggleAttribute('aria-invalid', !text);
  if (!text) {
    feedback(feedbackId, t.question_required, false);
    input.focus();
  }
  return text;
}

$('words-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = question($('words-question'), 'words-feedback');
  if (text) ask(event.target, 'words-feedback', { kind: 'words', question: text });
});

for (const chip of document.querySelectorAll('[data-suggestion]')) {
  chip.addEventListener('click', () => {
    $('words-question').value = chip.dataset.suggestion;
    $('words-question').removeAttribute('aria-invalid');
    $('words-question').focus();
  });
}

$('bilan-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = question($('bilan-question'), 'bilan-feedback');
  if (!text) return;
  const ratings = [...document.querySelectorAll('.prompts-ratings__input')].map((i) => i.value.trim()).filter(Boolean);
  const openQuestion = $('bilan-open').value.trim();
  if (!ratings.length && !openQuestion) {
    feedback('bilan-feedback', t.bilan_empty, false);
    return;
  }
  ask(event.target, 'bilan-feedback', { kind: 'bilan', question: text, ratings, open_question: openQuestion });
});

// ---- the past questions -------------------------------------------------------------------------

function renderList() {
  const list = $('prompt-list');
  const state = $('history-state');
  state.hidden = prompts.length > 0;
  if (!prompts.length) state.textContent = t.no_prompts;
  list.replaceChildren(...prompts.map((prompt) => {
    const item = h('li', `prompts-list__item prompts-list__item--${prompt.status}`);
    item.dataset.prompt = prompt.id;
    const head = h('p', 'prompts-list__meta');
    head.append(
      h('span', `tag prompts-list__kind prompts-list__kind--${prompt.kind}`, prompt.kind === 'words' ? t.kind_words : t.kind_bilan),
      h('span', `tag${prompt.status === 'open' ? '' : ' tag--muted'}`, prompt.status === 'open' ? t.status_open : t.status_closed),
      h('span', 'prompts-list__time', fill(t.asked_at, { time: when.format(new Date(prompt.created_at)) })),
    );
    const link = h('a', 'button button--secondary prompts-list__screen', t.screen);
    link.href = screenUrl(prompt.id);
    item.append(h('p', 'prompts-list__question', prompt.question), head, link);
    return item;
  }));
}

async function loadList() {
  const result = await call('GET', '/api/v1/prompts');
  if (!result.ok) {
    $('history-state').hidden = false;
    $('history-state').textContent = `${t.list_error} ${result.message}`;
    return;
  }
  prompts = result.body.prompts || [];
  const current = prompts.find((p) => p.status === 'open') || null;
  if (current && (!open || open.id !== current.id)) loadCount(current.id);
  open = current;
  renderCurrent();
  renderList();
}

// ---- live -----------------------------------------------------------------------------------------

let seq = -1;
function applyLive(message) {
  if (!message || typeof message.seq !== 'number' || message.seq <= seq || !message.state) return;
  seq = message.seq;
  const next = message.state.prompt || null;
  if ((next && next.id) !== (open && open.id)) loadList();
}

const pill = $('conn-pill');
const connection = new Connection({
  api,
  onStatus: (status) => {
    pill.className = `pill pill--${status}`;
    $('conn-label').textContent = (t.conn && t.conn[status]) || status;
  },
  // No socket (a proxy may block WebSockets): the list, the open question and its count every few seconds.
  onPoll: () => loadList().then(() => open && loadCount(open.id)),
  onSignedOut: () => window.location.assign(`/facilitator/login?next=${encodeURIComponent(window.location.pathname)}`),
});
connection.listen('live', applyLive);
connection.listen('prompt:results', showResults);
loadList();
connection.start();
