// What facilitators broadcast to the whole workshop, shown on every participant page (board, capture):
// the countdown timer and the announcement banner; and the "groups hidden" state for the board page.
// The server sends `live` on connect and after each change (docs/protocol.md, "Live controls"); each
// message is the whole state with a seq, so the newest one wins. Markup: templates/live/_bar.html.

import { clock, clockOffset, phase, secondsLeft } from './live-timer.js';
import { $, readJson } from './ui.js';

const DISMISSED_KEY = 'collab:announcement-dismissed';
const POLL_MS = 8000;

/**
 * Starts the live bar. `connection` is a Connection (connection.js); `onState(state)` is called with
 * each newer state (the board page uses it for `groups_hidden`). Returns {state()}.
 */
export function startLive(connection, { api, onState = () => {} } = {}) {
  const t = readJson('i18n-live');
  const bar = $('live-bar');
  if (!bar) return { state: () => null };
  const el = {
    timer: $('live-timer'),
    timerTime: $('live-timer-time'),
    timerLabel: $('live-timer-label'),
    timerState: $('live-timer-state'),
    news: $('live-announcement'),
    newsText: $('live-announcement-text'),
    newsClose: $('live-announcement-close'),
    sr: $('live-announcer'),
  };
  let seq = -1;
  let current = null;
  let offset = 0;
  let ticker = null;
  let lastPhase = 'none';

  function apply(message) {
    if (!message || typeof message.seq !== 'number' || message.seq <= seq || !message.state) return;
    seq = message.seq;
    current = message.state;
    offset = clockOffset(message.server_time);
    renderAnnouncement(current.announcement);
    renderTimer();
    clearInterval(ticker);
    ticker = current.timer && current.timer.running ? setInterval(renderTimer, 250) : null;
    onState(current);
  }

  function renderTimer() {
    const timer = current && current.timer;
    el.timer.hidden = !timer;
    if (!timer) {
      lastPhase = 'none';
      return;
    }
    const left = secondsLeft(timer, Date.now(), offset);
    const now = phase(timer, left);
    const text = now === 'done' ? t.time_up : clock(left);
    if (el.timerTime.textContent !== text) el.timerTime.textContent = text;
    el.timerLabel.textContent = timer.label || '';
    el.timerLabel.hidden = !timer.label;
    el.timerState.textContent = now === 'paused' ? t.paused : '';
    el.timer.className = `live-timer live-timer--${now}`;
    if (now !== lastPhase && (now === 'ending' || now === 'done')) {
      el.sr.textContent = now === 'done' ? t.time_up : t.last_minute;
    }
    if (now === 'done') clearInterval(ticker);
    lastPhase = now;
  }

  function renderAnnouncement(news) {
    const dismissed = sessionStorage.getItem(DISMISSED_KEY);
    const show = Boolean(news && news.text && news.at !== dismissed);
    if (show && el.newsText.textContent !== news.text) el.sr.textContent = `${t.announcement} ${news.text}`;
    el.news.hidden = !show;
    el.newsText.textContent = show ? news.text : '';
    bar.classList.toggle('live-bar--news', show);
  }

  el.newsClose.addEventListener('click', () => {
    if (current && current.announcement) sessionStorage.setItem(DISMISSED_KEY, current.announcement.at);
    renderAnnouncement(current && current.announcement);
  });

  connection.listen('live', apply);
  // The socket may take a while, or never come (WebSockets blocked by a proxy): read over REST at
  // start and then every few seconds while it is down, for every page listener (the question card too).
  if (api) {
    const poll = () => api.getJson('/api/v1/live')
      .then((response) => response.ok && connection.deliver('live', response.body))
      .catch(() => {});
    poll();
    setInterval(() => !connection.connected && document.visibilityState === 'visible' && poll(), POLL_MS);
  }
  return { state: () => current };
}
