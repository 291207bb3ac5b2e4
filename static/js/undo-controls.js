// The board's Undo: the header button, Ctrl/Cmd+Z (Ctrl+Shift+Z or Ctrl+Y to redo) outside text
// fields, and a toast naming what was undone. The stack and the inverse ops are in undo.js; this
// module is the glue with the page (templates/board/_history_buttons.html, board.js's outbox).

import { actionOf } from './history-lines.js';
import { format } from './sync.js';
import { $, readJson } from './ui.js';
import { UndoStack, beforeOf, blockerOf } from './undo.js';

const EDITABLE = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';

/**
 * `enqueue(type, data, meta)` queues an op (board.js); `writable()` whether this person may change
 * the board now. Returns the hooks board.js calls: track (an op is queued), acked, failed, and
 * undoOp (the "Undo" of a toast, for that very op).
 */
export function createUndo({ state, enqueue, writable, showToast }) {
  const t = readJson('i18n-history').undo || {};
  const button = $('undo-button');
  const stack = new UndoStack();
  const say = (key, values = {}) => format(t[key] || key, values);
  const actionText = ({ key, values }) => format((t.actions && (t.actions[key] || t.actions.other)) || '', values);

  function refresh() {
    if (!button) return;
    const next = stack.peekUndo();
    const enabled = Boolean(next) && writable();
    button.setAttribute('aria-disabled', String(!enabled));
    button.title = !next ? say('nothing') : !writable() ? say('read_only') : say('title', { action: next.label });
  }

  /** Sends the inverse of `record` (mode 'undo' or 'redo'), if the board still allows it. */
  function run(record, mode) {
    if (!record) {
      showToast(say(mode === 'undo' ? 'nothing' : 'nothing_redo'));
      return;
    }
    if (!writable()) {
      (mode === 'undo' ? stack.undos : stack.redos).push(record);
      showToast(say('read_only'), { kind: 'error' });
      refresh();
      return;
    }
    const blocker = blockerOf(record.inverse, record, state);
    if (blocker) {
      const key = blocker === 'gone' && record.inverse.type === 'card.delete' ? 'already_deleted' : blocker;
      showToast(say(key), { kind: blocker === 'changed' ? 'error' : '' });
      refresh();
      return;
    }
    enqueue(record.inverse.type, record.inverse.data, { undoKind: mode, undoLabel: record.label });
    showToast(say(mode === 'undo' ? 'undone' : 'redone', { action: record.label }));
    refresh();
  }

  const undo = () => run(stack.takeUndo(), 'undo');
  const redo = () => run(stack.takeRedo(), 'redo');

  if (button) {
    button.addEventListener('click', () => {
      refresh(); // the board may have been locked meanwhile
      if (button.getAttribute('aria-disabled') === 'true') showToast(button.title);
      else undo();
    });
    for (const type of ['pointerenter', 'focus']) button.addEventListener(type, refresh); // a fresh tooltip
  }
  document.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.defaultPrevented) return;
    const key = event.key.toLowerCase();
    if (key !== 'z' && !(key === 'y' && event.ctrlKey)) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.closest(EDITABLE)) return; // the field's own undo
    if (target && target.closest('dialog[open], [role="dialog"][aria-modal="true"]')) return; // not behind a dialog
    if (!button) return; // a read-only page
    event.preventDefault();
    if (key === 'y' || event.shiftKey) redo();
    else undo();
  });

  return {
    /** An op is being queued: keep what its target looks like now (before the op shows). */
    track(op, meta = {}) {
      const before = beforeOf(state, op);
      const kind = meta.undoKind === 'undo' || meta.undoKind === 'redo' ? meta.undoKind : 'do';
      stack.track(op, before, kind, meta.undoLabel || null);
    },
    /** The server applied `op`: it can now be undone. */
    acked(op, result) {
      const record = stack.acked(op, result);
      if (record && !record.label) record.label = actionText(actionOf(op, record.before, record.after));
      if (record && record.undoNow) run(stack.take(op.op_id), 'undo');
      refresh();
    },
    /** The server refused `op`; true when it was an undo and its error has been shown here. */
    failed(op, error = {}) {
      const kind = stack.failed(op);
      refresh();
      if (kind !== 'undo' && kind !== 'redo') return false;
      if (error.code === 'locked') return false; // the page's own handling: the board is read-only now
      if (error.code === 'conflict') showToast(say('conflict'), { kind: 'error', timeout: 10000 });
      else showToast(say('failed', { message: error.message || error.code || '' }), { kind: 'error', timeout: 10000 });
      return true;
    },
    /** Undoes that very op (`sent`: the op, or the promise of it), now or as soon as it is applied. */
    async undoOp(sent) {
      const op = await sent;
      if (!op) return;
      const record = stack.take(op.op_id);
      if (record) run(record, 'undo');
      else stack.later(op.op_id);
    },
    undo,
    redo,
    refresh,
  };
}
