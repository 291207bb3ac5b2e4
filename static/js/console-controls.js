// The live console's controls for every screen (docs/protocol.md, "Live controls"): the countdown
// timer (presets, custom minutes and label, pause/resume, +1/+5 min, stop), the announcement banner,
// hiding the groups' boards from each other, and locking or unlocking every board. Each control says
// what it is doing and how it went; the panel follows the workshop's live state (live.js onState).

import { plural } from './plural.js';
import { format } from './sync.js';
import { $ } from './ui.js';

const MAX_MINUTES = 600;
const OK_FOR_MS = 8000;

/**
 * `api`: an Api (api.js). `lockAll(locked)` resolves to {count, failed}. `onLive(message)`: the live
 * message a control's answer carries (shown at once, even without the socket). Returns {render(state)}.
 */
export function createControls({ api, t, lockAll, onLive = () => {} }) {
  let state = null;

  function feedback(id) {
    const el = $(id);
    let timer = 0;
    return (kind, text) => {
      el.className = `live-controls__feedback live-controls__feedback--${kind}`;
      el.textContent = text;
      clearTimeout(timer);
      // A success message goes away; an error stays until the next try.
      if (kind === 'ok') timer = setTimeout(() => { el.textContent = ''; }, OK_FOR_MS);
    };
  }
  const say = { timer: feedback('timer-feedback'), news: feedback('news-feedback'), boards: feedback('boards-feedback') };

  function errorText(response) {
    const code = (response.body && response.body.error && response.body.error.code) || (response.status ? 'unknown' : 'network');
    return (response.body && response.body.error && response.body.error.message) || t[`error_${code}`] || t.error;
  }

  /** Sends one control; disables `buttons` meanwhile. Resolves to true when it was applied. */
  async function send(control, where, buttons, done) {
    buttons.forEach((b) => { b.disabled = true; });
    say[where]('busy', t.sending);
    let response;
    try {
      response = await api.write('POST', '/api/v1/live', { json: control });
    } catch {
      response = { ok: false, status: 0, body: null };
    }
    buttons.forEach((b) => { b.disabled = false; });
    if (response.ok && response.body && response.body.ok) {
      if (response.body.live) onLive(response.body.live);
      say[where]('ok', done);
      return true;
    }
    say[where]('error', errorText(response));
    return false;
  }

  // ---- timer ---------------------------------------------------------------------------------
  const form = $('timer-form');
  const minutesInput = $('timer-minutes');
  const labelInput = $('timer-label');
  const running = $('timer-running');
  const toggle = $('timer-toggle');
  const timerButtons = () => [...document.querySelectorAll('[data-minutes], [data-add], #timer-start, #timer-toggle, #timer-stop')];

  function start(minutes) {
    const label = labelInput.value.trim();
    const control = { type: 'timer.start', seconds: Math.round(minutes * 60) };
    if (label) control.label = label;
    return send(control, 'timer', timerButtons(), format(t.timer_started, { minutes }));
  }

  document.querySelectorAll('[data-minutes]').forEach((button) => {
    button.addEventListener('click', () => start(Number(button.dataset.minutes)));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const minutes = Number(minutesInput.value);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) {
      minutesInput.setAttribute('aria-invalid', 'true');
      say.timer('error', t.minutes_invalid);
      minutesInput.focus();
      return;
    }
    minutesInput.removeAttribute('aria-invalid');
    start(minutes);
  });
  toggle.addEventListener('click', () => {
    const paused = state && state.timer && !state.timer.running;
    send({ type: paused ? 'timer.resume' : 'timer.pause' }, 'timer', timerButtons(), paused ? t.timer_resumed : t.timer_paused_done);
  });
  document.querySelectorAll('[data-add]').forEach((button) => {
    const seconds = Number(button.dataset.add);
    button.addEventListener('click', () => send({ type: 'timer.add', seconds }, 'timer', timerButtons(), plural(t, 'timer_added', seconds / 60)));
  });
  $('timer-stop').addEventListener('click', () => send({ type: 'timer.stop' }, 'timer', timerButtons(), t.timer_stopped));

  // ---- announcement --------------------------------------------------------------------------
  const newsText = $('news-text');
  const newsButtons = [$('news-send'), $('news-clear')];
  $('news-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = newsText.value.trim();
    if (!text) {
      newsText.setAttribute('aria-invalid', 'true');
      say.news('error', t.news_required);
      newsText.focus();
      return;
    }
    newsText.removeAttribute('aria-invalid');
    if (await send({ type: 'announce', text }, 'news', newsButtons, t.news_sent)) newsText.value = '';
  });
  $('news-clear').addEventListener('click', () => send({ type: 'announce.clear' }, 'news', newsButtons, t.news_cleared));

  // ---- every board ---------------------------------------------------------------------------
  const lockButtons = [$('lock-all'), $('unlock-all')];
  const hideToggle = $('hide-toggle');
  async function setAll(locked) {
    lockButtons.forEach((b) => { b.disabled = true; });
    say.boards('busy', t.sending);
    const { count, failed } = await lockAll(locked);
    lockButtons.forEach((b) => { b.disabled = false; });
    if (failed) say.boards('error', plural(t, 'some_failed', failed, undefined, { failed, count }));
    else say.boards('ok', locked ? t.all_locked : t.all_unlocked);
  }
  lockButtons[0].addEventListener('click', () => setAll(true));
  lockButtons[1].addEventListener('click', () => setAll(false));
  hideToggle.addEventListener('click', () => {
    const hidden = !(state && state.groups_hidden);
    send({ type: 'groups.hide', hidden }, 'boards', [hideToggle], hidden ? t.hidden_done : t.revealed_done);
  });

  /** Shows the workshop's live state (each newer `live` message). */
  function render(next) {
    state = next;
    const timer = state && state.timer;
    running.hidden = !timer;
    toggle.textContent = timer && !timer.running ? t.resume : t.pause;
    $('timer-state').textContent = !timer ? t.no_timer : timer.running ? t.timer_running : t.timer_paused;
    const news = state && state.announcement;
    $('news-state').textContent = news ? format(t.news_current, { text: news.text }) : t.news_none;
    $('news-clear').disabled = !news;
    const hidden = Boolean(state && state.groups_hidden);
    hideToggle.textContent = hidden ? t.reveal : t.hide;
    hideToggle.setAttribute('aria-pressed', String(hidden));
    $('hidden-state').textContent = hidden ? t.hidden_on : t.hidden_off;
  }

  return { render };
}
