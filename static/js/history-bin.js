// The bin of the History drawer (history.js): the board's deleted notes, last deleted first, kept
// live from the board's events, each with who deleted it and a Restore button (a `card.restore` op).

import { snippet } from './history-lines.js';
import { plural } from './plural.js';
import { format } from './sync.js';
import { h } from './ui.js';

/**
 * `el`: the drawer's elements; `nameOf(event)`: who did it; `timeNode(iso)`: a <time>; `schedule()`
 * asks the drawer to render. Returns {state of the bin, load(), onEvent(event), render()}.
 */
export function createBin({ api, base, state, t, el, names, nameOf, timeNode, writable, enqueue, announce, schedule }) {
  const bin = { items: new Map(), loaded: false, loading: false, failed: false, seq: 0, early: [] };

  async function load() {
    if (bin.loading) return;
    bin.loading = true;
    bin.failed = false;
    bin.early = [];
    schedule();
    const response = await api.getJson(`${base}/bin`);
    bin.loading = false;
    if (!response.ok || !response.body || !Array.isArray(response.body.items)) {
      bin.failed = true;
      schedule();
      return;
    }
    // Kept oldest first, like the live deletions appended after them; shown reversed.
    bin.items = new Map([...response.body.items].reverse().map((item) => [item.card.id, item]));
    for (const item of response.body.items) if (item.deleted_by && item.deleted_by.id) names.set(item.deleted_by.id, item.deleted_by.name);
    bin.seq = response.body.seq || 0;
    bin.loaded = true;
    const early = bin.early;
    bin.early = [];
    for (const e of early) apply(e);
    schedule();
  }

  function apply(event) {
    if (event.seq <= bin.seq) return;
    bin.seq = event.seq;
    const data = event.data || {};
    const cards = data.card ? [data.card] : Array.isArray(data.cards) ? data.cards : [];
    for (const card of cards) {
      if (!card || !card.id) continue;
      if (!card.deleted) {
        bin.items.delete(card.id);
      } else if (event.type === 'card.delete' || !bin.items.has(card.id)) {
        const name = nameOf(event);
        bin.items.delete(card.id); // to the top
        bin.items.set(card.id, { card, deleted_at: event.ts, deleted_by: { id: event.actor_id, name: name || t.someone } });
      } else {
        bin.items.set(card.id, { ...bin.items.get(card.id), card });
      }
    }
  }

  function onEvent(event) {
    if (bin.loaded) apply(event);
    else if (bin.loading) bin.early.push(event);
  }

  /** A card restored here (queued or done) leaves the bin at once. */
  function restoredHere(id) {
    if (state.cards.has(id)) return true;
    for (const { op } of state.pending.values()) if (op.type === 'card.restore' && op.data && op.data.id === id) return true;
    return false;
  }

  function binNode(item) {
    const { card } = item;
    const li = h('li', `history-bin__item history-bin__item--${card.colour || 'yellow'}`);
    li.dataset.cardId = card.id;
    const text = h('p', 'history-bin__text', card.text);
    const meta = h('p', 'history-bin__meta');
    meta.append(h('span', 'history-bin__author', format(t.by, { name: card.author_name || t.someone })));
    const deleted = h('span', 'history-bin__deleted');
    const who = item.deleted_by ? item.deleted_by.name || t.someone : null;
    if (who) deleted.append(h('span', 'history-bin__deleter', format(t.deleted_by, { name: who })));
    deleted.append(timeNode(item.deleted_at));
    meta.append(deleted);
    const restore = h('button', 'button button--secondary history-bin__restore', t.restore);
    restore.type = 'button';
    restore.setAttribute('aria-label', format(t.restore_label, { card: snippet(card.text) }));
    if (!writable()) {
      restore.setAttribute('aria-disabled', 'true');
      restore.title = t.read_only;
    }
    restore.addEventListener('click', () => restoreCard(card, li));
    li.append(text, meta, restore);
    return li;
  }

  function render() {
    const items = [...bin.items.values()].filter((item) => !restoredHere(item.card.id)).reverse();
    el.binLoading.hidden = !(bin.loading && !bin.loaded);
    el.binError.hidden = !bin.failed || bin.loaded;
    el.binEmpty.hidden = !bin.loaded || items.length > 0;
    const focusedId = document.activeElement && document.activeElement.closest('.history-bin__item')?.dataset.cardId;
    el.binList.replaceChildren(...items.map(binNode));
    if (focusedId) el.binList.querySelector(`[data-card-id="${CSS.escape(focusedId)}"] button`)?.focus();
    el.binCount.hidden = !bin.loaded || items.length === 0;
    el.binCount.textContent = String(items.length);
    el.binCount.setAttribute('aria-label', plural(t, 'bin_count', items.length));
  }

  function restoreCard(card, li) {
    if (!writable()) {
      announce(t.read_only);
      return;
    }
    const next = li.nextElementSibling || li.previousElementSibling;
    enqueue('card.restore', { id: card.id });
    announce(format(t.restored, { card: snippet(card.text) }));
    render();
    const target = next && next.isConnected ? next.querySelector('button') : el.panelBin;
    target?.focus();
  }

  return { bin, load, onEvent, render };
}
