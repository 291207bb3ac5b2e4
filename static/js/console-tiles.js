// One live tile per group's board on the facilitators' live console: colour and name, lock state
// with its toggle, notes per zone as small bars, the latest notes, who is online, activity in the
// last minutes, the vote's state and its controls, a link to the full board. Built once, then
// updated in place (buttons keep their focus). User text only through textContent.

import { LATEST, latestCards, onlinePeople, voteSummary, zoneCounts } from './console-stats.js';
import { plural } from './plural.js';
import { format } from './sync.js';
import { h } from './ui.js';

const OK_FOR_MS = 8000; // a success message goes away; an error stays until the next try

/** `t[key_one]` or `t[key_other]` for `n` in `locale`, with {count} filled. */
export function counted(t, key, n, locale) {
  return plural(t, key, n, locale);
}

function voteLine(t, vote) {
  if (!vote) return t.vote_none;
  if (vote.status === 'closed') return t.vote_closed;
  const mode = !vote.hidden ? t.vote_live : vote.revealed ? t.vote_revealed : t.vote_hidden;
  return format(mode, { dots: vote.dots });
}

/**
 * A tile for `group` ({name, colour, board_id}). `actions`: {lock(boardId, locked), vote(boardId,
 * action, voteId)} — each returns a promise; the tile shows its own feedback. Returns {root, update(watched)}.
 */
export function createTile(group, { t, locale, selfId, actions }) {
  const root = h('li', 'tile');
  root.dataset.board = group.board_id;
  if (/^#[0-9a-fA-F]{6}$/.test(group.colour || '')) root.style.setProperty('--group-colour', group.colour);
  const titleId = `tile-title-${group.board_id}`;
  root.setAttribute('aria-labelledby', titleId);

  const head = h('header', 'tile__head');
  const name = h('h3', 'tile__name', group.name);
  name.id = titleId;
  const lockState = h('span', 'tile__lock-state');
  const lockButton = h('button', 'button button--secondary tile__lock');
  lockButton.type = 'button';
  head.append(h('span', 'tile__swatch'), name, lockState, lockButton);

  const status = h('p', 'tile__status');
  const stats = h('p', 'tile__stats');
  const total = h('span', 'tile__total');
  const activity = h('span', 'tile__activity');
  stats.append(total, activity);
  const zones = h('ul', 'tile__zones');
  zones.setAttribute('aria-label', t.zones_label);
  const notesTitle = h('h4', 'tile__subtitle', t.latest);
  const notes = h('ol', 'tile__notes');
  const noNotes = h('p', 'tile__empty', t.no_notes);
  const online = h('div', 'tile__online');
  const onlineLabel = h('span', 'tile__online-label');
  const people = h('ul', 'tile__people');
  online.append(onlineLabel, people);

  const vote = h('div', 'tile__vote');
  const voteState = h('p', 'tile__vote-state');
  const voteButtons = h('div', 'tile__vote-actions');
  const button = (label, action) => {
    const b = h('button', 'button button--ghost tile__vote-button', label);
    b.type = 'button';
    b.dataset.action = action;
    voteButtons.append(b);
    return b;
  };
  const openVote = button(t.open_vote, 'open');
  const revealVote = button(t.reveal_vote, 'reveal');
  const closeVote = button(t.close_vote, 'close');
  vote.append(voteState, voteButtons);

  const foot = h('footer', 'tile__foot');
  const feedback = h('p', 'tile__feedback');
  feedback.setAttribute('role', 'status');
  const open = h('a', 'button button--primary tile__open', t.open_board);
  open.href = `/b/${encodeURIComponent(group.board_id)}`;
  open.setAttribute('aria-label', format(t.open_board_label, { name: group.name }));
  foot.append(feedback, open);

  root.append(head, status, stats, zones, notesTitle, notes, noNotes, online, vote, foot);
  // Screen readers hear which group a button acts on.
  for (const b of [lockButton, openVote, revealVote, closeVote]) b.setAttribute('aria-describedby', titleId);

  let current = null; // the watched board
  let busy = false;
  let clearTimer = 0;

  async function run(action, sendingLabel, doneLabel) {
    if (busy) return;
    busy = true;
    feedback.className = 'tile__feedback tile__feedback--busy';
    feedback.textContent = sendingLabel;
    for (const b of [lockButton, openVote, revealVote, closeVote]) b.disabled = true;
    let result;
    try {
      result = await action();
    } catch {
      result = { ok: false, error: { code: 'unknown' } };
    }
    busy = false;
    const ok = result && result.ok;
    feedback.className = `tile__feedback tile__feedback--${ok ? 'ok' : 'error'}`;
    feedback.textContent = ok ? doneLabel : (result.error && result.error.message) || t[`error_${result.error?.code}`] || t.error;
    clearTimeout(clearTimer);
    if (ok) clearTimer = setTimeout(() => { feedback.textContent = ''; }, OK_FOR_MS);
    if (current) update(current);
  }

  lockButton.addEventListener('click', () => {
    const locked = !(current && current.state.board && current.state.board.locked);
    run(() => actions.lock(group.board_id, locked), t.sending, locked ? t.locked_done : t.unlocked_done);
  });
  voteButtons.addEventListener('click', (event) => {
    const target = event.target.closest('button[data-action]');
    if (!target || !current) return;
    const summary = voteSummary(current.state.analysis.voteView());
    const { action } = target.dataset;
    const done = { open: t.vote_opened, reveal: t.vote_revealed_done, close: t.vote_closed_done }[action];
    run(() => actions.vote(group.board_id, action, summary && summary.id), t.sending, done);
  });

  function update(watched) {
    current = watched;
    const { state } = watched;
    const ready = state.ready;
    status.hidden = ready && !watched.error;
    status.className = `tile__status${watched.status === 'error' ? ' tile__status--error' : ''}`;
    status.textContent = !ready && watched.status !== 'error' ? t.loading : watched.error ? t[`error_${watched.error}`] || t.load_error : '';
    for (const part of [stats, zones, notesTitle, notes, online, vote]) part.hidden = !ready;
    noNotes.hidden = true;
    lockButton.hidden = !ready;
    if (!ready) return;

    // Renamed, recoloured or deleted since the console opened (board ops, docs/sync-spec.md SYNC-16).
    const board = state.board || {};
    if (board.title && board.title !== group.name) group.name = name.textContent = board.title;
    if (/^#[0-9a-fA-F]{6}$/.test(board.colour || '')) root.style.setProperty('--group-colour', board.colour);
    root.hidden = Boolean(board.deleted);

    const locked = Boolean(state.board && state.board.locked);
    root.classList.toggle('tile--locked', locked);
    lockState.className = `tag tile__lock-state tile__lock-state--${locked ? 'locked' : 'open'}`;
    lockState.textContent = locked ? t.locked : t.unlocked;
    lockButton.textContent = locked ? t.unlock : t.lock;
    lockButton.setAttribute('aria-label', format(locked ? t.unlock_label : t.lock_label, { name: group.name }));
    lockButton.disabled = busy;

    const cards = [...state.cards.values()];
    total.textContent = counted(t, 'notes', cards.length, locale);
    const recent = watched.activity.count();
    activity.textContent = counted(t, 'activity', recent, locale);
    activity.classList.toggle('tile__activity--quiet', recent === 0);

    const counts = zoneCounts(state.board, cards);
    const most = Math.max(1, ...counts.map((z) => z.count));
    zones.replaceChildren(...counts.map((zone) => {
      const row = h('li', 'tile__zone');
      const bar = h('span', 'tile__zone-bar');
      const fill = h('span', 'tile__zone-fill');
      fill.style.setProperty('--share', String(zone.count / most));
      bar.append(fill);
      row.append(h('span', 'tile__zone-name', zone.title), bar, h('span', 'tile__zone-count', String(zone.count)));
      row.title = plural(t, 'zone_notes', zone.count, locale, { zone: zone.title });
      return row;
    }));

    const latest = latestCards(cards, LATEST);
    notes.replaceChildren(...latest.map((card) => {
      const item = h('li', `tile__note tile__note--${card.colour || 'yellow'}`);
      item.append(h('span', 'tile__note-text', card.text), h('span', 'tile__note-author', card.author_name || ''));
      return item;
    }));
    noNotes.hidden = latest.length > 0;
    notes.hidden = latest.length === 0;

    const here = onlinePeople(watched.presence, selfId);
    onlineLabel.textContent = here.length ? counted(t, 'online', here.length, locale) : t.online_none;
    people.replaceChildren(...here.map((p) => {
      const chip = h('li', `tile__person${p.role === 'facilitator' ? ' tile__person--facilitator' : ''}`, p.name);
      chip.title = p.role === 'facilitator' ? `${p.name} (${t.facilitator})` : p.name;
      return chip;
    }));

    const summary = voteSummary(state.analysis.voteView());
    voteState.textContent = voteLine(t, summary);
    if (summary && summary.status === 'open') voteState.textContent += ` · ${counted(t, 'voters', summary.voters, locale)}`;
    vote.className = `tile__vote tile__vote--${summary ? summary.status : 'none'}`;
    openVote.hidden = Boolean(summary && summary.status === 'open');
    openVote.textContent = summary ? t.open_new_vote : t.open_vote;
    revealVote.hidden = !(summary && summary.canReveal);
    closeVote.hidden = !(summary && summary.canClose);
    for (const b of [openVote, revealVote, closeVote]) b.disabled = busy;
  }

  return { root, update };
}
