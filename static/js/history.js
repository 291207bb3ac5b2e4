// The board's History drawer: the activity feed (the event log, newest first, live) and the bin
// (deleted notes, live, with Restore: history-bin.js). Routes: GET …/activity and …/bin
// (docs/protocol.md, "History"); live updates from the board state's events; wording in
// history-lines.js.

import { createBin } from './history-bin.js';
import { describe, fullTime, relativeTime, sentenceParts } from './history-lines.js';
import { $, h, readJson } from './ui.js';

const PAGE = 50;
const TICK_MS = 30000;

/**
 * Wires the drawer of templates/board/_history.html. `enqueue(type, data)` queues an op (the bin's
 * Restore); `writable()` says whether this person may change the board now. Returns {onEvent}.
 */
export function createHistory({ api, state, boardId, me, enqueue, writable, announce, locale = 'fr' }) {
  const root = $('history');
  if (!root) return { onEvent() {} };
  const t = readJson('i18n-history');
  const el = Object.fromEntries(['history-toggle', 'history-close', 'history-tab-activity', 'history-tab-bin',
    'history-panel-activity', 'history-panel-bin', 'history-feed', 'history-feed-loading', 'history-feed-error',
    'history-feed-retry', 'history-feed-empty', 'history-more', 'history-end', 'history-bin-list', 'history-bin-loading',
    'history-bin-error', 'history-bin-retry', 'history-bin-empty', 'history-bin-count']
    .map((id) => [id.replace(/^history-/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase()), $(id)]));
  const base = `/api/v1/boards/${encodeURIComponent(boardId)}`;
  const names = new Map([[me.id, me.name]]);

  const feed = { events: new Map(), loaded: false, loading: false, failed: false, hasMore: false, pruned: 0, seq: 0, early: [] };
  let tab = 'activity';
  let renderQueued = false;
  let namesTimer = null;
  let ticker = null;
  const isOpen = () => !root.hidden;

  // ---- names ------------------------------------------------------------------------------------

  function nameOf(event) {
    if (event.actor_name) return event.actor_name;
    if (!event.actor_id) return null;
    if (names.has(event.actor_id)) return names.get(event.actor_id);
    for (const card of state.cards.values()) {
      if (card.author_id === event.actor_id && card.author_name) {
        names.set(event.actor_id, card.author_name);
        return card.author_name;
      }
    }
    return null;
  }

  function learn(events) {
    for (const e of events) if (e.actor_id && e.actor_name) names.set(e.actor_id, e.actor_name);
  }

  /** Someone unknown did something live: their name comes with the newest page of the feed. */
  function askNames() {
    if (namesTimer) return;
    namesTimer = setTimeout(() => {
      namesTimer = null;
      loadFeed({ merge: true });
    }, 1000);
  }

  // ---- data ---------------------------------------------------------------------------------------

  async function loadFeed({ merge = false } = {}) {
    if (feed.loading) return;
    feed.loading = true;
    feed.failed = false;
    if (!merge) feed.early = [];
    schedule();
    const response = await api.getJson(`${base}/activity?limit=${PAGE}`);
    feed.loading = false;
    if (!response.ok || !response.body || !Array.isArray(response.body.events)) {
      if (!merge) feed.failed = true;
      schedule();
      return;
    }
    const { events, has_more: hasMore, seq, pruned_seq: pruned } = response.body;
    learn(events);
    if (!merge || !feed.loaded) {
      feed.events = new Map();
      feed.hasMore = Boolean(hasMore);
    }
    for (const e of events) feed.events.set(e.seq, e);
    feed.pruned = pruned || 0;
    feed.seq = Math.max(feed.seq, seq || 0);
    feed.loaded = true;
    const early = feed.early;
    feed.early = [];
    for (const e of early) addEvent(e);
    schedule();
  }

  async function loadOlder() {
    if (feed.loading || !feed.hasMore) return;
    const oldest = Math.min(...feed.events.keys());
    feed.loading = true;
    el.more.disabled = true;
    el.more.textContent = t.loading_older;
    const response = await api.getJson(`${base}/activity?limit=${PAGE}&before=${oldest}`);
    feed.loading = false;
    el.more.disabled = false;
    el.more.textContent = el.more.dataset.label;
    if (!response.ok || !response.body || !Array.isArray(response.body.events)) {
      announce(t.older_failed);
      return;
    }
    learn(response.body.events);
    for (const e of response.body.events) feed.events.set(e.seq, e);
    feed.hasMore = Boolean(response.body.has_more);
    render();
    if (!feed.hasMore) el.panelActivity.focus(); // the button is gone: keep focus in the feed
  }

  function addEvent(event) {
    if (event.seq <= 0 || feed.events.has(event.seq)) return;
    if (event.seq > feed.seq + 1) askNames(); // missed some (a snapshot after a long absence): fetch them
    feed.seq = Math.max(feed.seq, event.seq);
    const name = nameOf(event);
    if (!name && event.actor_id) askNames();
    feed.events.set(event.seq, name ? { ...event, actor_name: name } : event);
  }

  function onEvent(event) {
    if (!event || typeof event.seq !== 'number') return;
    if (feed.loaded) addEvent(event);
    else if (feed.loading) feed.early.push(event);
    trash.onEvent(event);
    schedule();
  }

  // ---- rendering ----------------------------------------------------------------------------------

  function schedule() {
    if (renderQueued || !isOpen()) return;
    renderQueued = true;
    requestAnimationFrame(render);
  }

  function render() {
    renderQueued = false;
    if (!isOpen()) return;
    renderFeed();
    trash.render();
  }

  function zoneTitle(id, zones) {
    const list = (Array.isArray(zones) && zones) || (state.board && state.board.zones) || [];
    const zone = list.find((z) => z.id === id);
    return zone ? zone.title : null;
  }

  const lineCtx = {
    name: (event) => nameOf(event) || t.someone,
    zoneTitle,
    card: (id) => state.cards.get(id) || state.deleted.get(id) || null,
  };

  function timeNode(iso) {
    const node = h('time', 'history__time', relativeTime(iso, { locale, justNow: t.just_now }));
    node.dateTime = iso || '';
    node.title = fullTime(iso, locale);
    return node;
  }

  function lineNode(event) {
    const { key, values } = describe(event, lineCtx, (k) => Boolean(t.lines && t.lines[k]));
    const li = h('li', `history-line history-line--${key.split('_')[0]}`);
    const text = h('p', 'history-line__text');
    for (const part of sentenceParts(t.lines[key] || '{name}', values)) {
      text.append(part.field ? h(part.field === 'name' ? 'strong' : 'span', `history-line__${part.field}`, part.text) : document.createTextNode(part.text));
    }
    li.append(text, timeNode(event.ts));
    if (event.actor_id === me.id) li.classList.add('history-line--mine');
    return li;
  }

  function renderFeed() {
    const events = [...feed.events.values()].sort((a, b) => b.seq - a.seq);
    el.feedLoading.hidden = !(feed.loading && !feed.loaded);
    el.feedError.hidden = !feed.failed || feed.loaded;
    el.feedEmpty.hidden = !feed.loaded || events.length > 0;
    el.feed.replaceChildren(...events.map(lineNode));
    el.more.hidden = !feed.loaded || !feed.hasMore;
    el.end.hidden = !feed.loaded || feed.hasMore || feed.pruned === 0 || events.length === 0;
  }

  const trash = createBin({ api, base, state, t, el, names, nameOf, timeNode, writable, enqueue, announce, schedule });

  // ---- opening, tabs --------------------------------------------------------------------------------

  function open() {
    root.hidden = false;
    el.toggle.setAttribute('aria-expanded', 'true');
    document.body.classList.add('has-history');
    refreshIfStale();
    render();
    ticker = setInterval(schedule, TICK_MS); // relative times, and a restore that failed shows again
    (tab === 'activity' ? el.tabActivity : el.tabBin).focus();
  }

  function close({ focus = true } = {}) {
    root.hidden = true;
    el.toggle.setAttribute('aria-expanded', 'false');
    document.body.classList.remove('has-history');
    clearInterval(ticker);
    if (focus) el.toggle.focus();
  }

  /** Loads what the open tab shows, or fetches it again when events were missed meanwhile. */
  function refreshIfStale() {
    if (tab === 'activity' && !feed.loading && (!feed.loaded || feed.failed || state.lastSeq > feed.seq)) {
      loadFeed({ merge: feed.loaded && state.lastSeq - feed.seq < PAGE }); // many missed: start again
    }
    const { bin } = trash;
    if (tab === 'bin' && !bin.loading && (!bin.loaded || bin.failed || state.lastSeq > bin.seq)) trash.load();
  }

  function select(name, { focus = false } = {}) {
    tab = name;
    for (const [key, button, panel] of [['activity', el.tabActivity, el.panelActivity], ['bin', el.tabBin, el.panelBin]]) {
      const on = key === name;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
      panel.hidden = !on;
      if (on && focus) button.focus();
    }
    refreshIfStale();
    schedule();
  }

  el.more.dataset.label = el.more.textContent;
  el.toggle.addEventListener('click', () => (isOpen() ? close() : open()));
  el.close.addEventListener('click', () => close());
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      close();
    }
  });
  el.tabActivity.addEventListener('click', () => select('activity'));
  el.tabBin.addEventListener('click', () => select('bin'));
  el.tabActivity.parentElement.addEventListener('keydown', (event) => {
    const order = ['activity', 'bin'];
    const index = order.indexOf(tab);
    const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: order.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    select(order[(moves[event.key] + order.length) % order.length], { focus: true });
  });
  el.more.addEventListener('click', loadOlder);
  el.feedRetry.addEventListener('click', () => loadFeed());
  el.binRetry.addEventListener('click', () => trash.load());

  return { onEvent, open, close };
}
