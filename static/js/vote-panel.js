// The board's dot vote (docs/protocol.md, SYNC-14): the vote bar of templates/board/_vote.html — its
// state ("Vote in progress — 3 dots per person — results hidden", "12 dots placed by 5 people"), the
// dots I have left, "Sort by votes" — and for facilitators the controls to open, reveal and close a
// vote. The dots on each card are vote-dots.js's decorator. Everything goes through the page's outbox.
//
// openVote / revealVote / closeVote take any `send(type, data)` (the page's enqueue, or the
// facilitators' console sending to another board) and are exported for reuse.

import { format, uuid4 } from './sync.js';
import { $, readJson } from './ui.js';
import { DOTS, byVotes, counted, dotsValue, drawnDots, voteDecorator, voteTotals } from './vote-dots.js';

/** Opens a vote: `dots` per person (1–20), `hidden` until revealed. Returns what `send` returns. */
export function openVote(send, { dots = DOTS.initial, hidden = false, id = uuid4() } = {}) {
  const n = dotsValue(dots);
  if (n === null) throw new RangeError(`dots must be a whole number from ${DOTS.min} to ${DOTS.max}`);
  return send('vote.open', { id, dots: n, hidden: Boolean(hidden) });
}

/** Shows the counts of a hidden vote to everyone. */
export const revealVote = (send, voteId) => send('vote.reveal', { id: voteId });

/** Freezes the vote (no more dots) and shows its counts. */
export const closeVote = (send, voteId) => send('vote.close', { id: voteId });

/** The words of a vote's state: {heading, status, totals}. `t`: the i18n-vote strings. */
export function describeVote(view, totals, t, locale = 'fr') {
  if (!view) return { heading: t.heading_none, status: t.none, totals: '' };
  const { vote } = view;
  const mode = vote.status === 'closed' ? t.mode_final : !vote.hidden ? t.mode_live : vote.revealed ? t.mode_revealed : t.mode_hidden;
  const status = `${counted(t, 'per_person', vote.dots, locale)} — ${mode}`;
  const sentence = totals.points > 0
    ? format(counted(t, 'placed', totals.points, locale), {
      points: counted(t, 'points', totals.points, locale),
      people: counted(t, 'people', totals.voters, locale),
    })
    : t.placed_none;
  return { heading: view.open ? t.heading_open : t.heading_closed, status, totals: sentence };
}

/** Wires the vote bar and the cards' dots. `page`: board.js's page object. */
export function createVotePanel(page) {
  const root = $('vote-bar');
  if (!root) return null;
  const { state, view: cardsView, zones, me, boardId, isFacilitator, writable, enqueue, scheduleRender, announce, showToast } = page;
  const t = readJson('i18n-vote');
  const locale = document.documentElement.lang || 'fr';
  const el = Object.fromEntries(['vote-heading', 'vote-status', 'vote-totals', 'vote-mine', 'vote-dots-drawn', 'vote-left', 'vote-hint',
    'vote-sort', 'vote-results-toggle', 'vote-reveal', 'vote-close', 'vote-start', 'vote-form', 'vote-dots', 'vote-dots-less',
    'vote-dots-more', 'vote-form-error', 'vote-form-cancel', 'vote-close-dialog', 'vote-close-keep', 'vote-close-confirm']
    .map((id) => [id.replace(/^vote-/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase()), $(id)]));
  const hiddenKey = `collab:vote-results-hidden:${boardId}`;
  root.tabIndex = -1; // focus lands on the bar when the control under it goes away

  let vote = null; // AnalysisState.voteView, as last drawn
  let seen = null; // {id, status, revealed} of the vote last drawn: to announce what changed
  let sorted = false;
  let formOpen = false;
  const cardSigs = new Map();

  const pending = () => [...state.pending.values()];
  const canVote = () => writable();
  const resultsHidden = () => Boolean(vote && !vote.open && readHidden() === vote.vote.id);
  const send = (type, data) => enqueue(type, data);

  function readHidden() {
    try {
      return localStorage.getItem(hiddenKey);
    } catch {
      return null;
    }
  }

  function writeHidden(value) {
    try {
      if (value) localStorage.setItem(hiddenKey, value);
      else localStorage.removeItem(hiddenKey);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }

  // ---- the dots on the cards -------------------------------------------------------------------

  cardsView.addDecorator(voteDecorator({
    t,
    locale,
    current: () => ({ view: vote, canVote: canVote(), hiddenResults: resultsHidden() }),
    onDot(cardId, delta) {
      const now = state.analysis.voteView(pending());
      if (!now || !now.open || !canVote()) return;
      if (delta > 0 && now.left <= 0) {
        announce(t.no_dots);
        return;
      }
      if (delta < 0 && !(now.mine[cardId] > 0)) return;
      enqueue('vote.dot', { vote_id: now.vote.id, card_id: cardId, delta });
      const left = now.left - delta;
      announce(format(delta > 0 ? t.added : t.removed, { left: leftText(left) }));
    },
  }));

  // "Sort by votes": the zones view asks at each render (zones-view.js, sortWithin).
  zones.sortWithin = () => {
    if (!sorted) return null;
    const now = state.analysis.voteView(pending());
    return now && now.visible && !resultsHidden() ? byVotes(now.tally) : null;
  };

  const leftText = (left) => (left > 0 ? counted(t, 'left', left, locale) : t.left_none);

  // ---- after each render of the board ------------------------------------------------------------

  page.onRender(() => {
    if (!state.ready) return; // no flash of "Start a vote" before the snapshot says whether one is open
    const next = state.analysis.voteView(pending());
    const had = Boolean(vote || seen);
    noticeChanges(next);
    vote = next;
    drawBar();
    if (next || had) redecorateChanged();
  });

  let started = false;
  function noticeChanges(next) {
    const before = seen;
    seen = next ? { id: next.vote.id, status: next.vote.status, revealed: next.vote.revealed } : null;
    if (!started) {
      started = true; // the vote as the page found it: nothing to announce
      return;
    }
    if (!next) return;
    if ((!before || before.id !== next.vote.id) && next.open) {
      const message = format(t.opened, { dots: counted(t, 'per_person', next.vote.dots, locale) });
      announce(message);
      if (!isFacilitator) showToast(message);
    } else if (before && before.id === next.vote.id && before.status !== 'closed' && next.vote.status === 'closed') {
      announce(t.closed);
      if (!isFacilitator) showToast(t.closed);
    } else if (before && before.id === next.vote.id && !before.revealed && next.vote.revealed && next.open) {
      announce(t.revealed);
      if (!isFacilitator) showToast(t.revealed);
    }
  }

  function redecorateChanged() {
    const hidden = resultsHidden();
    const active = Boolean(vote && vote.open && canVote());
    const head = vote ? `${vote.vote.id}|${vote.vote.status}|${vote.visible}|${active}|${vote.left > 0}|${hidden}` : '';
    for (const id of cardsView.entries.keys()) {
      const sig = vote ? `${head}|${vote.mine[id] || 0}|${vote.tally[id] || 0}` : '';
      if (cardSigs.get(id) === sig) continue;
      const known = cardSigs.has(id);
      cardSigs.set(id, sig);
      if (known || sig) cardsView.redecorate(id);
    }
    if (cardSigs.size > cardsView.entries.size * 2) {
      for (const id of cardSigs.keys()) if (!cardsView.entries.has(id)) cardSigs.delete(id);
    }
  }

  // ---- the bar -------------------------------------------------------------------------------------

  function drawBar() {
    const totals = voteTotals(vote, vote && state.analysis.vote ? state.analysis.vote.used_by : {}, me.id);
    const words = describeVote(vote, totals, t, locale);
    root.hidden = !vote && !isFacilitator;
    root.classList.toggle('vote-bar--open', Boolean(vote && vote.open));
    root.classList.toggle('vote-bar--closed', Boolean(vote && !vote.open));
    root.classList.toggle('vote-bar--idle', !vote);
    setText(el.heading, words.heading);
    setText(el.status, words.status);
    el.totals.hidden = !vote;
    setText(el.totals, words.totals);

    const mineShown = Boolean(vote && vote.open);
    el.mine.hidden = !mineShown;
    if (mineShown) {
      const voting = canVote();
      el.mine.classList.toggle('vote-bar__mine--empty', voting && vote.left === 0);
      setText(el.dotsDrawn, voting ? '●'.repeat(vote.used) + '○'.repeat(vote.left) : drawnDots(vote.used));
      el.dotsDrawn.hidden = !voting && vote.used === 0;
      setText(el.left, !voting ? t.read_only : leftText(vote.left));
      el.hint.hidden = !voting || vote.left > 0;
    }

    const canSort = Boolean(vote && vote.visible);
    if (!canSort && sorted) setSorted(false);
    el.sort.hidden = !canSort || resultsHidden();
    el.sort.setAttribute('aria-pressed', sorted ? 'true' : 'false');
    el.resultsToggle.hidden = !vote || vote.open;
    el.resultsToggle.setAttribute('aria-pressed', resultsHidden() ? 'true' : 'false');
    setText(el.resultsToggle, resultsHidden() ? t.show_results : t.hide_results);
    root.classList.toggle('vote-bar--results-hidden', resultsHidden());

    if (!isFacilitator) return;
    const manage = writable();
    el.reveal.hidden = !manage || !vote || !vote.open || !vote.vote.hidden || vote.vote.revealed;
    el.close.hidden = !manage || !vote || !vote.open;
    el.start.hidden = !manage || Boolean(vote && vote.open) || formOpen;
    setText(el.start, vote ? t.new_vote : t.start);
    if (formOpen && (!manage || (vote && vote.open))) showForm(false);
  }

  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  function setSorted(on) {
    sorted = on;
    el.sort.setAttribute('aria-pressed', on ? 'true' : 'false');
    scheduleRender();
  }

  el.sort.addEventListener('click', () => {
    setSorted(!sorted);
    announce(sorted ? t.sorted : t.unsorted);
  });

  el.resultsToggle.addEventListener('click', () => {
    if (!vote) return;
    writeHidden(resultsHidden() ? null : vote.vote.id);
    drawBar();
    redecorateChanged();
    scheduleRender();
  });

  // ---- facilitators --------------------------------------------------------------------------------

  if (!isFacilitator || !el.form) return { openVote: (o) => openVote(send, o) };

  function showForm(open) {
    formOpen = open;
    el.form.hidden = !open;
    el.start.setAttribute('aria-expanded', open ? 'true' : 'false');
    el.formError.hidden = true;
    el.dots.removeAttribute('aria-invalid');
    drawBar();
    if (open) el.dots.focus();
    else if (!el.start.hidden) el.start.focus();
  }

  function step(delta) {
    const n = dotsValue(el.dots.value) ?? DOTS.initial;
    el.dots.value = String(Math.min(DOTS.max, Math.max(DOTS.min, n + delta)));
    el.dots.removeAttribute('aria-invalid');
    el.formError.hidden = true;
  }

  el.start.addEventListener('click', () => showForm(true));
  el.formCancel.addEventListener('click', () => showForm(false));
  el.dotsLess.addEventListener('click', () => step(-1));
  el.dotsMore.addEventListener('click', () => step(1));
  el.form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      showForm(false);
    }
  });
  el.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const dots = dotsValue(el.dots.value);
    if (dots === null) {
      el.dots.setAttribute('aria-invalid', 'true');
      el.formError.textContent = t.dots_invalid;
      el.formError.hidden = false;
      el.dots.focus();
      return;
    }
    const hidden = el.form.querySelector('input[name="mode"]:checked')?.value === 'hidden';
    openVote(send, { dots, hidden });
    formOpen = false;
    el.form.hidden = true;
    el.start.setAttribute('aria-expanded', 'false');
    writeHidden(null);
    announce(format(t.opened, { dots: counted(t, 'per_person', dots, locale) }));
    root.focus(); // the bar changes under the form; its new state is announced
  });

  el.reveal.addEventListener('click', () => {
    if (vote && vote.open) revealVote(send, vote.vote.id);
    el.close.focus();
  });

  el.close.addEventListener('click', () => {
    if (!vote || !vote.open) return;
    el.closeDialog.showModal();
    el.closeKeep.focus();
  });
  el.closeKeep.addEventListener('click', () => el.closeDialog.close());
  let confirmed = false;
  el.closeConfirm.addEventListener('click', () => {
    if (vote && vote.open) closeVote(send, vote.vote.id);
    confirmed = true;
    el.closeDialog.close();
    announce(t.closed);
  });
  el.closeDialog.addEventListener('close', () => {
    (confirmed || el.close.hidden ? root : el.close).focus();
    confirmed = false;
  });

  return { openVote: (o) => openVote(send, o), revealVote: (id) => revealVote(send, id), closeVote: (id) => closeVote(send, id) };
}
