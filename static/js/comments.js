// Comments on cards (docs/protocol.md, `comment.add` / `comment.delete`): the button on each card
// (comments-card.js) opens the card's thread in the panel of templates/board/_comments.html —
// comments oldest first with author and relative time, replies one level deep, the box to write
// (Ctrl+Enter sends), delete one's own (facilitators any) after a confirmation. Live: redrawn after
// each render of the board. Threads and pending comments come from AnalysisState
// (analysis-state.js). Text via textContent only.

import { commentButtons, commentCounts } from './comments-card.js';
import { plural } from './plural.js';
import { reactionIcon } from './reactions.js';
import { format, uuid4 } from './sync.js';
import { formatTime } from './time.js';
import { $, h, readJson } from './ui.js';

export const MAX_COMMENT = 1000;
const TICK_MS = 30000;

/** "just now", "5 minutes ago", "3 hours ago", else the day and time. `now` in ms. */
export function relativeTime(iso, now, locale = 'fr', justNow = 'just now') {
  const at = Date.parse(iso || '');
  if (Number.isNaN(at)) return '';
  const seconds = Math.round((now - at) / 1000);
  if (seconds < 45) return justNow;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (seconds < 3600) return rtf.format(-Math.max(1, Math.round(seconds / 60)), 'minute');
  if (seconds < 6 * 3600) return rtf.format(-Math.round(seconds / 3600), 'hour');
  return formatTime(new Date(at), { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }, locale);
}

export const canDelete = (comment, me, isFacilitator) =>
  !comment.deleted && !comment.pending && (comment.author_id === me.id || isFacilitator);

/** Wires the comments. `page`: board.js's page object; `reactions`: reactions.js (who reacted). */
export function createComments(page, { reactions = null } = {}) {
  const dialog = $('comments-panel');
  if (!dialog) return null;
  const { state, view, me, isFacilitator, writable, enqueue, announce } = page;
  const t = readJson('i18n-comments');
  const locale = document.documentElement.lang || 'fr';
  const el = Object.fromEntries(['comments-title', 'comments-card', 'comments-card-author', 'comments-reactions', 'comments-close',
    'comments-body', 'comments-gone', 'comments-empty', 'comments-list', 'comments-form', 'comments-reply', 'comments-reply-text',
    'comments-reply-cancel', 'comments-text', 'comments-error', 'comments-count', 'comments-send', 'comments-readonly']
    .map((id) => [id.replace(/^comments-/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase()), $(id)]));

  let open = null; // {cardId, trigger, replyTo: comment|null, confirm: comment id|null, sig}
  const drafts = new Map(); // card id -> unsent text
  const mine = new Map(); // op_id of my pending comment.add -> {cardId, text, commentId}
  let ticker = null;

  const pending = () => [...state.pending.values()];
  // A live card, or one of mine still being sent (shown, so in the view's entries).
  const cardOf = (id) => state.cards.get(id) || (view.entries.get(id) || {}).card || null;

  const badges = commentButtons({ view, t, locale, onOpen: (cardId, button) => show(cardId, button) });

  // ---- after each render of the board ------------------------------------------------------------

  page.onRender(() => {
    const list = pending();
    badges.update(commentCounts(state.analysis, list));
    noticeFailures(list);
    if (open) draw();
  });

  function noticeFailures(list) {
    const live = new Set(list.map((p) => p.op.op_id));
    for (const [opId, sent] of mine) {
      if (live.has(opId)) continue;
      mine.delete(opId);
      if (state.analysis.comments.has(sent.commentId)) continue;
      // Refused (the note was deleted meanwhile…): the text comes back, nothing is lost.
      if (open && open.cardId === sent.cardId && !el.text.value.trim()) {
        el.text.value = sent.text;
        updateCount();
        showError(t.failed);
      } else if (!drafts.get(sent.cardId)) {
        drafts.set(sent.cardId, sent.text);
      }
    }
  }

  // ---- the panel ---------------------------------------------------------------------------------

  function show(cardId, trigger) {
    if (open && open.cardId !== cardId) saveDraft();
    open = { cardId, trigger, replyTo: null, confirm: null, sig: null, known: null };
    setReply(null);
    el.text.value = drafts.get(cardId) || '';
    el.error.hidden = true;
    updateCount();
    draw();
    if (!dialog.open) dialog.showModal();
    el.body.scrollTop = el.body.scrollHeight;
    (writable() && !window.matchMedia('(pointer: coarse)').matches ? el.text : el.title).focus();
    clearInterval(ticker);
    ticker = setInterval(refreshTimes, TICK_MS);
  }

  function saveDraft() {
    if (!open) return;
    if (el.text.value.trim()) drafts.set(open.cardId, el.text.value);
    else drafts.delete(open.cardId);
  }

  dialog.addEventListener('close', () => {
    saveDraft();
    clearInterval(ticker);
    const trigger = open && open.trigger;
    open = null;
    el.list.replaceChildren();
    // The card's button, or the same card's button redrawn meanwhile.
    if (trigger && trigger.isConnected) trigger.focus();
  });
  el.close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !open) return;
    if (open.confirm) {
      event.preventDefault();
      const id = open.confirm;
      open.confirm = null;
      draw(`${id}:delete`);
    } else if (open.replyTo) {
      event.preventDefault();
      setReply(null);
    }
  });

  function draw(focusKey = null) {
    const card = cardOf(open.cardId);
    const gone = !card;
    const canWrite = writable() && !gone;
    const threads = state.analysis.threads(open.cardId, pending(), { author_id: me.id, author_name: me.name });
    if (open.replyTo && !threads.some((th) => th.comment.id === open.replyTo.id && !th.comment.deleted)) {
      setReply(null);
      showError(t.reply_gone);
    }
    for (const th of threads) {
      for (const c of [th.comment, ...th.replies]) {
        if (open.known && !open.known.has(c.id) && c.author_id !== me.id) announce(format(t.new_comment, { name: c.author_name }));
      }
    }
    open.known = new Set(threads.flatMap((th) => [th.comment.id, ...th.replies.map((c) => c.id)]));
    const sig = JSON.stringify([threads, canWrite, open.confirm, card && card.text, card && card.reactions, isFacilitator]);
    el.gone.hidden = !gone;
    el.form.hidden = !canWrite;
    el.readonly.hidden = canWrite || gone;
    if (sig === open.sig && !focusKey) return;
    open.sig = sig;
    if (card) {
      el.card.textContent = card.text;
      el.cardAuthor.textContent = format(t.on_note, { name: card.author_name || '' });
      drawReactions(card);
    }
    const keep = focusKey || focusedKey();
    const atBottom = el.body.scrollHeight - el.body.scrollTop - el.body.clientHeight < 40;
    el.empty.hidden = threads.length > 0;
    el.list.replaceChildren(...threads.map((thread) => {
      const li = h('li', 'comment-thread');
      li.append(item(thread.comment, canWrite, true));
      if (thread.replies.length) {
        const replies = h('ol', 'comment-replies');
        for (const reply of thread.replies) {
          const node = h('li', null);
          node.append(item(reply, canWrite, false));
          replies.append(node);
        }
        li.append(replies);
      }
      return li;
    }));
    if (keep) el.list.querySelector(`[data-focus-key="${CSS.escape(keep)}"]`)?.focus();
    if (atBottom) el.body.scrollTop = el.body.scrollHeight;
  }

  function focusedKey() {
    const active = document.activeElement;
    return active && el.list.contains(active) ? active.dataset.focusKey || null : null;
  }

  function drawReactions(card) {
    const list = reactions ? reactions.describe(card) : [];
    el.reactions.hidden = list.length === 0;
    el.reactions.replaceChildren(...list.map((r) => {
      const li = h('li', `comments-panel__reaction${r.mine ? ' comments-panel__reaction--mine' : ''}`);
      li.dataset.reaction = r.emoji;
      li.append(reactionIcon(), h('span', null, plural(t, 'reaction', r.count, locale, { reaction: r.label, who: r.who })));
      return li;
    }));
  }

  function item(comment, canWrite, firstLevel) {
    const node = h('article', `comment${comment.pending ? ' comment--pending' : ''}${comment.deleted ? ' comment--deleted' : ''}`);
    node.dataset.id = comment.id;
    if (comment.deleted) {
      node.append(h('p', 'comment__placeholder', t.deleted_placeholder));
      return node;
    }
    const head = h('p', 'comment__head');
    head.append(h('span', 'comment__author', comment.author_id === me.id ? `${comment.author_name} (${t.you})` : comment.author_name));
    if (comment.pending) {
      head.append(h('span', 'comment__status', t.sending));
    } else {
      const time = h('time', 'comment__time', relativeTime(comment.created_at, Date.now(), locale, t.just_now));
      time.dateTime = comment.created_at;
      time.title = formatTime(comment.created_at, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }, locale);
      head.append(time);
    }
    node.append(head, h('p', 'comment__text', comment.text));
    if (!canWrite) return node;
    if (open.confirm === comment.id) {
      const box = h('div', 'comment__confirm');
      box.setAttribute('role', 'group');
      box.setAttribute('aria-label', t.delete_confirm);
      const yes = button(t.delete_yes, 'button button--primary button--danger-solid', `${comment.id}:yes`, () => remove(comment));
      const no = button(t.delete_no, 'button button--secondary', `${comment.id}:no`, () => {
        open.confirm = null;
        draw(`${comment.id}:delete`);
      });
      box.append(h('span', 'comment__confirm-text', t.delete_confirm), no, yes);
      node.append(box);
      return node;
    }
    const actions = h('div', 'comment__actions');
    if (firstLevel && !comment.pending) {
      const reply = button(t.reply, 'button button--ghost', `${comment.id}:reply`, () => setReply(comment, true));
      reply.setAttribute('aria-label', format(t.reply_label, { name: comment.author_name }));
      actions.append(reply);
    }
    if (canDelete(comment, me, isFacilitator)) {
      const del = button(t.delete, 'button button--ghost button--danger', `${comment.id}:delete`, () => {
        open.confirm = comment.id;
        draw(`${comment.id}:no`);
      });
      del.setAttribute('aria-label', format(t.delete_label, { name: comment.author_name }));
      actions.append(del);
    }
    if (actions.childElementCount) node.append(actions);
    return node;
  }

  function button(text, className, focusKey, onClick) {
    const b = h('button', className, text);
    b.type = 'button';
    b.dataset.focusKey = focusKey;
    b.addEventListener('click', onClick);
    return b;
  }

  function refreshTimes() {
    for (const time of el.list.querySelectorAll('time.comment__time')) {
      time.textContent = relativeTime(time.dateTime, Date.now(), locale, t.just_now);
    }
  }

  function remove(comment) {
    open.confirm = null;
    enqueue('comment.delete', { id: comment.id });
    announce(t.deleted);
    el.title.focus();
  }

  // ---- writing ---------------------------------------------------------------------------------------

  function setReply(comment, focus = false) {
    if (!open) return;
    open.replyTo = comment;
    el.reply.hidden = !comment;
    el.replyText.textContent = comment ? format(t.replying, { name: comment.author_name }) : '';
    el.text.setAttribute('aria-labelledby', comment ? 'comments-text-label comments-reply-text' : 'comments-text-label');
    if (focus) el.text.focus();
  }

  el.replyCancel.addEventListener('click', () => setReply(null, true));

  function updateCount() {
    const n = el.text.value.length;
    el.count.textContent = `${n} / ${MAX_COMMENT}`;
    el.count.classList.toggle('counter--full', n >= MAX_COMMENT);
  }

  function showError(message) {
    el.error.textContent = message;
    el.error.hidden = !message;
  }

  el.text.addEventListener('input', () => {
    updateCount();
    if (!el.error.hidden) showError('');
  });
  el.text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      el.form.requestSubmit();
    }
  });

  el.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!open || !writable() || !cardOf(open.cardId)) return;
    const text = el.text.value.trim();
    if (!text) return void showError(t.empty_text);
    if (text.length > MAX_COMMENT) return void showError(t.too_long);
    const id = uuid4();
    const data = { id, card_id: open.cardId, text };
    if (open.replyTo) data.parent_id = open.replyTo.id;
    enqueue('comment.add', data).then((op) => op && mine.set(op.op_id, { cardId: data.card_id, text, commentId: id }));
    el.text.value = '';
    drafts.delete(open.cardId);
    updateCount();
    setReply(null);
    showError('');
    announce(t.sent);
    requestAnimationFrame(() => {
      el.body.scrollTop = el.body.scrollHeight;
    });
  });

  return { show };
}
